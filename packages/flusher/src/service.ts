/**
 * The flusher as a service: the flush loop under the flusher lock, the maintenance schedule, /health + /metrics,
 * signals. It survives its stores restarting by the rule in docs/production.md: connections come from pools
 * (a connection that failed is destroyed and the next flush gets a new one), a lost writer lock is re-acquired
 * with a capped backoff, and while it cannot flush /health answers 503 with the reason.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { lakeFileCounts, lakeStorage } from "@stellar-lake/lake";
import { acquireWriterLock, FLUSHER_LOCK_KEY, type HeldLock } from "@stellar-lake/pipeline-state";
import { createLogger, failpoint, shutdownSignal, sleep, startStatusServer } from "@stellar-lake/runtime";
import { redactUrl } from "@stellar-lake/schema";
import pg from "pg";
import { defaultTempDir, type FlusherConfig } from "./config";
import { type FlushResult, flushOnce } from "./flush";
import { FlushHealth } from "./health";
import { hotRowCounts } from "./hot-source";
import { FlushMetrics } from "./metrics";
import { MaintenanceSchedule } from "./schedule";
import { sweepTempDir } from "./temp-dir";

export interface FlusherDeps {
  databaseUrl: string;
  catalogUrl: string;
  /** The normalized data path (absolute local directory or s3://…/, ending in '/'). */
  dataPath: string;
  /** Called with the status server's port once it listens (tests use port 0). */
  onListening?: (port: number) => void;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A connection attempt to a server that is restarting may hang: it is abandoned and retried. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Which store a connection failure came from, for the health reason (never the address or credentials). */
class StoreError extends Error {
  constructor(
    readonly store: "hot buffer" | "DuckLake catalog",
    cause: Error,
  ) {
    super(`${store} unreachable: ${cause.message}`);
  }
}

export async function runFlusherService(cfg: FlusherConfig, deps: FlusherDeps): Promise<number> {
  const log = createLogger("flusher");
  const metrics = new FlushMetrics();
  const health = new FlushHealth({ unhealthyAfter: cfg.unhealthyAfter, intervalMs: cfg.intervalMs });
  const storage = lakeStorage(deps.dataPath);
  const tempDir = cfg.tempDir ?? defaultTempDir(`${redactUrl(deps.databaseUrl)}\0${cfg.metaSchema}`);
  const status = await startStatusServer({
    port: cfg.healthPort,
    registry: metrics.registry,
    health: () => health.report(),
  });
  deps.onListening?.(status.port);
  log.info(
    {
      port: status.port,
      catalog: redactUrl(deps.catalogUrl),
      data_path: deps.dataPath,
      interval_ms: cfg.intervalMs,
      temp_dir: tempDir,
    },
    "flusher started",
  );
  // Pools, not single clients: a connection that failed (a PostgreSQL restart) is destroyed on release and the
  // next flush opens a new one. Idle connections are kept (the lake is prepared once per catalog connection).
  const poolError = (store: string) => (err: Error) =>
    log.warn({ error: err.message }, `${store}: an idle connection failed; it is replaced on next use`);
  const hotPool = new pg.Pool({
    connectionString: deps.databaseUrl,
    application_name: "stellar-lake-flusher",
    max: Math.max(1, cfg.exportConnections),
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  hotPool.on("error", poolError("hot buffer"));
  const catalogPool = new pg.Pool({
    connectionString: deps.catalogUrl,
    application_name: "stellar-lake-flusher",
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  catalogPool.on("error", poolError("DuckLake catalog"));
  // DuckDB's buffer pool defaults to 80% of RAM; a flusher sharing a host with PostgreSQL gets a fixed budget.
  const duck = await (await DuckDBInstance.create(":memory:", { memory_limit: cfg.duckdbMemory })).connect();
  const signal = shutdownSignal((sig) => log.warn({ signal: sig }, "stopping after a final flush"));

  // One active flusher per hot buffer; a second one stands by (a direct connection: session locks need one).
  // A lost lock (its connection failed) is taken again, with a capped backoff while the server is away.
  let lock: HeldLock | undefined;
  let swept = false;
  const holdLock = async (): Promise<boolean> => {
    let backoff = BACKOFF_MIN_MS;
    while (!lock && !signal.aborted) {
      try {
        const held = await acquireWriterLock(deps.databaseUrl, {
          key: FLUSHER_LOCK_KEY,
          role: "flusher",
          log: (l) => log.warn(l),
          signal,
          connectTimeoutMs: CONNECT_TIMEOUT_MS,
        });
        lock = held;
        health.lockHeld(true);
        held.lost.catch((err: Error) => {
          if (lock !== held) return;
          lock = undefined;
          health.lockHeld(false, `flusher lock lost (${err.message}); taking it again`);
          log.error({ error: err.message }, "flusher lock lost: flushing pauses until it is taken again");
        });
      } catch (err) {
        if (signal.aborted) break;
        health.lockHeld(false, `cannot take the flusher lock: ${(err as Error).message}`);
        log.error({ error: (err as Error).message, retry_ms: backoff }, "cannot take the flusher lock");
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
    if (lock && !swept) {
      // Under the lock no other flusher of this hot buffer uses the directory: what is there was left by a
      // flusher killed mid-flush.
      const left = await sweepTempDir(tempDir);
      if (left.length)
        log.warn({ removed: left, temp_dir: tempDir }, "removed temporary files a killed flush left");
      swept = true;
    }
    return lock !== undefined;
  };

  // A checked-out connection that fails between statements emits 'error' (unhandled, it would end the
  // process): it is noted, and the connection is destroyed on release.
  const broken = new WeakSet<pg.PoolClient>();
  const onClientError = new WeakMap<pg.PoolClient, (err: Error) => void>();
  const checkout = async (pool: pg.Pool, store: "hot buffer" | "DuckLake catalog") => {
    let c: pg.PoolClient;
    try {
      c = await pool.connect();
    } catch (err) {
      throw new StoreError(store, err as Error);
    }
    const onError = (err: Error) => {
      broken.add(c);
      log.warn({ error: err.message }, `${store}: a connection failed`);
    };
    c.on("error", onError);
    onClientError.set(c, onError);
    return c;
  };
  const release = (c: pg.PoolClient, failed: boolean) => {
    const onError = onClientError.get(c);
    if (onError) c.off("error", onError);
    c.release(failed || broken.has(c) ? true : undefined);
  };
  const schedule = new MaintenanceSchedule(cfg, {
    log,
    metrics,
    duck,
    storage,
    dataPath: deps.dataPath,
    failpoint,
  });

  const once = async (): Promise<FlushResult | undefined> => {
    const held: pg.PoolClient[] = [];
    let failed = false;
    try {
      if (!(await holdLock())) return undefined;
      const hot = await checkout(hotPool, "hot buffer");
      held.push(hot);
      const exportClients: pg.PoolClient[] = [];
      for (let i = 1; i < cfg.exportConnections; i++) {
        const c = await checkout(hotPool, "hot buffer");
        held.push(c);
        exportClients.push(c);
      }
      const catalog = await checkout(catalogPool, "DuckLake catalog");
      held.push(catalog);
      const r = await flushOnce({
        hot,
        exportClients,
        catalog,
        duck,
        metaSchema: cfg.metaSchema,
        lakeSchema: cfg.lakeSchema,
        dataPath: deps.dataPath,
        storage,
        minAgeMs: cfg.minAgeMs,
        tempDir,
        ...(cfg.maxLedgers ? { maxLedgers: cfg.maxLedgers } : {}),
        failpoint,
      });
      health.flushed(r.watermark);
      if (r.watermark !== undefined) metrics.watermark.set(r.watermark);
      metrics.seconds.observe(r.seconds);
      for (const [t, n] of Object.entries(await hotRowCounts(hot))) metrics.pending.set({ table: t }, n);
      for (const [t, n] of Object.entries(await lakeFileCounts(catalog, cfg.metaSchema)))
        metrics.files.set({ table: t }, n);
      if (r.flushed) {
        await schedule.afterFlush(hot, catalog);
        metrics.flushes.inc();
        for (const [t, n] of Object.entries(r.rowsPerTable)) if (n) metrics.rows.inc({ table: t }, n);
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
      failed = true;
      metrics.errors.inc();
      const msg = (err as Error).message;
      health.failed(msg, err instanceof StoreError);
      log.error({ error: msg }, "flush failed; retrying at the next interval");
      return undefined;
    } finally {
      // After a failure the connections may be broken (a restarted server): destroy them, the pool opens new ones.
      for (const c of held) release(c, failed);
    }
  };

  try {
    if (cfg.once) {
      const r = await once();
      return r ? 0 : 1;
    }
    while (!signal.aborted) {
      health.attempt();
      await once();
      await sleep(cfg.intervalMs, signal);
    }
    await once(); // the final flush on shutdown
    return 0;
  } finally {
    await status.close();
    await lock?.release();
    await hotPool.end().catch(() => {});
    await catalogPool.end().catch(() => {});
    log.flush();
  }
}
