import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  BackfillQueue,
  coldRange,
  type LakeContext,
  liveRange,
  openLake,
  planError,
  planJobs,
  type QueueCounts,
  runWorker,
} from "@stellar-lake/backfill";
import { openDatastoreAt } from "@stellar-lake/ledger-source";
import {
  createLogger,
  failpoint,
  networkName,
  shutdownSignal,
  startStatusServer,
} from "@stellar-lake/runtime";
import pg from "pg";
import { Registry } from "prom-client";
import { UsageError } from "../command";
import { resolveCatalogUrl, resolveDatabase } from "../local-postgres";

export const summary =
  "full-history backfill straight to DuckLake on a pg-boss job queue: backfill plan | work | status | run";

const HELP = `usage: pnpm stellar-lake backfill plan --from A --to B [--job-size N] [--datastore DIR|URL]
       | work [--until-empty] [--threads N] [--datastore DIR|URL] [--health-port N]
       | status [--json]
       | run --from A --to B --workers N [--job-size N] [--datastore DIR|URL]

  plan    enqueue the range as jobs of --job-size ledgers (default 1000; whole datastore files) — refused when it
          overlaps the lake's history or what the live pipeline holds, or would leave a gap next to them
  work    one worker process: claim jobs, read the datastore, transform in worker threads (--threads, default 1),
          write one Parquet file per table per job, register finished jobs in ledger order; any number of workers
          on any number of machines share the queue; --until-empty: exit when nothing is queued or running and
          every finished job is registered; /health and /metrics on --health-port [BACKFILL_HEALTH_PORT]
          (default 8094; 0 = any free port)
  status  jobs queued / running / done / registered / failed, ledgers/s, ETA
  run     plan, start --workers local worker processes, one progress line for the range, exit 0 when every job is
          registered (a worker that dies is replaced)

environment: LEDGER_DATASTORE (or --datastore; a Galexie datastore directory or http(s) URL), BACKFILL_QUEUE_URL
(the queue's PostgreSQL; default the catalog database), DUCKLAKE_CATALOG_URL, DUCKLAKE_DATA_PATH (for a new
catalog; an existing catalog's own data path wins), DUCKLAKE_METADATA_SCHEMA (default bronze_meta), DUCKLAKE_SCHEMA
(default bronze), DATABASE_URL (the live pipeline's hot buffer, checked for overlaps before planning and every
registration), ERA_ID, VERSION_LABEL, BACKFILL_RETRY_LIMIT (default 5), BACKFILL_HEARTBEAT_SECONDS (default 30),
BACKFILL_JOB_TIMEOUT_SECONDS (default 3600), BACKFILL_SUPERVISE_SECONDS (default 10), BACKFILL_DUCKDB_MEMORY
(default 512MB), BACKFILL_PREFETCH (datastore files read ahead, default 4).`;

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const mainTs = fileURLToPath(new URL("../main.ts", import.meta.url));

interface Env {
  hotUrl: string;
  catalogUrl: string;
  queueUrl: string;
  metaSchema: string;
  lakeSchema: string;
  dataPath: string;
  stop: () => Promise<void>;
}

async function resolveEnv(): Promise<Env> {
  const db = await resolveDatabase((l) => console.error(l));
  const catalogUrl = await resolveCatalogUrl(db.url);
  return {
    hotUrl: db.url,
    catalogUrl,
    queueUrl: process.env.BACKFILL_QUEUE_URL ?? catalogUrl,
    metaSchema: process.env.DUCKLAKE_METADATA_SCHEMA ?? "bronze_meta",
    lakeSchema: process.env.DUCKLAKE_SCHEMA ?? "bronze",
    dataPath: process.env.DUCKLAKE_DATA_PATH ?? join(repoRoot, ".data", "lake"),
    stop: db.stop,
  };
}

const int = (v: string | undefined, what: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`backfill: ${what} must be an integer, got '${v}'`);
  return n;
};

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      from: { type: "string" },
      to: { type: "string" },
      "job-size": { type: "string" },
      datastore: { type: "string" },
      "until-empty": { type: "boolean" },
      threads: { type: "string" },
      workers: { type: "string" },
      "health-port": { type: "string" },
      json: { type: "boolean" },
    },
  });
  const cmd = positionals[0];
  if (values.help || !["plan", "work", "status", "run"].includes(cmd ?? "")) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  try {
    const env = await resolveEnv();
    try {
      if (cmd === "plan") return await plan(env, values);
      if (cmd === "work") return await work(env, values);
      if (cmd === "status") return await status(env, values.json ?? false);
      return await runAll(env, values);
    } finally {
      await env.stop();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

type Values = Record<string, string | boolean | undefined>;

function datastoreOf(values: Values) {
  const loc = (values.datastore as string | undefined) ?? process.env.LEDGER_DATASTORE;
  if (!loc) throw new UsageError("backfill: pass --datastore DIR|URL or set LEDGER_DATASTORE");
  return openDatastoreAt(loc);
}

async function withHot<T>(url: string, f: (hot: pg.Client) => Promise<T>): Promise<T> {
  const hot = new pg.Client({ connectionString: url });
  hot.on("error", () => {});
  await hot.connect();
  try {
    return await f(hot);
  } finally {
    await hot.end().catch(() => {});
  }
}

async function plan(env: Env, values: Values): Promise<number> {
  const from = int(values.from as string | undefined, "--from");
  const to = int(values.to as string | undefined, "--to");
  if (from === undefined || to === undefined)
    throw new UsageError("backfill plan: --from and --to are required");
  const jobSize = int(values["job-size"] as string | undefined, "--job-size") ?? 1000;
  const ds = datastoreOf(values);
  const m = await ds.manifest();
  const jobs = planJobs(from, to, jobSize, m.ledgersPerBatch);
  const lake = await openLake(env);
  const queue = await BackfillQueue.open(env.queueUrl);
  try {
    const cold = await coldRange(lake.catalog as never, env.metaSchema);
    const live = await withHot(env.hotUrl, liveRange);
    const planned = (await queue.unregistered())
      .filter((j) => j.state !== "failed")
      .filter((j) => j.last < from || j.first > to);
    const why = planError({ first: from, last: to }, cold, live, planned);
    if (why) {
      console.error(`backfill plan ${from}-${to} refused: ${why}`);
      return 1;
    }
    const below = (cold && to < cold.oldest) || (live.hot !== undefined && to < live.hot[0]);
    const r = await queue.plan(jobs, { descending: Boolean(below) });
    console.log(
      JSON.stringify({
        range: [from, to],
        jobs: jobs.length,
        planned: r.planned.length,
        already_planned: r.existing,
        job_size: jobSize,
      }),
    );
    return 0;
  } finally {
    await queue.close();
    await lake.close();
  }
}

async function work(env: Env, values: Values): Promise<number> {
  const log = createLogger("backfill");
  const ds = datastoreOf(values);
  const lake: LakeContext = await openLake(env);
  const queue = await BackfillQueue.open(env.queueUrl);
  const hot = new pg.Client({ connectionString: env.hotUrl });
  hot.on("error", () => {});
  await hot.connect();
  const registry = new Registry();
  const state = { ready: true, error: null as string | null };
  const server = await startStatusServer({
    port: int(
      (values["health-port"] as string | undefined) ?? process.env.BACKFILL_HEALTH_PORT ?? "8094",
      "--health-port",
    )!,
    registry,
    health: () => ({ live: true, ready: state.ready, error: state.error }),
  });
  log.info({ port: server.port }, "backfill worker: /health and /metrics");
  const signal = shutdownSignal();
  try {
    const network = networkName((await ds.manifest()).networkPassphrase);
    const r = await runWorker({
      queue,
      lake,
      datastore: ds,
      hot,
      stamp: { eraId: process.env.ERA_ID ?? network, versionLabel: process.env.VERSION_LABEL ?? "v1" },
      threads: int(values.threads as string | undefined, "--threads") ?? 1,
      untilEmpty: values["until-empty"] === true,
      signal,
      registry,
      log: (l) => log.info(l),
      duckMemory: process.env.BACKFILL_DUCKDB_MEMORY ?? "512MB",
      prefetch: int(process.env.BACKFILL_PREFETCH, "BACKFILL_PREFETCH") ?? 4,
      failpoint,
    });
    log.info(r, "backfill worker finished");
    if (r.blocked) {
      console.error(`backfill work: ${r.blocked}`);
      return 1;
    }
    return 0;
  } finally {
    await server.close();
    await hot.end().catch(() => {});
    await queue.close();
    await lake.close();
  }
}

function progressLine(c: QueueCounts): string {
  const { total, registered, finished } = c.ledgers;
  const pct = total ? (100 * registered) / total : 100;
  const width = 30;
  const filled = Math.round((width * pct) / 100);
  const rate = c.ledgersPerSecond;
  const eta = rate ? Math.round((total - finished) / rate) : undefined;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${registered}/${total} ledgers registered (${finished} transformed), ${c.jobs.running} running, ${c.jobs.failed} failed, ${rate ? `${rate.toFixed(1)} ledgers/s` : "-- ledgers/s"}, ETA ${eta === undefined ? "--" : `${eta}s`}`;
}

async function status(env: Env, json: boolean): Promise<number> {
  const queue = await BackfillQueue.open(env.queueUrl);
  try {
    const c = await queue.counts();
    if (json) {
      console.log(JSON.stringify(c));
      return 0;
    }
    console.log(
      `jobs: ${c.jobs.queued} queued, ${c.jobs.running} running, ${c.jobs.done} done (awaiting registration), ${c.jobs.registered} registered, ${c.jobs.failed} failed`,
    );
    console.log(`pg-boss: ${c.boss.queued} queued, ${c.boss.active} active, ${c.boss.failed} failed`);
    console.log(progressLine(c));
    const failed = (await queue.unregistered()).filter((j) => j.state === "failed");
    for (const j of failed.slice(0, 10)) console.log(`failed job ${j.first}-${j.last}: ${j.error}`);
    return 0;
  } finally {
    await queue.close();
  }
}

async function runAll(env: Env, values: Values): Promise<number> {
  const workers = int(values.workers as string | undefined, "--workers") ?? 1;
  if (workers < 1) throw new UsageError("backfill run: --workers must be at least 1");
  const planned = await plan(env, values);
  if (planned !== 0) return planned;
  const from = Number(values.from);
  const to = Number(values.to);
  const childEnv = {
    ...process.env,
    DATABASE_URL: env.hotUrl,
    DUCKLAKE_CATALOG_URL: env.catalogUrl,
    BACKFILL_QUEUE_URL: env.queueUrl,
  };
  const workArgs = [mainTs, "backfill", "work", "--until-empty", "--health-port", "0"];
  if (values.datastore) workArgs.push("--datastore", String(values.datastore));
  const signal = shutdownSignal();
  let failures = 0;
  let blocked = false;
  const children = new Set<ReturnType<typeof spawn>>();
  const start = (): Promise<void> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", ...workArgs], {
        env: childEnv,
        stdio: ["ignore", "ignore", "inherit"],
      });
      children.add(child);
      child.on("exit", (code, sig) => {
        children.delete(child);
        if (code === 0 || signal.aborted) return resolve();
        if (code === 1 && !sig) {
          blocked = true; // a job failed for good: another worker would stop the same way
          return resolve();
        }
        failures += 1;
        console.error(`backfill run: a worker died (${sig ?? `exit ${code}`}); starting another`);
        if (failures > workers * 5) return resolve();
        start().then(resolve);
      });
    });
  signal.addEventListener("abort", () => {
    for (const c of children) c.kill("SIGTERM");
  });
  const done = Promise.all(Array.from({ length: workers }, () => start()));
  const queue = await BackfillQueue.open(env.queueUrl);
  const tty = process.stderr.isTTY;
  let last = 0;
  const show = async () => {
    const c = await queue.counts().catch(() => undefined);
    if (!c) return;
    const line = `backfill ${from}-${to}: ${progressLine(c)}`;
    if (tty) process.stderr.write(`\r${line}\u001b[K`);
    else if (Date.now() - last > 5000) {
      last = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
  const timer = setInterval(show, 1000);
  try {
    await done;
  } finally {
    clearInterval(timer);
  }
  try {
    const c = await queue.counts();
    last = 0;
    await show();
    if (tty) process.stderr.write("\n");
    const jobs = (await queue.jobsIn(from, to)).filter((j) => j.state !== "registered");
    if (jobs.length === 0 && !blocked) {
      console.log(JSON.stringify({ range: [from, to], registered_ledgers: c.ledgers.registered, workers }));
      return 0;
    }
    const seqs = jobs.map((j) => `${j.first}-${j.last} (${j.state}${j.error ? `: ${j.error}` : ""})`);
    console.error(
      `backfill run: not registered: ${seqs.slice(0, 10).join("; ")}${seqs.length > 10 ? " …" : ""}`,
    );
    return 1;
  } finally {
    await queue.close();
  }
}
