/**
 * The backfill's job queue: pg-boss (PostgreSQL; no new server) claims, retries and expires the jobs — a job
 * whose worker died stops heart-beating and pg-boss hands it to another worker —, with the `singleton` policy
 * keyed by the job's range, so a range is never active twice. Next to it, in the same database, one row per
 * job (`stellar_backfill.job`) holds what pg-boss does not: the plan (a range is planned once), the attempt a
 * worker holds, and the finished job's manifest until the registrar has committed it to the lake.
 */
import { hostname } from "node:os";
import pg from "pg";
import { PgBoss } from "pg-boss";
import type { JobManifest } from "./job";
import type { JobRange } from "./plan";

export const QUEUE_NAME = "backfill-ledgers";
const S = "stellar_backfill";

export interface QueueSettings {
  /** Attempts after the first before a job fails for good (BACKFILL_RETRY_LIMIT, default 5). */
  retryLimit: number;
  /** A worker that sends no heartbeat for this long is presumed dead (BACKFILL_HEARTBEAT_SECONDS, ≥ 10, default 30). */
  heartbeatSeconds: number;
  /** A job running longer than this is expired and retried (BACKFILL_JOB_TIMEOUT_SECONDS, default 3600). */
  expireInSeconds: number;
  /** How often pg-boss's supervisor looks for dead workers' jobs (BACKFILL_SUPERVISE_SECONDS, default 10). */
  superviseSeconds: number;
}

export function queueSettings(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const int = (name: string, def: number, min: number) => {
    const v = env[name];
    if (v === undefined || v === "") return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got '${v}'`);
    return n;
  };
  return {
    retryLimit: int("BACKFILL_RETRY_LIMIT", 5, 0),
    heartbeatSeconds: int("BACKFILL_HEARTBEAT_SECONDS", 30, 10),
    expireInSeconds: int("BACKFILL_JOB_TIMEOUT_SECONDS", 3600, 1),
    superviseSeconds: int("BACKFILL_SUPERVISE_SECONDS", 10, 1),
  };
}

/** A job a worker holds: pg-boss's id and attempt (retryCount), and its range. */
export interface Claim {
  id: string;
  attempt: number;
  first: number;
  last: number;
}

export type JobState = "queued" | "running" | "done" | "registered" | "failed";

export interface JobRow {
  first: number;
  last: number;
  state: JobState;
  attempt: number;
  manifest: JobManifest | null;
  error: string | null;
}

export interface QueueCounts {
  /** From the job rows. */
  jobs: Record<JobState, number>;
  ledgers: { total: number; finished: number; registered: number };
  /** pg-boss's own view: queued (created + retry), active, failed. */
  boss: { queued: number; active: number; failed: number };
  /** Ledgers finished per second over the last minute (undefined: none finished in it). */
  ledgersPerSecond: number | undefined;
  firstStartedAt: Date | undefined;
}

export class BackfillQueue {
  readonly worker = `${hostname()}:${process.pid}`;
  private constructor(
    readonly pool: pg.Pool,
    readonly boss: PgBoss,
    readonly settings: QueueSettings,
  ) {}

  /** Connect (installing pg-boss's schema and the job table when missing) and create the queue. */
  static async open(url: string, settings: QueueSettings = queueSettings()): Promise<BackfillQueue> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on("error", () => {}); // a dropped idle connection is reopened by the next query
    const boss = new PgBoss({
      connectionString: url,
      max: 4,
      superviseIntervalSeconds: settings.superviseSeconds,
      monitorIntervalSeconds: settings.superviseSeconds,
    });
    boss.on("error", () => {}); // supervisor errors are retried by pg-boss; queries below report their own
    try {
      await boss.start();
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
      await pool.query(`CREATE TABLE IF NOT EXISTS ${S}.job (
        first_ledger bigint PRIMARY KEY,
        last_ledger bigint NOT NULL CHECK (last_ledger >= first_ledger),
        state text NOT NULL DEFAULT 'queued',
        attempt int NOT NULL DEFAULT 0,
        worker text,
        manifest jsonb,
        error text,
        planned_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        registered_snapshot bigint
      )`);
      if (!(await boss.getQueue(QUEUE_NAME))) {
        await boss.createQueue(QUEUE_NAME, {
          policy: "singleton",
          retryLimit: settings.retryLimit,
          retryDelay: 1,
          retryBackoff: true,
          retryDelayMax: 60,
          heartbeatSeconds: settings.heartbeatSeconds,
          expireInSeconds: settings.expireInSeconds,
          deleteAfterSeconds: 7 * 86400,
        });
      }
    } catch (err) {
      await boss.stop({ graceful: false }).catch(() => {});
      await pool.end().catch(() => {});
      throw err;
    }
    return new BackfillQueue(pool, boss, settings);
  }

  /**
   * Enqueue the jobs not planned before (a range already planned is left alone, whatever its state): the job
   * rows and pg-boss's jobs are inserted in one transaction, so a crash plans all or none. `descending`: the
   * range ends below the history, so its jobs register from the top down and are handed out in that order.
   */
  async plan(
    jobs: readonly JobRange[],
    opts: { descending?: boolean } = {},
  ): Promise<{ planned: JobRange[]; existing: number }> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      const r = await c.query(
        `INSERT INTO ${S}.job (first_ledger, last_ledger)
         SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT (first_ledger) DO NOTHING RETURNING first_ledger, last_ledger`,
        [jobs.map((j) => j.first), jobs.map((j) => j.last)],
      );
      const planned = r.rows
        .map((x) => ({ first: Number(x.first_ledger), last: Number(x.last_ledger) }))
        .sort((a, b) => a.first - b.first);
      const overlapping = await c.query(
        `SELECT a.first_ledger AS a1, a.last_ledger AS a2, b.first_ledger AS b1, b.last_ledger AS b2
         FROM ${S}.job a JOIN ${S}.job b ON a.first_ledger < b.first_ledger AND a.last_ledger >= b.first_ledger LIMIT 1`,
      );
      if (overlapping.rows[0]) {
        const o = overlapping.rows[0];
        throw new Error(
          `backfill plan: job ${o.b1}-${o.b2} would overlap the planned job ${o.a1}-${o.a2} (plan with the same --job-size as before)`,
        );
      }
      if (planned.length) {
        await this.boss.insert(
          QUEUE_NAME,
          // Growing the history downwards registers from the top: hand out the highest jobs first.
          planned.map((j, i) => ({
            data: j,
            singletonKey: `${j.first}-${j.last}`,
            ...(opts.descending ? { priority: i } : {}),
          })),
          { db: { executeSql: (text, values) => c.query(text, values as unknown[]) } },
        );
      }
      await c.query("COMMIT");
      return { planned, existing: jobs.length - planned.length };
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  /** Claim the next job (undefined: none ready). */
  async claim(): Promise<Claim | undefined> {
    const [job] = await this.boss.fetch<JobRange>(QUEUE_NAME, { batchSize: 1 });
    if (!job) return undefined;
    const claim = { id: job.id, attempt: job.retryCount, first: job.data.first, last: job.data.last };
    await this.pool.query(
      `UPDATE ${S}.job SET state = 'running', attempt = $2, worker = $3, started_at = now(), error = NULL
       WHERE first_ledger = $1 AND state IN ('queued', 'running', 'failed')`,
      [claim.first, claim.attempt, this.worker],
    );
    return claim;
  }

  /** Tell pg-boss the worker is alive (every heartbeatSeconds / 3). */
  async heartbeat(c: Claim): Promise<void> {
    await this.boss.touch(QUEUE_NAME, { id: c.id, retryCount: c.attempt });
  }

  /**
   * Record a finished attempt's manifest. False when this attempt no longer holds the job (it was presumed
   * dead and retried): its files are then not the job's and the caller deletes them.
   */
  async finish(c: Claim, manifest: JobManifest): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE ${S}.job SET state = 'done', manifest = $3, finished_at = now()
       WHERE first_ledger = $1 AND attempt = $2 AND state = 'running'`,
      [c.first, c.attempt, JSON.stringify(manifest)],
    );
    if (r.rowCount !== 1) return false;
    await this.boss.complete(QUEUE_NAME, { id: c.id, retryCount: c.attempt });
    return true;
  }

  /** A failed attempt: pg-boss retries it (with backoff) until its retry limit, then it is failed for good. */
  async fail(c: Claim, err: Error): Promise<void> {
    const final = c.attempt >= this.settings.retryLimit;
    await this.pool.query(
      `UPDATE ${S}.job SET state = $3, error = $4 WHERE first_ledger = $1 AND attempt = $2 AND state = 'running'`,
      [c.first, c.attempt, final ? "failed" : "queued", err.message],
    );
    await this.boss.fail(QUEUE_NAME, { id: c.id, retryCount: c.attempt }, { message: err.message });
  }

  /** Finished jobs not yet registered, in ledger order. */
  async finished(): Promise<JobRow[]> {
    return this.rows(`WHERE state = 'done' ORDER BY first_ledger`);
  }

  /** Every job row not yet registered (any state), in ledger order. */
  async unregistered(): Promise<JobRow[]> {
    return this.rows(`WHERE state <> 'registered' ORDER BY first_ledger`);
  }

  async jobsIn(first: number, last: number): Promise<JobRow[]> {
    return this.rows(`WHERE last_ledger >= $1 AND first_ledger <= $2 ORDER BY first_ledger`, [first, last]);
  }

  private async rows(where: string, params: unknown[] = []): Promise<JobRow[]> {
    const r = await this.pool.query(
      `SELECT first_ledger, last_ledger, state, attempt, manifest, error FROM ${S}.job ${where}`,
      params,
    );
    return r.rows.map((x) => ({
      first: Number(x.first_ledger),
      last: Number(x.last_ledger),
      state: x.state as JobState,
      attempt: Number(x.attempt),
      manifest: (x.manifest as JobManifest | null) ?? null,
      error: (x.error as string | null) ?? null,
    }));
  }

  async markRegistered(firsts: readonly number[], snapshot: number | null): Promise<void> {
    if (!firsts.length) return;
    await this.pool.query(
      `UPDATE ${S}.job SET state = 'registered', registered_snapshot = $2, manifest = NULL
       WHERE first_ledger = ANY($1::bigint[])`,
      [firsts, snapshot],
    );
  }

  /** A job the registrar refuses (e.g. it overlaps the live pipeline): failed for good, with why. */
  async markRefused(first: number, reason: string): Promise<void> {
    await this.pool.query(`UPDATE ${S}.job SET state = 'failed', error = $2 WHERE first_ledger = $1`, [
      first,
      reason,
    ]);
  }

  async counts(): Promise<QueueCounts> {
    const r = await this.pool.query(
      `SELECT state, COUNT(*)::int AS n, COALESCE(SUM(last_ledger - first_ledger + 1), 0)::bigint AS ledgers
       FROM ${S}.job GROUP BY state`,
    );
    const jobs: Record<JobState, number> = { queued: 0, running: 0, done: 0, registered: 0, failed: 0 };
    const ledgers = { total: 0, finished: 0, registered: 0 };
    for (const x of r.rows) {
      jobs[x.state as JobState] = x.n;
      ledgers.total += Number(x.ledgers);
      if (x.state === "done" || x.state === "registered") ledgers.finished += Number(x.ledgers);
      if (x.state === "registered") ledgers.registered += Number(x.ledgers);
    }
    const rate = await this.pool.query(
      `SELECT COALESCE(SUM(last_ledger - first_ledger + 1), 0)::bigint AS n, MIN(started_at) AS t0
       FROM ${S}.job WHERE finished_at > now() - interval '60 seconds'`,
    );
    const first = await this.pool.query(`SELECT MIN(started_at) AS t FROM ${S}.job`);
    const recent = Number(rate.rows[0].n);
    const since = rate.rows[0].t0 ? (Date.now() - new Date(rate.rows[0].t0).getTime()) / 1000 : 0;
    const q = await this.boss.getQueue(QUEUE_NAME);
    return {
      jobs,
      ledgers,
      boss: { queued: q?.queuedCount ?? 0, active: q?.activeCount ?? 0, failed: q?.failedCount ?? 0 },
      ledgersPerSecond: recent > 0 ? recent / Math.max(1, Math.min(60, since)) : undefined,
      firstStartedAt: first.rows[0].t ? new Date(first.rows[0].t) : undefined,
    };
  }

  /**
   * Jobs still to be handed out or running (queued, retrying, active). A job pg-boss failed for good without
   * its worker saying so (every attempt's worker died: expired) is marked failed here, with pg-boss's reason.
   */
  async pending(): Promise<number> {
    const r = await this.pool.query(
      `SELECT first_ledger, last_ledger FROM ${S}.job WHERE state IN ('queued', 'running')`,
    );
    let n = 0;
    for (const x of r.rows) {
      const key = `${x.first_ledger}-${x.last_ledger}`;
      const jobs = await this.boss.findJobs(QUEUE_NAME, { key });
      if (jobs.length > 0 && jobs.every((j) => j.state === "failed" || j.state === "cancelled")) {
        const out = jobs.at(-1)!.output as { message?: string } | null;
        await this.markRefused(
          Number(x.first_ledger),
          `job ${key} failed on every attempt: ${out?.message ?? "its workers stopped heart-beating (killed?)"}`,
        );
      } else n++;
    }
    return n;
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true }).catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
