/**
 * `pnpm bench flush`: one flush of ≥ 1M hot-buffer rows (re-sequenced mainnet ledgers through the real
 * transform, written by COPY) to DuckLake bronze, next to the raw PostgreSQL read of the same rows measured in
 * the same run (`COPY (SELECT …) TO STDOUT` of every table's range, the flush's own export query, to a byte
 * counter). Reports rows/s and MB/s (CSV bytes of the hot rows) for both, the ratio (target ≥ 0.5 × raw),
 * and Parquet bytes per row. BENCH_FLUSH_LEDGERS sets the ledger count (default 800,
 * ≈ 1.05M rows).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DuckDBInstance } from "@duckdb/node-api";
import { copyRows, createTransformer } from "@stellar-lake/ingester";
import { prepareLake } from "@stellar-lake/lake";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence } from "@stellar-lake/ledger-source";
import { dataTables, migrateUp, ident as q } from "@stellar-lake/schema";
import { createDatabase, fixture, startBenchPostgres } from "@stellar-lake/test-support";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { copyRowCount } from "../src/hot-source";
import { flushOnce } from "../src/index";

const PUBNET = "Public Global Stellar Network ; September 2015";

function cpuPercent<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; cpu_percent: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return fn().then((result) => {
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { result, seconds, cpu_percent: +(((c.user + c.system) / 1e6 / seconds) * 100).toFixed(0) };
  });
}

/** The flush's export query for every table, streamed to a byte counter: PostgreSQL's raw read rate. */
async function rawRead(
  client: pg.Client,
  from: number,
  to: number,
): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  for (const t of dataTables) {
    const cols = t.columns.map((c) => q(c.name)).join(", ");
    const order = [t.sequenceColumn!, ...t.key.filter((k) => k !== t.sequenceColumn)].map(q).join(", ");
    const stream = client.query(
      copyTo(
        `COPY (SELECT ${cols} FROM public.${q(t.name)} WHERE ${q(t.sequenceColumn!)} BETWEEN ${from} AND ${to} ORDER BY ${order}) TO STDOUT (FORMAT csv, NULL '\\N')`,
      ),
    );
    const count = copyRowCount(stream);
    await pipeline(
      stream,
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          cb();
        },
      }),
    );
    rows += await count;
  }
  return { rows, bytes };
}

export async function run(): Promise<Record<string, unknown>> {
  // One ledger is flushed alone first (its Parquet bytes per row); the measured flush is the other count - 1.
  const count = Number(process.env.BENCH_FLUSH_LEDGERS ?? 800);
  const dir = await mkdtemp(join(tmpdir(), "bench-flush-"));
  const server = await startBenchPostgres("flush");
  try {
    const hotDb = await createDatabase(server.adminUrl, "hot");
    await migrateUp(hotDb.url);
    const catDb = await createDatabase(server.adminUrl, "catalog");
    const hot = new pg.Client({ connectionString: hotDb.url });
    const catalog = new pg.Client({ connectionString: catDb.url });
    await hot.connect();
    await catalog.connect();

    // The hot rows: real mainnet ledger 53312000 re-sequenced, transformed, COPYed in 100-ledger steps.
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const transform = createTransformer({ passphrase: PUBNET });
    const start = 2_000_000;
    let hotRows = 0;
    const seqs = resequence(
      base.map((b) => b.xdr),
      { start, count, closeTimeStart: 1_725_000_000 },
    );
    let batch: ReturnType<typeof transform>[] = [];
    const writeBatch = async () => {
      for (const t of dataTables) {
        const rows = batch.flatMap((l) => (l.rows[t.name] ?? []) as Record<string, unknown>[]);
        if (t.name === "ledgers_row_v2") for (const r of rows) r.ingestion_timestamp = new Date(0);
        if (rows.length) await copyRows(hot, t, rows);
        hotRows += rows.length;
      }
      batch = [];
    };
    for (const l of seqs) {
      batch.push(transform(l));
      if (batch.length === 100) await writeBatch();
    }
    if (batch.length) await writeBatch();
    await hot.query("VACUUM ANALYZE");
    const to = start + count - 1;

    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const lake = { catalog, duck, metaSchema: "bronze_meta", lakeSchema: "bronze", dataPath: `${dir}/lake/` };
    await prepareLake(lake); // catalog creation is not part of a flush
    const parquetSize = async () =>
      Number(
        (
          await catalog.query(
            "SELECT COALESCE(SUM(file_size_bytes), 0)::bigint AS b FROM bronze_meta.ducklake_data_file",
          )
        ).rows[0].b,
      );
    // Bytes per row of ONE ledger's files: the re-sequenced copies of one mainnet ledger compress to almost nothing
    // together, so the big flush's ratio is not what distinct mainnet ledgers would take.
    const one = await flushOnce({ ...lake, hot, minAgeMs: 0, maxLedgers: 1 });
    const oneRows = Object.values(one.rowsPerTable).reduce((a, b) => a + b, 0);
    const oneBytes = await parquetSize();

    // Raw PostgreSQL read of the same rows (the baseline), then the flush of them.
    const raw = await cpuPercent(() => rawRead(hot, start + 1, to));
    const parallel = Number(process.env.BENCH_FLUSH_EXPORTS ?? 2);
    const extra = await Promise.all(
      Array.from({ length: parallel - 1 }, async () => {
        const c = new pg.Client({ connectionString: hotDb.url });
        await c.connect();
        return c;
      }),
    );
    const f = await cpuPercent(() => flushOnce({ ...lake, hot, exportClients: extra, minAgeMs: 0 }));
    for (const c of extra) await c.end();
    const flushedRows = Object.values(f.result.rowsPerTable).reduce((a, b) => a + b, 0);
    const parquet = await catalog.query(
      "SELECT COUNT(*)::int AS n FROM bronze_meta.ducklake_data_file WHERE begin_snapshot = $1",
      [f.result.snapshotId],
    );
    const parquetBytes = (await parquetSize()) - oneBytes;

    await hot.end();
    await catalog.end();

    const mb = raw.result.bytes / 2 ** 20;
    const rawRate = raw.result.rows / raw.seconds;
    const flushRate = flushedRows / f.seconds;
    return {
      ledgers: count,
      hot_rows: hotRows,
      flushed_rows: flushedRows,
      hot_csv_mb: +mb.toFixed(1),
      flush: {
        rows_per_s: Math.round(flushRate),
        mb_per_s: +(mb / f.seconds).toFixed(1),
        seconds: +f.seconds.toFixed(2),
        node_cpu_percent: f.cpu_percent,
        files: parquet.rows[0].n,
        export_connections: parallel,
        phases: f.result.phases,
      },
      raw_postgres_read: {
        rows_per_s: Math.round(rawRate),
        mb_per_s: +(mb / raw.seconds).toFixed(1),
        seconds: +raw.seconds.toFixed(2),
      },
      parquet_mb: +(parquetBytes / 2 ** 20).toFixed(1),
      parquet_bytes_per_row: +(parquetBytes / flushedRows).toFixed(1),
      parquet_bytes_per_row_one_ledger: +(oneBytes / oneRows).toFixed(1),
      one_ledger_rows: oneRows,
      hot_csv_bytes_per_row: +(raw.result.bytes / raw.result.rows).toFixed(1),
      target: "flush rows/s >= 0.5 x raw PostgreSQL read rows/s of the same rows",
      flush_over_raw: +(flushRate / rawRate).toFixed(2),
      target_met: flushRate >= 0.5 * rawRate,
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
