import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { type FlushResult, flushOnce, hotRowCounts } from "@stellar-lake/flusher";
import { acquireWriterLock, FLUSHER_LOCK_KEY } from "@stellar-lake/ingester";
import { lakeFileCounts, lakeStorage, maintainLake, normalizeDataPath } from "@stellar-lake/lake";
import {
  createLogger,
  failpoint,
  parseDuration,
  shutdownSignal,
  sleep,
  startStatusServer,
} from "@stellar-lake/runtime";
import { dataTables, redactUrl } from "@stellar-lake/schema";
import pg from "pg";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { resolveCatalogUrl, resolveDatabase } from "../local-postgres";

export const summary =
  "flush closed ledgers from the hot buffer to DuckLake bronze (every FLUSH_INTERVAL, or --once)";

const HELP = `usage: pnpm stellar-lake flush [--once] [--interval 10m] [--min-age 5m]

  --once          one flush, then exit
  --interval D    time between flushes [FLUSH_INTERVAL] (default 10m; e.g. 30s, 10m)
  --min-age D     only ledgers ingested at least this long ago [FLUSH_MIN_AGE] (default 0; e.g. 30s, 10m)
  --health-port N /health and /metrics [FLUSHER_HEALTH_PORT] (default 8089)

environment: DATABASE_URL (hot buffer; default: the embedded dev database), DUCKLAKE_CATALOG_URL (PostgreSQL;
default: database stellar_lake_catalog on the hot buffer's server), DUCKLAKE_DATA_PATH (local directory, default
.data/lake/, or s3://bucket/prefix/ with AWS_ENDPOINT_URL or DUCKLAKE_S3_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, DUCKLAKE_S3_PATH_STYLE, DUCKLAKE_CACHE_DIR, DUCKLAKE_CACHE_MB), DUCKLAKE_METADATA_SCHEMA (default bronze_meta), DUCKLAKE_SCHEMA (default bronze), FLUSH_VACUUM_EVERY (VACUUM ANALYZE the hot tables every N flushes; default 10, 0 = never),
FLUSH_COMPACT_EVERY (compact the bronze tables every N flushes; default 12, 0 = never), COMPACT_RETENTION (delete the
files compaction replaced after this long, expiring the snapshots that saw them; default 24h), COMPACT_TARGET_SIZE
(merged file size, bytes or 64MB; default 128MB), FLUSH_EXPORT_CONNECTIONS (hot connections exporting tables in parallel
in one snapshot; default 2), FLUSH_DUCKDB_MEMORY (DuckDB memory limit; default 512MB).
SIGINT/SIGTERM: finish the running flush, do a final one, exit.`;

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** "134217728", "64MB", "1.5GiB" → bytes. */
export function parseSize(v: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(v);
  if (!m) throw new Error(`${what}: not a size: '${v}' (e.g. 134217728, 64MB, 1GiB)`);
  const unit = (m[2] ?? "").toLowerCase().replace(/i?b$/, "");
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit];
  if (mult === undefined) throw new Error(`${what}: unknown unit in '${v}'`);
  return Math.round(Number(m[1]) * mult);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      once: { type: "boolean" },
      interval: { type: "string" },
      "min-age": { type: "string" },
      "health-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const intervalMs = parseDuration(values.interval ?? process.env.FLUSH_INTERVAL ?? "10m", "FLUSH_INTERVAL");
  const minAgeMs = parseDuration(values["min-age"] ?? process.env.FLUSH_MIN_AGE ?? "0", "FLUSH_MIN_AGE");
  const log = createLogger("flusher");
  const db = await resolveDatabase((l) => log.info(l));
  const catalogUrl = await resolveCatalogUrl(db.url);
  const dataPath = normalizeDataPath(process.env.DUCKLAKE_DATA_PATH ?? join(repoRoot, ".data", "lake"));
  // S3 settings from the environment; the data path (no secrets) is what gets logged.
  const storage = lakeStorage(dataPath);
  if (!storage.remote) await mkdir(dataPath, { recursive: true });
  const metaSchema = process.env.DUCKLAKE_METADATA_SCHEMA ?? "bronze_meta";
  const lakeSchema = process.env.DUCKLAKE_SCHEMA ?? "bronze";

  const registry = new Registry();
  const m = {
    flushes: new Counter({
      name: "flusher_flush_count",
      help: "Flushes that moved data",
      registers: [registry],
    }),
    errors: new Counter({ name: "flusher_errors_total", help: "Failed flushes", registers: [registry] }),
    watermark: new Gauge({
      name: "flusher_last_watermark",
      help: "Highest ledger in cold storage",
      registers: [registry],
    }),
    rows: new Counter({
      name: "flusher_rows_flushed_total",
      help: "Rows moved per table",
      labelNames: ["table"],
      registers: [registry],
    }),
    seconds: new Histogram({
      name: "flusher_flush_duration_seconds",
      help: "Flush duration",
      registers: [registry],
    }),
    compactions: new Counter({
      name: "flusher_compactions_total",
      help: "Compaction runs (with cleanup of replaced files)",
      registers: [registry],
    }),
    files: new Gauge({
      name: "flusher_lake_files",
      help: "Live data files per bronze table",
      labelNames: ["table"],
      registers: [registry],
    }),
    pending: new Gauge({
      name: "flusher_hot_rows_pending",
      help: "Rows in the hot buffer",
      labelNames: ["table"],
      registers: [registry],
    }),
  };
  const state = {
    ready: false,
    lastFlushAt: null as string | null,
    watermark: null as number | null,
    error: null as string | null,
  };
  const status = await startStatusServer({
    port: Number(values["health-port"] ?? process.env.FLUSHER_HEALTH_PORT ?? 8089),
    registry,
    health: () => ({
      live: true,
      ready: state.ready,
      last_flush_at: state.lastFlushAt,
      last_watermark: state.watermark,
      error: state.error,
    }),
  });
  log.info(
    { port: status.port, catalog: redactUrl(catalogUrl), data_path: dataPath, interval_ms: intervalMs },
    "flusher started",
  );

  const hot = new pg.Client({ connectionString: db.url, application_name: "stellar-lake-flusher" });
  const catalog = new pg.Client({ connectionString: catalogUrl, application_name: "stellar-lake-flusher" });
  // More connections export tables in parallel within the same snapshot (FLUSH_EXPORT_CONNECTIONS in all).
  const exportClients = Array.from(
    { length: Math.max(0, Number(process.env.FLUSH_EXPORT_CONNECTIONS ?? 2) - 1) },
    () => new pg.Client({ connectionString: db.url, application_name: "stellar-lake-flusher" }),
  );
  for (const c of exportClients) c.on("error", () => {});
  hot.on("error", () => {});
  catalog.on("error", () => {});
  // DuckDB's buffer pool defaults to 80% of RAM; a flusher sharing a host with PostgreSQL gets a fixed budget.
  const duck = await (
    await DuckDBInstance.create(":memory:", { memory_limit: process.env.FLUSH_DUCKDB_MEMORY ?? "512MB" })
  ).connect();
  const signal = shutdownSignal((sig) => log.warn({ signal: sig }, "stopping after a final flush"));
  // One active flusher per hot buffer; a second one stands by (a direct connection: session locks need one).
  let lock: Awaited<ReturnType<typeof acquireWriterLock>>;
  try {
    lock = await acquireWriterLock(db.url, {
      key: FLUSHER_LOCK_KEY,
      role: "flusher",
      log: (l) => log.warn(l),
      signal,
    });
  } catch (err) {
    await status.close();
    if (signal.aborted) return 0;
    throw err;
  }
  let connected = false;
  let flushes = 0;
  const vacuumEvery = Number(process.env.FLUSH_VACUUM_EVERY ?? 10);
  const compactEvery = Number(process.env.FLUSH_COMPACT_EVERY ?? 12);
  const retentionMs = parseDuration(process.env.COMPACT_RETENTION ?? "24h", "COMPACT_RETENTION");
  const targetFileBytes = parseSize(process.env.COMPACT_TARGET_SIZE ?? "128MB", "COMPACT_TARGET_SIZE");
  const maintain = async () => {
    try {
      const r = await maintainLake({
        catalog,
        duck,
        metaSchema,
        lakeSchema,
        dataPath,
        storage,
        retentionMs,
        targetFileBytes,
        failpoint,
      });
      const merged = Object.values(r.compact.tables);
      if (r.compact.snapshotId !== undefined || r.cleanup?.deletedFiles.length) {
        log.info(
          {
            snapshot: r.compact.snapshotId,
            files_before: merged.reduce((a, t) => a + t.filesBefore, 0),
            files_after: merged.reduce((a, t) => a + t.filesAfter, 0),
            deleted_files: r.cleanup?.deletedFiles.length ?? 0,
            expired_snapshots: r.cleanup?.expiredSnapshots.length ?? 0,
            seconds: +r.compact.seconds.toFixed(2),
          },
          "compacted",
        );
      }
      m.compactions.inc();
      for (const [t, n] of Object.entries(await lakeFileCounts(catalog, metaSchema)))
        m.files.set({ table: t }, n);
    } catch (err) {
      m.errors.inc();
      log.error({ error: (err as Error).message }, "compaction failed; retrying at the next schedule");
    }
  };
  const once = async (): Promise<FlushResult | undefined> => {
    try {
      if (!connected) {
        await hot.connect();
        for (const c of exportClients) await c.connect();
        await catalog.connect();
        connected = true;
      }
      const r = await flushOnce({
        hot,
        exportClients,
        catalog,
        duck,
        metaSchema,
        lakeSchema,
        dataPath,
        storage,
        minAgeMs,
        failpoint,
      });
      state.ready = true;
      state.error = null;
      state.watermark = r.watermark ?? null;
      if (r.watermark !== undefined) m.watermark.set(r.watermark);
      m.seconds.observe(r.seconds);
      for (const [t, n] of Object.entries(await hotRowCounts(hot))) m.pending.set({ table: t }, n);
      for (const [t, n] of Object.entries(await lakeFileCounts(catalog, metaSchema)))
        m.files.set({ table: t }, n);
      if (r.flushed) {
        flushes += 1;
        // Deleting flushed ledgers leaves dead tuples in the hot tables: reclaim and re-plan every N flushes.
        if (vacuumEvery > 0 && flushes % vacuumEvery === 0) {
          for (const t of dataTables) await hot.query(`VACUUM ANALYZE public."${t.name}"`);
          log.info({ flushes }, "vacuumed the hot tables");
        }
        if (compactEvery > 0 && flushes % compactEvery === 0) await maintain();
        m.flushes.inc();
        state.lastFlushAt = new Date().toISOString();
        for (const [t, n] of Object.entries(r.rowsPerTable)) if (n) m.rows.inc({ table: t }, n);
        log.info(
          {
            range: r.range,
            snapshot: r.snapshotId,
            rows: Object.values(r.rowsPerTable).reduce((a, b) => a + b, 0),
            seconds: +r.seconds.toFixed(2),
          },
          "flushed",
        );
      }
      return r;
    } catch (err) {
      m.errors.inc();
      state.error = (err as Error).message;
      log.error({ error: (err as Error).message }, "flush failed; retrying at the next interval");
      return undefined;
    }
  };
  try {
    if (values.once) {
      const r = await once();
      return r ? 0 : 1;
    }
    while (!signal.aborted) {
      await once();
      await sleep(intervalMs, signal);
    }
    await once(); // the final flush on shutdown
    return 0;
  } finally {
    await status.close();
    await lock.release();
    await hot.end().catch(() => {});
    for (const c of exportClients) await c.end().catch(() => {});
    await catalog.end().catch(() => {});
    if (db.started) await db.stop();
    log.flush();
  }
}
