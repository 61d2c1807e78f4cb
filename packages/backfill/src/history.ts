/**
 * Where a backfill may go: the lake's cold history (contiguous, oldest..watermark W — the flush-state contract),
 * and what the live pipeline holds (the hot buffer's ledgers; with an ingester checkpoint, every ledger after it
 * is the live pipeline's to ingest). A backfill fills below that history, or above W when no live pipeline
 * ingests; an overlap is refused, naming it.
 */

import { latestFlushState, type Queryable } from "@stellar-lake/lake";
import { readCheckpoint } from "@stellar-lake/pipeline-state";
import type pg from "pg";
import type { JobRange } from "./plan";

export interface ColdRange {
  oldest: number;
  watermark: number;
}

export interface LiveRange {
  /** The hot buffer's first and last ledger (undefined: empty). */
  hot?: [number, number];
  /** The ingester's checkpoint: it ingests every ledger after it. */
  checkpoint?: number;
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** The cold history: W from the flush state, the oldest ledger from the ledgers table's column stats. */
export async function coldRange(catalog: Queryable, metaSchema: string): Promise<ColdRange | undefined> {
  const st = await latestFlushState(catalog, metaSchema);
  if (!st) return undefined;
  const s = ident(metaSchema);
  const r = await catalog.query(
    `SELECT MIN(st.min_value::bigint) AS oldest
     FROM ${s}.ducklake_file_column_stats st
     JOIN ${s}.ducklake_data_file f ON f.data_file_id = st.data_file_id AND f.end_snapshot IS NULL
     JOIN ${s}.ducklake_table t ON t.table_id = f.table_id AND t.end_snapshot IS NULL AND t.table_name = 'ledgers_row_v2'
     JOIN ${s}.ducklake_column c ON c.table_id = t.table_id AND c.column_id = st.column_id
       AND c.end_snapshot IS NULL AND c.column_name = 'sequence'`,
  );
  const oldest = r.rows[0]?.oldest;
  return {
    oldest: oldest === null || oldest === undefined ? st.watermark + 1 : Number(oldest),
    watermark: st.watermark,
  };
}

/** The live pipeline's ledgers in the hot buffer database (no hot tables there yet → nothing). */
export async function liveRange(hot: pg.ClientBase): Promise<LiveRange> {
  const exists = await hot.query("SELECT to_regclass('public.ledgers_row_v2') AS t");
  if (!exists.rows[0].t) return {};
  const b = await hot.query(
    "SELECT MIN(sequence)::bigint AS lo, MAX(sequence)::bigint AS hi FROM public.ledgers_row_v2",
  );
  const out: LiveRange = {};
  if (b.rows[0].lo !== null) out.hot = [Number(b.rows[0].lo), Number(b.rows[0].hi)];
  const cp = await readCheckpoint(hot).catch((err: { code?: string }) => {
    if (err.code === "42P01" || err.code === "3F000") return undefined; // no ingester schema yet
    throw err;
  });
  if (cp) out.checkpoint = cp.lastLedger;
  return out;
}

const overlap = (a: number, b: number, c: number, d: number): [number, number] | undefined =>
  Math.max(a, c) <= Math.min(b, d) ? [Math.max(a, c), Math.min(b, d)] : undefined;

/** Why ledgers first..last may not be backfilled into this lake now (undefined: they may). */
export function overlapError(r: JobRange, cold: ColdRange | undefined, live: LiveRange): string | undefined {
  const o = cold && overlap(r.first, r.last, cold.oldest, cold.watermark);
  if (o) {
    return `ledgers ${o[0]}-${o[1]} are already in the lake (its history is ${cold!.oldest}-${cold!.watermark}); a backfill may not overlap it (use lake repair to rewrite ledgers)`;
  }
  const h = live.hot && overlap(r.first, r.last, live.hot[0], live.hot[1]);
  if (h) {
    return `ledgers ${h[0]}-${h[1]} are in the live pipeline's hot buffer (it holds ${live.hot![0]}-${live.hot![1]}); backfill below ${live.hot![0]}`;
  }
  if (live.checkpoint !== undefined && r.last > live.checkpoint) {
    return `ledgers ${Math.max(r.first, live.checkpoint + 1)}-${r.last} are the live pipeline's: its ingester is at ledger ${live.checkpoint} and ingests every later one; backfill below ${Math.min(cold?.oldest ?? Number.POSITIVE_INFINITY, live.hot?.[0] ?? live.checkpoint + 1)}`;
  }
  return undefined;
}

/**
 * Refuse a plan that overlaps the history or would leave a gap next to it: the lake's history stays one
 * contiguous range, so a backfill ends just below it or (no live pipeline) starts just above it. `planned`:
 * ranges already planned and not failed (they join the history they will fill).
 */
export function planError(
  r: JobRange,
  cold: ColdRange | undefined,
  live: LiveRange,
  planned: readonly JobRange[],
): string | undefined {
  const o = overlapError(r, cold, live);
  if (o) return o;
  const spans: JobRange[] = [...planned];
  if (cold) spans.push({ first: cold.oldest, last: cold.watermark });
  if (live.hot) spans.push({ first: live.hot[0], last: live.hot[1] });
  if (spans.length === 0) return undefined;
  const lo = Math.min(...spans.map((s) => s.first));
  const hi = Math.max(...spans.map((s) => s.last));
  if (r.last < lo - 1) {
    return `ledgers ${r.last + 1}-${lo - 1} would be missing between this backfill (${r.first}-${r.last}) and the history from ${lo} on: plan --to ${lo - 1}`;
  }
  if (r.first > hi + 1) {
    return `ledgers ${hi + 1}-${r.first - 1} would be missing between the history up to ${hi} and this backfill (${r.first}-${r.last}): plan --from ${hi + 1}`;
  }
  return undefined;
}
