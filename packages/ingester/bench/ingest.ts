/**
 * `pnpm bench ingest`: end-to-end ingestion (gRPC source → transform workers → batch COPY) over re-sequenced
 * mainnet ledgers, next to what it is made of, measured in the same run on the same rows:
 *   (a) decode + transform only, (b) bare COPY of the same rows into the same tables,
 *   (c) the original's approach: row-by-row INSERT … ON CONFLICT in 50-ledger transactions (on a sample).
 * Target: end to end ≥ 0.8 × 1/(1/a + 1/b), since transform and COPY share the same 2 cores.
 * BENCH_LEDGERS sets the ledger count (default 1000); BENCH_INGEST_WORKERS the transform workers (default 1, as
 * `stellar-lake ingest`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import {
  DirectoryDatastore,
  resequence,
  startSourceServer,
  streamLedgers,
  writeDatastore,
} from "@stellar-lake/ledger-source";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { createDatabase, fixture, startBenchPostgres } from "@stellar-lake/test-support";
import pg from "pg";
import { createTransformer } from "../src/hot-transformer";
import { copyRows, type LedgerRows } from "../src/hot-writer";
import { ingest } from "../src/ingester";
import { TransformPool } from "../src/transform-pool";

const PUBNET = "Public Global Stellar Network ; September 2015";
const quiet = { info() {}, warn() {}, error() {} };

function cpuPercent<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; cpu_percent: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return fn().then((result) => {
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { result, seconds, cpu_percent: +(((c.user + c.system) / 1e6 / seconds) * 100).toFixed(0) };
  });
}

async function bareCopy(url: string, ledgers: LedgerRows[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const t of dataTables) {
      const rows = ledgers.flatMap((l) => (l.rows[t.name] ?? []) as Record<string, unknown>[]);
      if (t.name === "ledgers_row_v2") for (const r of rows) r.ingestion_timestamp = new Date();
      if (rows.length) await copyRows(client, t, rows);
    }
  } finally {
    await client.end();
  }
}

async function rowByRow(url: string, ledgers: LedgerRows[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < ledgers.length; i += 50) {
      await client.query("BEGIN");
      for (const l of ledgers.slice(i, i + 50)) {
        for (const t of dataTables) {
          for (const row of (l.rows[t.name] ?? []) as Record<string, unknown>[]) {
            const cols = t.columns.map((c) => c.name);
            await client.query(
              `INSERT INTO public."${t.name}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, k) => `$${k + 1}`).join(", ")}) ON CONFLICT DO NOTHING`,
              cols.map((c) => {
                const v = row[c];
                return typeof v === "bigint" ? v.toString() : c === "ingestion_timestamp" ? new Date() : v;
              }),
            );
          }
        }
      }
      await client.query("COMMIT");
    }
  } finally {
    await client.end();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_LEDGERS ?? 1000);
  const workers = Number(process.env.BENCH_INGEST_WORKERS ?? 1);
  const dir = await mkdtemp(join(tmpdir(), "bench-ingest-"));
  const server = await startBenchPostgres("ingest");
  try {
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start: 1_000_000, count, closeTimeStart: 1_725_000_000 },
      ),
    ];
    const xdrBytes = ledgers.reduce((n, l) => n + l.xdr.length, 0);
    await writeDatastore(join(dir, "ds"), ledgers, { networkPassphrase: PUBNET, ledgersPerBatch: 8 });

    // (a) decode + transform only, single thread.
    const transform = createTransformer({ passphrase: PUBNET });
    const a = await cpuPercent(async () => ledgers.map((l) => transform(l)));
    const rows = a.result.reduce((n, l) => n + Object.values(l.rows).reduce((m, r) => m + r.length, 0), 0);

    // (b) bare COPY of the same rows into the same tables.
    const copyDb = await createDatabase(server.adminUrl, "copy");
    await migrateUp(copyDb.url);
    const b = await cpuPercent(() => bareCopy(copyDb.url, a.result));

    // (c) the original's row-by-row INSERT … ON CONFLICT, 50-ledger transactions, on a sample.
    const sample = a.result.slice(0, Math.min(50, count));
    const sampleRows = sample.reduce(
      (n, l) => n + Object.values(l.rows).reduce((m, r) => m + r.length, 0),
      0,
    );
    const rbrDb = await createDatabase(server.adminUrl, "rbr");
    await migrateUp(rbrDb.url);
    const c = await cpuPercent(() => rowByRow(rbrDb.url, sample));

    // End to end: gRPC source → worker-thread transform → batch COPY with checkpoint, lineage, quality.
    const e2eDb = await createDatabase(server.adminUrl, "e2e");
    await migrateUp(e2eDb.url);
    const source = await startSourceServer({
      datastore: new DirectoryDatastore(join(dir, "ds")),
      port: 0,
      host: "127.0.0.1",
    });
    // As `stellar-lake ingest` runs it: the worker hands over stamped COPY text, not rows.
    const pool = new TransformPool({
      module: fileURLToPath(new URL("../src/hot-transformer.ts", import.meta.url)),
      config: { passphrase: PUBNET, copy: { eraId: "bench", versionLabel: "v1" } },
      size: workers,
    });
    const e = await cpuPercent(() =>
      ingest(
        {
          databaseUrl: e2eDb.url,
          start: 1_000_000,
          end: 1_000_000 + count - 1,
          eraId: "bench",
          versionLabel: "v1",
          pipelineVersion: "bench",
          log: quiet,
        },
        (start, signal) =>
          streamLedgers({ endpoint: `127.0.0.1:${source.port}`, startLedger: start, signal }),
        (raw) => pool.transform(raw),
      ),
    );
    await pool.close();
    await source.close();

    const rate = (n: number, s: number) => +(n / s).toFixed(1);
    const aRate = count / a.seconds;
    const bRate = count / b.seconds;
    const serial = 1 / (1 / aRate + 1 / bRate);
    const e2eRate = count / e.seconds;
    return {
      ledgers: count,
      transform_workers: workers,
      rows,
      xdr_mb: +(xdrBytes / 2 ** 20).toFixed(1),
      end_to_end: {
        ledgers_per_s: rate(count, e.seconds),
        rows_per_s: rate(rows, e.seconds),
        mb_per_s: rate(xdrBytes / 2 ** 20, e.seconds),
        seconds: +e.seconds.toFixed(2),
        node_cpu_percent: e.cpu_percent,
        batches: e.result.batches,
      },
      a_transform_only: {
        ledgers_per_s: rate(count, a.seconds),
        rows_per_s: rate(rows, a.seconds),
        cpu_percent: a.cpu_percent,
      },
      b_bare_copy: {
        ledgers_per_s: rate(count, b.seconds),
        rows_per_s: rate(rows, b.seconds),
        cpu_percent: b.cpu_percent,
      },
      c_row_by_row_insert: {
        sample_ledgers: sample.length,
        ledgers_per_s: rate(sample.length, c.seconds),
        rows_per_s: rate(sampleRows, c.seconds),
      },
      serial_combination_ledgers_per_s: +serial.toFixed(1),
      target: "end_to_end >= 0.8 x serial combination of (a) and (b)",
      end_to_end_over_serial: +(e2eRate / serial).toFixed(2),
      end_to_end_over_row_by_row: +(e2eRate / (sample.length / c.seconds)).toFixed(1),
      target_met: e2eRate >= 0.8 * serial,
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
