/**
 * The hot buffer, read inside one REPEATABLE READ, READ ONLY transaction per request. Its first statement fixes
 * the snapshot (and reads the hot ledger bounds) BEFORE the request reads the DuckLake watermark: the flusher
 * commits the catalog before deleting hot rows, so every ledger ≤ the watermark it then reads is either still in
 * this snapshot (and ignored) or already in cold — never missing, never twice.
 */
import pg from "pg";
import { isConnectionError, StoreUnavailableError } from "../errors";
import { SharedRead } from "./shared-read";

export interface HotSnapshot {
  /** Runs a parameterised statement in the request's transaction; rows as arrays in select-list order. */
  query(sql: string, params: readonly string[]): Promise<(string | number | boolean | null)[][]>;
  /** Lowest and highest ledger in the hot buffer at the snapshot (null when empty). */
  readonly minLedger: bigint | null;
  readonly maxLedger: bigint | null;
  /** Rows of the statement sent with the snapshot's first round trip (see `snapshot`), keyed by `statementKey`. */
  readonly prefetched?: { key: string; rows: (string | number | boolean | null)[][] };
}

/** A statement as parameterised text + parameters: what a prefetched result is matched by. */
export const statementKey = (sql: string, params: readonly string[]) => `${sql}\0${params.join("\0")}`;

/** `value` as a PostgreSQL literal: dollar-quoted (taken verbatim, whatever it holds) with a tag it does not contain. */
export function dollarQuote(value: string): string {
  let tag = "$v$";
  for (let i = 0; value.includes(tag.slice(0, -1)); i++) tag = `$v${i}$`;
  return `${tag}${value}${tag}`;
}

/** The statement with its `$n::type` parameters written in as literals (for the simple-query protocol). */
export function inlineParams(sql: string, params: readonly string[]): string {
  return sql.replace(/\$([0-9]+)::/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (v === undefined) throw new Error(`statement has no parameter $${n}`);
    return `${dollarQuote(v)}::`;
  });
}

export interface HotStoreOptions {
  url: string;
  /** Pool size (through PgBouncer transaction pooling this is per API process). */
  max?: number;
  /**
   * Connections kept open while idle (default 0), opened by `warm()`: a burst then finds its connections ready
   * instead of opening (SCRAM handshake, server fork) up to `max` of them while requests wait.
   */
  min?: number;
  /** How long a connection above `min` may stay idle before it is closed (default 10 s). */
  idleTimeoutMs?: number;
  statementTimeoutMs?: number;
}

// Timestamps stay the text PostgreSQL sends (in UTC, see the transaction below), as the cold store reads them,
// instead of node-postgres's Date (milliseconds only); int8 stays its text too (node-postgres's own int8 parser
// hands it back unchanged, after a regex test per value); everything else as node-postgres parses it.
const TEXT_OIDS = new Set([20, 1114, 1184]);
const asText = (v: string) => v;
const WIRE_TYPES = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (TEXT_OIDS.has(oid)) return asText;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A snapshot closed in its first round trip, with the statement the request will most likely read sent along. */
export interface ClosedRead {
  statement: { sql: string; params: readonly string[] };
}

/** Thrown into a request that needs more than its prefetched statement after the snapshot was closed. */
class SnapshotClosed extends Error {
  constructor() {
    super("the prefetched snapshot is closed");
  }
}

/** The hot bounds' statement on its own: one statement sees one snapshot, so it needs no transaction around it. */
const BOUNDS = "SELECT min(sequence)::text AS lo, max(sequence)::text AS hi FROM public.ledgers_row_v2";

type BoundsRow = [string | null, string | null];

/** A snapshot that can answer nothing but its bounds (and its prefetched rows, if any). */
function closedView([lo, hi]: BoundsRow, prefetched?: HotSnapshot["prefetched"]): HotSnapshot {
  return {
    query: () => Promise.reject(new SnapshotClosed()),
    minLedger: lo === null ? null : BigInt(lo),
    maxLedger: hi === null ? null : BigInt(hi),
    ...(prefetched ? { prefetched } : {}),
  };
}

/** Opens `pool`'s `min` connections at once and returns them to it (failures ignored). */
export async function warmPool(pool: pg.Pool): Promise<void> {
  const n = (pool.options as { min?: number }).min ?? 0;
  const opened = await Promise.allSettled(Array.from({ length: n }, () => pool.connect()));
  for (const c of opened) if (c.status === "fulfilled") c.value.release();
}

/** Clients that have the checked-out error listener already (one per client, not one per checkout). */
const heard = new WeakSet<pg.PoolClient>();

export class HotStore {
  readonly pool: pg.Pool;
  private readonly timeoutMs: number;

  constructor(o: HotStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: o.url,
      types: WIRE_TYPES,
      max: o.max ?? 10,
      min: Math.min(o.min ?? 0, o.max ?? 10),
      idleTimeoutMillis: o.idleTimeoutMs ?? 10_000,
      application_name: "stellar-lake-query-api",
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its server must not crash the process; the next checkout reconnects.
    this.pool.on("error", () => {});
    this.timeoutMs = o.statementTimeoutMs ?? 30_000;
  }

  /** Opens the pool's `min` connections (best effort: a store that is down is reported by the requests). */
  warm(): Promise<void> {
    return warmPool(this.pool);
  }

  /**
   * Runs `fn` in one snapshot. With `closed`, the whole hot transaction — open, bounds, the statement the request
   * will most likely read if any, commit — is one round trip, and `fn` runs on its result: if `fn` asks exactly
   * that statement it gets the prefetched rows; if it needs anything else the snapshot is gone, so `fn` starts
   * over on a normal snapshot (a wasted read, only when the range turned out not to be all hot / all cold).
   */
  async snapshot<T>(fn: (s: HotSnapshot) => Promise<T>, closed?: ClosedRead): Promise<T> {
    if (closed) {
      const done = await this.closedSnapshot(fn, closed.statement);
      if (done) return done.value;
    }
    return this.openSnapshot(fn);
  }

  /**
   * Runs `fn` on the hot bounds alone, read in one statement while `alongside` runs (the request's catalog read):
   * for a request expected to read only cold rows, whose hot snapshot orders nothing — the flusher's order (the
   * catalog commits before the hot rows go) matters only to a request that reads hot rows. Null when `fn` needed
   * hot rows after all: the caller starts over on `snapshot`, which takes the hot snapshot before the catalog read.
   */
  async boundsOnly<A, T>(
    alongside: () => Promise<A>,
    fn: (s: HotSnapshot, a: A) => Promise<T>,
  ): Promise<{ value: T } | null> {
    const [bounds, a] = await Promise.all([this.boundsReads.get(), alongside()]);
    try {
      return { value: await fn(closedView(bounds), a) };
    } catch (err) {
      if (err instanceof SnapshotClosed) return null;
      throw err;
    }
  }

  /** Bounds-only requests share one read, each a read that starts after it asked (see `SharedRead`). */
  private readonly boundsReads = new SharedRead(() => this.bounds());

  private async bounds(): Promise<BoundsRow> {
    const client = await this.checkout();
    let broken = false;
    try {
      const [r] = await this.send(client, BOUNDS, () => {
        broken = true;
      });
      return r!.rows[0] as unknown as BoundsRow;
    } finally {
      client.release(broken);
    }
  }

  private async checkout(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new StoreUnavailableError("hot", `cannot connect: ${(err as Error).message}`);
    }
    // The pool listens for errors of idle clients only: a checked-out client whose server goes away (PostgreSQL
    // restarted) emits 'error', which unheard ends the process. Its query in flight fails by itself (a 503; the
    // client is released as broken), so the event itself needs no more than a listener.
    if (!heard.has(client)) {
      heard.add(client);
      client.on("error", () => {});
    }
    return client;
  }

  /** Opens the transaction, bounds it (statement timeout; UTC for the timestamps' text) and takes the snapshot. */
  private opening(): string {
    return `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
      SELECT set_config('statement_timeout', '${Math.max(1, Math.floor(this.timeoutMs))}', true),
             set_config('TimeZone', 'UTC', true),
             min(sequence)::text AS lo, max(sequence)::text AS hi FROM public.ledgers_row_v2`;
  }

  /**
   * Runs a statement (with `values`: parameterised; without: a simple query, possibly several statements), rows as
   * arrays — a 60-key object per row costs more to build (and to read back) than the values. Connection failures
   * become the store's 503, marking the client.
   */
  private async send(
    client: pg.PoolClient,
    text: string,
    mark: () => void,
    values?: readonly string[],
  ): Promise<pg.QueryResult[]> {
    try {
      const r = await client.query({
        text,
        rowMode: "array",
        ...(values ? { values: values as string[] } : {}),
      });
      return (Array.isArray(r) ? r : [r]) as pg.QueryResult[];
    } catch (err) {
      if (isConnectionError(err)) {
        mark();
        throw new StoreUnavailableError("hot", (err as Error).message);
      }
      throw err;
    }
  }

  private async closedSnapshot<T>(
    fn: (s: HotSnapshot) => Promise<T>,
    prefetch: ClosedRead["statement"],
  ): Promise<{ value: T } | null> {
    const client = await this.checkout();
    let broken = false;
    let results: pg.QueryResult[];
    try {
      results = await this.send(
        client,
        `${this.opening()};\n${inlineParams(prefetch.sql, prefetch.params)};\nCOMMIT`,
        () => {
          broken = true;
        },
      );
    } catch (err) {
      // A failed statement leaves the batch's transaction aborted.
      if (!broken) await client.query("ROLLBACK").catch(() => {});
      client.release(broken);
      throw err;
    }
    client.release();
    const [, , lo, hi] = results[1]!.rows[0] as unknown as [unknown, unknown, string | null, string | null];
    try {
      return {
        value: await fn(
          closedView([lo, hi], {
            key: statementKey(prefetch.sql, prefetch.params),
            rows: results[2]!.rows as unknown as (string | number | boolean | null)[][],
          }),
        ),
      };
    } catch (err) {
      if (err instanceof SnapshotClosed) return null;
      throw err;
    }
  }

  private async openSnapshot<T>(fn: (s: HotSnapshot) => Promise<T>): Promise<T> {
    const client = await this.checkout();
    let broken = false;
    const mark = () => {
      broken = true;
    };
    const run = async (sql: string, params: readonly string[]) =>
      (await this.send(client, sql, mark, params))[0]!.rows;
    let committing = false;
    try {
      const opened = await this.send(client, this.opening(), mark);
      const [, , lo, hi] = opened[1]!.rows[0] as unknown as [unknown, unknown, string | null, string | null];
      const result = await fn({
        query: run as HotSnapshot["query"],
        minLedger: lo === null ? null : BigInt(lo),
        maxLedger: hi === null ? null : BigInt(hi),
      });
      // The answer is complete: end the read-only transaction without holding the response for the round trip.
      // The connection goes back to the pool once COMMIT is through (discarded if it failed).
      committing = true;
      client.query("COMMIT").then(
        () => client.release(),
        () => client.release(true),
      );
      return result;
    } catch (err) {
      if (!broken) await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      if (!committing) client.release(broken);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query("SELECT 1");
    } catch (err) {
      throw new StoreUnavailableError("hot", (err as Error).message);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
