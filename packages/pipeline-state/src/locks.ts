/**
 * Single writer with hot standby: the active ingester holds a session-level advisory lock on a dedicated
 * connection (a direct one: session locks do not survive transaction pooling). A second ingester polls for
 * it and takes over as soon as the first one's session ends.
 */
import pg from "pg";

/** Advisory lock keys (arbitrary, fixed int64s): one active ingester and one active flusher per database. */
export const INGESTER_LOCK_KEY = -3_871_220_137_771_450_339n;
export const FLUSHER_LOCK_KEY = -3_871_220_137_771_450_338n;

export interface HeldLock {
  /** Rejects when the lock connection is lost (the lock is gone: stop writing). */
  readonly lost: Promise<never>;
  release(): Promise<void>;
}

export async function acquireWriterLock(
  url: string,
  opts: {
    key?: bigint;
    role?: string;
    pollMs?: number;
    log: (msg: string) => void;
    /** Called once when the lock is taken by another instance and this one starts standing by. */
    onStandby?: (detail: string) => void;
    signal?: AbortSignal;
    /** Give up connecting after this long (default: no limit); a service retrying with backoff sets one. */
    connectTimeoutMs?: number;
  },
): Promise<HeldLock> {
  const key = (opts.key ?? INGESTER_LOCK_KEY).toString();
  const role = opts.role ?? "ingester";
  const appName = `stellar-lake-${role}-lock`;
  const client = new pg.Client({
    connectionString: url,
    application_name: appName,
    ...(opts.connectTimeoutMs ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
  });
  let onLost: (err: Error) => void = () => {};
  const lost = new Promise<never>((_, reject) => {
    onLost = reject;
  });
  lost.catch(() => {});
  client.on("error", (err) => onLost(new Error(`writer lock connection lost: ${err.message}`)));
  client.on("end", () => onLost(new Error("writer lock connection closed")));
  await client.connect();
  let announced = false;
  for (;;) {
    const r = await client.query("SELECT pg_try_advisory_lock($1::bigint) AS ok", [key]);
    if (r.rows[0].ok) break;
    if (!announced) {
      const holder = await client.query(
        `SELECT a.pid, a.backend_start FROM pg_stat_activity a
         WHERE a.application_name = $1 AND a.pid <> pg_backend_pid()
           AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)`,
        [appName],
      );
      const h = holder.rows[0];
      const detail = `another ${role} is active on this database${h ? ` (backend pid ${h.pid}, since ${new Date(h.backend_start).toISOString()})` : ""}; standing by to take over`;
      opts.log(detail);
      opts.onStandby?.(detail);
      announced = true;
    }
    if (opts.signal?.aborted) {
      await client.end();
      throw new Error("stopped while standing by");
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
  if (announced) opts.log(`the active ${role} is gone: taking over`);
  return {
    lost,
    async release() {
      client.removeAllListeners("end");
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
