/**
 * The flush-state contract, read in ONE place: the newest snapshot this project wrote carries a JSON object in
 * `ducklake_snapshot_changes.commit_extra_info` with at least `watermark` (the highest ledger in cold storage),
 * usually `range`, `rows`, `seconds`. Compaction snapshots carry the same state forward. Snapshots written by
 * others (the ducklake extension, a manual DuckDB session) have no or non-JSON extra info and are skipped.
 * Used by the flusher, the ingester's start planning, the status page and the query API.
 */
import type pg from "pg";
import { catalogExists, commitInfoPageSql, type Queryable } from "./metadata";

export type { Queryable };

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

/** What one flush records: the writer side of the contract (`parseFlushState` reads it back). */
export interface FlushRecord {
  watermark: number;
  range: [number, number];
  rows: number;
  seconds: number;
  /** Hash of ledger `watermark`: the ingester's hash-chain check after a rewind to the cold watermark. */
  watermarkHash?: string;
}

/** The `commit_extra_info` object of a flush snapshot. */
export function flushStateInfo(r: FlushRecord): Record<string, unknown> {
  return {
    watermark: r.watermark,
    range: r.range,
    rows: r.rows,
    seconds: r.seconds,
    ...(r.watermarkHash ? { watermark_hash: r.watermarkHash } : {}),
    writer: "stellar-lake",
    operation: "flush",
  };
}

/**
 * The `commit_extra_info` of a snapshot that moves no ledgers (a compaction): the latest flush state carried
 * forward, so the newest snapshot still answers "what is in cold storage".
 */
export function carriedFlushStateInfo(
  latest: Pick<FlushState, "info">,
  operation: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...latest.info, operation, ...extra };
}

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

/**
 * Snapshots carrying a flush state, newest first (at most `limit`; `before`: only snapshots older than that
 * id). No catalog in `metaSchema` yet → [].
 */
export async function flushStates(
  client: Queryable,
  metaSchema: string,
  opts: { limit?: number; before?: number; operation?: string } = {},
): Promise<FlushState[]> {
  if (!(await catalogExists(client, metaSchema, "ducklake_snapshot_changes"))) return [];
  const limit = opts.limit ?? 20;
  const out: FlushState[] = [];
  let before = opts.before ?? Number.MAX_SAFE_INTEGER;
  const page = 200;
  for (;;) {
    const r = await client.query(commitInfoPageSql(metaSchema, page), [before]);
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
