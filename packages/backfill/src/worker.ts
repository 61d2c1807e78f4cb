/**
 * A backfill worker process: claims jobs from the queue, runs them (read → transform in worker threads →
 * Parquet), records their manifests and registers whatever finished jobs are next in ledger order. Any number
 * of workers on any number of machines share one queue database, datastore and lake.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TransformPool } from "@stellar-lake/ingester";
import type { Datastore } from "@stellar-lake/ledger-source";
import { sleep } from "@stellar-lake/runtime";
import type { RowStamp } from "@stellar-lake/schema";
import type pg from "pg";
import { Counter, Gauge, type Registry } from "prom-client";
import { liveRange } from "./history";
import { type JobManifest, runJob } from "./job";
import { type LakeContext, openDuck } from "./lake-context";
import type { BackfillQueue, Claim } from "./queue";
import { registerFinished } from "./registrar";

export interface WorkerOptions {
  queue: BackfillQueue;
  lake: LakeContext;
  datastore: Datastore;
  /** The hot buffer (the live pipeline's), checked before every registration when given. */
  hot?: pg.ClientBase;
  stamp: RowStamp;
  /** Transform worker threads (default 1: one worker process per core scales by processes). */
  threads?: number;
  /** Exit when no job is queued or running anywhere and every finished job is registered. */
  untilEmpty?: boolean;
  /** Stop after the running job (finished, recorded and registered), claiming no other. */
  signal?: AbortSignal;
  registry?: Registry;
  log?: (line: string) => void;
  workDir?: string;
  duckMemory?: string;
  prefetch?: number;
  failpoint?: (name: string) => void;
  pollMs?: number;
}

export interface WorkerSummary {
  jobs: number;
  ledgers: number;
  failedJobs: number;
  /** Jobs that cannot register (a failed job below them), when the worker stopped because of them. */
  blocked?: string;
}

/**
 * The transform thread's V8 heap: a bounded old generation, so a long job's garbage is collected instead of
 * growing the heap toward V8's default limit (a 10,000-ledger run with the ingester's limits alone reached 1.25 GB
 * RSS during its first job), and the young generation the transform needs (packages/transform/src/heap.ts) at
 * half its size. A ledger needs far less than the old-generation bound; one that needed more would fail its
 * job, naming it.
 */
export const BACKFILL_TRANSFORM_LIMITS = {
  maxYoungGenerationSizeMb: 96,
  maxOldGenerationSizeMb: 512,
} as const;

export class BackfillMetrics {
  readonly jobs: Counter<"outcome">;
  readonly ledgers: Counter;
  readonly rows: Counter<"table">;
  readonly bytesRead: Counter;
  readonly bytesWritten: Counter;
  readonly registered: Counter;
  readonly running: Gauge;
  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.jobs = new Counter({
      name: "backfill_jobs_total",
      help: "Backfill jobs this worker ran, by outcome (done, failed, lost: retried elsewhere)",
      labelNames: ["outcome"],
      registers,
    });
    this.ledgers = new Counter({ name: "backfill_ledgers_total", help: "Ledgers transformed", registers });
    this.rows = new Counter({
      name: "backfill_rows_total",
      help: "Rows written to Parquet per table",
      labelNames: ["table"],
      registers,
    });
    this.bytesRead = new Counter({
      name: "backfill_datastore_bytes_total",
      help: "Datastore bytes read",
      registers,
    });
    this.bytesWritten = new Counter({
      name: "backfill_parquet_bytes_total",
      help: "Parquet bytes written",
      registers,
    });
    this.registered = new Counter({
      name: "backfill_registered_jobs_total",
      help: "Jobs this worker registered in the lake",
      registers,
    });
    this.running = new Gauge({ name: "backfill_job_running", help: "1 while a job runs", registers });
  }
}

export async function runWorker(o: WorkerOptions): Promise<WorkerSummary> {
  const log = o.log ?? (() => {});
  const metrics = new BackfillMetrics(o.registry);
  const passphrase = (await o.datastore.manifest()).networkPassphrase;
  const pool = new TransformPool({
    module: new URL("./transformer.ts", import.meta.url).href,
    config: { passphrase, stamp: o.stamp },
    size: o.threads ?? 1,
    resourceLimits: BACKFILL_TRANSFORM_LIMITS,
  });
  const duck = await openDuck(o.duckMemory ?? "512MB", 1);
  const workDir = o.workDir ?? join(tmpdir(), `stellar-lake-backfill-${process.pid}`);
  const summary: WorkerSummary = { jobs: 0, ledgers: 0, failedJobs: 0 };
  const register = async () => {
    const r = await registerFinished({
      catalog: o.lake.catalog,
      queue: o.queue,
      metaSchema: o.lake.metaSchema,
      lake: o.lake.lake,
      storage: o.lake.storage,
      ...(o.hot ? { live: () => liveRange(o.hot!) } : {}),
      ...(o.failpoint ? { failpoint: o.failpoint } : {}),
    });
    if (r.registered.length) {
      metrics.registered.inc(r.registered.length);
      log(
        `registered ${r.registered.length} job(s) ${r.registered[0]!.first}-${r.registered.at(-1)!.last} in snapshot ${r.snapshotId}`,
      );
    }
    for (const x of r.refused) log(`refused job ${x.first}-${x.last}: ${x.reason}`);
    return r;
  };
  try {
    while (!o.signal?.aborted) {
      const claim = await o.queue.claim();
      if (claim) {
        await work(claim);
        await register();
        continue;
      }
      await register();
      if (o.untilEmpty && (await o.queue.pending()) === 0) {
        const left = await o.queue.unregistered();
        const done = left.filter((j) => j.state === "done");
        if (done.length === 0) break;
        const failed = left.find((j) => j.state === "failed");
        if (failed) {
          summary.blocked = `jobs ${done[0]!.first}-${done.at(-1)!.last} cannot be registered: job ${failed.first}-${failed.last} failed (${failed.error})`;
          break;
        }
      }
      await sleep(o.pollMs ?? 1000, o.signal).catch(() => {});
    }
  } finally {
    await pool.close();
    duck.closeSync();
    await rm(workDir, { recursive: true, force: true });
  }
  return summary;

  async function work(claim: Claim) {
    log(`job ${claim.first}-${claim.last} (attempt ${claim.attempt}) started`);
    metrics.running.set(1);
    const beat = setInterval(
      () => o.queue.heartbeat(claim).catch(() => {}),
      Math.max(1000, (o.queue.settings.heartbeatSeconds * 1000) / 3),
    );
    let manifest: JobManifest | undefined;
    try {
      manifest = await runJob(
        {
          datastore: o.datastore,
          pool,
          duck,
          storage: o.lake.storage,
          lakeSchema: o.lake.lakeSchema,
          lake: o.lake.lake,
          workDir,
          ...(o.prefetch ? { prefetch: o.prefetch } : {}),
          onLedger: () => metrics.ledgers.inc(),
          onFile: (n) => metrics.bytesRead.inc(n),
        },
        claim,
      );
      o.failpoint?.("backfill-after-parquet");
      if (await o.queue.finish(claim, manifest)) {
        summary.jobs += 1;
        summary.ledgers += manifest.ledgers;
        metrics.jobs.inc({ outcome: "done" });
        for (const f of manifest.files) {
          metrics.rows.inc({ table: f.table }, f.rows);
          metrics.bytesWritten.inc(f.size);
        }
        log(`job ${claim.first}-${claim.last} done in ${manifest.seconds}s`);
      } else {
        // Presumed dead and handed to another worker meanwhile: these files are not the job's.
        metrics.jobs.inc({ outcome: "lost" });
        for (const f of manifest.files) await o.lake.storage.delete(f.lakePath).catch(() => {});
        log(
          `job ${claim.first}-${claim.last} attempt ${claim.attempt} was retried elsewhere; its files deleted`,
        );
      }
    } catch (err) {
      summary.failedJobs += 1;
      metrics.jobs.inc({ outcome: "failed" });
      log(`job ${claim.first}-${claim.last} attempt ${claim.attempt} failed: ${(err as Error).message}`);
      await o.queue.fail(claim, err as Error);
    } finally {
      clearInterval(beat);
      metrics.running.set(0);
    }
  }
}
