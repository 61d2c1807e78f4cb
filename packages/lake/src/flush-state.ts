/**
 * The flush-state contract, read in ONE place: the newest snapshot this project wrote carries a JSON object in
 * `ducklake_snapshot_changes.commit_extra_info` with at least `watermark` (the highest ledger in cold storage),
 * usually `range`, `rows`, `seconds`. Compaction snapshots carry the same state forward. Snapshots written by
 * others (the ducklake extension, a manual DuckDB session) have no or non-JSON extra info and are skipped.
 * Used by the flusher, the ingester's start planning, the status page and the query API.
 */
import type pg from "pg";

/** Anything with pg's `query` (pg.Client, pg.PoolClient, pg.Pool). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface FlushState {
  snapshotId: number;
  snapshotTime?: string;
  /** Highest ledger in cold storage at this snapshot. */
  watermark: number;
  /** Ledgers the flush moved (a compaction snapshot carries the last flush's). */
  range?: [number, number];
  rows?: number;
  seconds?: number;
  watermarkHash?: string;
  /** "flush" (default) or "compact". */
  operation: string;
  /** The whole parsed object, for fields this module does not name. */
  info: Record<string, unknown>;
}

const num = (v: unknown): number | undefined =>
  v === undefined || v === null || v === "" || !Number.isFinite(Number(v)) ? undefined : Number(v);

/** The flush state in one `commit_extra_info` value, or undefined when it carries none. */
export function parseFlushState(
  commitExtraInfo: unknown,
): Omit<FlushState, "snapshotId" | "snapshotTime"> | undefined {
  if (typeof commitExtraInfo !== "string" || commitExtraInfo.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(commitExtraInfo);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const info = parsed as Record<string, unknown>;
  // Older writers nested it as {"flush_state": {...}}.
  const nested =
    info.flush_state && typeof info.flush_state === "object"
      ? (info.flush_state as Record<string, unknown>)
      : undefined;
  const src = num(info.watermark) !== undefined ? info : (nested ?? info);
  const watermark = num(src.watermark);
  if (watermark === undefined) return undefined;
  const r = Array.isArray(src.range) ? src.range.map(num) : [num(src.from), num(src.to ?? src.watermark)];
  const hash = src.watermark_hash ?? src.watermarkHash;
  const rows = num(src.rows ?? src.total_rows);
  const seconds = num(src.seconds ?? src.duration_s);
  return {
    watermark,
    ...(r[0] !== undefined && r[1] !== undefined ? { range: [r[0], r[1]] as [number, number] } : {}),
    ...(rows !== undefined ? { rows } : {}),
    ...(seconds !== undefined ? { seconds } : {}),
    ...(typeof hash === "string" ? { watermarkHash: hash } : {}),
    operation: typeof info.operation === "string" ? info.operation : "flush",
    info,
  };
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function catalogExists(client: Queryable, metaSchema: string): Promise<boolean> {
  const r = await client.query("SELECT to_regclass($1) AS t", [
    `${ident(metaSchema)}.ducklake_snapshot_changes`,
  ]);
  return Boolean(r.rows[0]?.t);
}

/**
 * Snapshots carrying a flush state, newest first (at most `limit`; `before`: only snapshots older than that
 * id). No catalog in `metaSchema` yet → [].
 */
export async function flushStates(
  client: Queryable,
  metaSchema: string,
  opts: { limit?: number; before?: number; operation?: string } = {},
): Promise<FlushState[]> {
  if (!(await catalogExists(client, metaSchema))) return [];
  const s = ident(metaSchema);
  const limit = opts.limit ?? 20;
  const out: FlushState[] = [];
  let before = opts.before ?? Number.MAX_SAFE_INTEGER;
  const page = 200;
  for (;;) {
    const r = await client.query(
      `SELECT c.snapshot_id, s.snapshot_time, c.commit_extra_info FROM ${s}.ducklake_snapshot_changes c
       LEFT JOIN ${s}.ducklake_snapshot s USING (snapshot_id)
       WHERE c.commit_extra_info IS NOT NULL AND c.snapshot_id < $1 ORDER BY c.snapshot_id DESC LIMIT ${page}`,
      [before],
    );
    for (const row of r.rows) {
      const st = parseFlushState(row.commit_extra_info);
      if (!st || (opts.operation && st.operation !== opts.operation)) continue;
      out.push({
        snapshotId: Number(row.snapshot_id),
        ...(row.snapshot_time
          ? { snapshotTime: new Date(row.snapshot_time as string | Date).toISOString() }
          : {}),
        ...st,
      });
      if (out.length >= limit) return out;
    }
    if (r.rows.length < page) return out;
    before = Number(r.rows[r.rows.length - 1]!.snapshot_id);
  }
}

/** The newest flush state in the catalog (undefined: no catalog, or nothing flushed yet). */
export async function latestFlushState(
  client: Queryable,
  metaSchema: string,
): Promise<FlushState | undefined> {
  return (await flushStates(client, metaSchema, { limit: 1 }))[0];
}

/** The watermark of the newest flush state (undefined: nothing flushed yet). */
export async function latestWatermark(
  catalog: pg.ClientBase,
  metaSchema: string,
): Promise<number | undefined> {
  return (await latestFlushState(catalog as unknown as Queryable, metaSchema))?.watermark;
}
