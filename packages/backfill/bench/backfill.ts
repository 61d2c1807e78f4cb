/**
 * `pnpm bench backfill`: re-sequenced mainnet 53312000 ledgers (2024-era, ~160 transactions each) backfilled by
 * 1 and by 2 worker processes (`backfill run --workers N`) (each one transform thread), next to the transform-only rate of the same
 * ledgers measured in the same run (decode + hotRowsOf on one core, in this process). Reports ledgers/s and
 * rows/s, the per-core ratio to transform-only (target ≥ 0.8), ledgers/s per core (target ≥ 30), the 2-worker
 * speed-up (target ≥ 1.7 where 2 cores are free; the machine's load average is reported with it) and each run's
 * peak worker RSS. BENCH_BACKFILL_LEDGERS sets the ledger count (default 1200), BENCH_BACKFILL_JOB_SIZE the job
 * size (default 100).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { createDatabase, fixture, repoRoot, startBenchPostgres } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import { BackfillQueue } from "../src/index";

const PUBNET = "Public Global Stellar Network ; September 2015";
const START = 1_000_000;
const main = join(repoRoot, "packages/cli/src/main.ts");

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The worker processes `backfill run` started (Linux /proc). */
function childrenOf(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Plan and run the range with `backfill run --workers N`; seconds until every job is registered. */
export async function backfillRun(o: {
  workers: number;
  adminUrl: string;
  ds: string;
  count: number;
  jobSize: number;
}): Promise<Record<string, number>> {
  const db = await createDatabase(o.adminUrl, `bench${o.workers}`);
  const lake = await mkdtemp(join(tmpdir(), "bench-backfill-lake-"));
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    DUCKLAKE_CATALOG_URL: db.url,
    DUCKLAKE_DATA_PATH: lake,
    LEDGER_DATASTORE: o.ds,
    LOG_LEVEL: "warn",
  };
  try {
    const run = (args: string[]) =>
      spawn(process.execPath, ["--import", "tsx", main, ...args], {
        env,
        stdio: ["ignore", "ignore", "inherit"],
      });
    // `backfill run`: plans, starts the worker processes, waits for every job to be registered.
    const t0 = performance.now();
    const parent = run([
      "backfill",
      "run",
      "--from",
      String(START),
      "--to",
      String(START + o.count - 1),
      "--workers",
      String(o.workers),
      "--job-size",
      String(o.jobSize),
    ]);
    let peak = 0;
    const sampler = setInterval(() => {
      for (const pid of childrenOf(parent.pid)) peak = Math.max(peak, rssMiB(pid));
    }, 250);
    const code = await new Promise<number | null>((r) => parent.on("exit", r));
    clearInterval(sampler);
    if (code !== 0) throw new Error(`backfill run exited ${code}`);
    const seconds = (performance.now() - t0) / 1000;
    const q = await BackfillQueue.open(db.url);
    const counts = await q.counts();
    const rows = await q.pool.query(
      `SELECT COALESCE(SUM(record_count), 0)::bigint AS n FROM bronze_meta.ducklake_data_file WHERE end_snapshot IS NULL`,
    );
    await q.close();
    if (counts.ledgers.registered !== o.count) {
      throw new Error(`${counts.ledgers.registered} of ${o.count} ledgers registered`);
    }
    const n = Number(rows.rows[0].n);
    return {
      workers: o.workers,
      seconds: +seconds.toFixed(2),
      ledgers_per_s: +(o.count / seconds).toFixed(1),
      rows_per_s: Math.round(n / seconds),
      rows: n,
      peak_worker_rss_mib: Math.round(peak),
    };
  } finally {
    await rm(lake, { recursive: true, force: true });
    await db.drop().catch(() => {});
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_BACKFILL_LEDGERS ?? 1200);
  const jobSize = Number(process.env.BENCH_BACKFILL_JOB_SIZE ?? 100);
  const dir = await mkdtemp(join(tmpdir(), "bench-backfill-"));
  const server = await startBenchPostgres("backfill");
  try {
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start: START, count, closeTimeStart: 1_725_000_000 },
      ),
    ];
    const ds = join(dir, "ds");
    await writeDatastore(ds, ledgers, {
      networkPassphrase: PUBNET,
      ledgersPerBatch: 1,
      batchesPerPartition: 64000,
    });
    // The baseline: transform only, one core, the same ledgers (a share of them: the rate is per ledger).
    const sample = ledgers.slice(0, Math.min(count, 300));
    for (const l of sample.slice(0, 20)) hotRowsOf(decodeLedger(l.xdr, l.sequence), PUBNET); // warm-up
    let rows = 0;
    const t0 = performance.now();
    for (const l of sample) {
      const h = hotRowsOf(decodeLedger(l.xdr, l.sequence), PUBNET);
      for (const r of Object.values(h.rows as Record<string, unknown[]>)) rows += r.length;
    }
    const tSec = (performance.now() - t0) / 1000;
    const transformOnly = {
      ledgers: sample.length,
      ledgers_per_s: +(sample.length / tSec).toFixed(1),
      rows_per_s: Math.round(rows / tSec),
    };
    const load0 = loadavg()[0]!;
    const one = await backfillRun({ workers: 1, adminUrl: server.adminUrl, ds, count, jobSize });
    const two = await backfillRun({ workers: 2, adminUrl: server.adminUrl, ds, count, jobSize });
    const load1 = loadavg()[0]!;
    const perCore = one.ledgers_per_s!;
    return {
      ledgers: count,
      job_size: jobSize,
      transform_only: transformOnly,
      backfill_1_worker: one,
      backfill_2_workers: two,
      per_core_vs_transform: +(perCore / transformOnly.ledgers_per_s).toFixed(2),
      target_per_core_vs_transform: 0.8,
      ledgers_per_s_per_core: perCore,
      target_ledgers_per_s_per_core: 30,
      speedup_2_workers: +(two.ledgers_per_s! / one.ledgers_per_s!).toFixed(2),
      target_speedup_2_workers: 1.7,
      load_average_1m: [+load0.toFixed(1), +load1.toFixed(1)],
      met: {
        per_core_vs_transform: perCore / transformOnly.ledgers_per_s >= 0.8,
        ledgers_per_s_per_core: perCore >= 30,
        speedup_2_workers: two.ledgers_per_s! / one.ledgers_per_s! >= 1.7,
      },
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
