/**
 * One answer from two stores. The cold store owns ledgers ≤ W (the flushed watermark of the DuckLake snapshot
 * read), the hot buffer owns ledgers > W; hot rows ≤ W whose delete has not run yet are ignored. Range answers
 * are ordered by (sequence, natural key), so every cold row precedes every hot row and a page is the cold part
 * followed by the hot part. Latest-state answers (snapshot tables) take, per entity key, the newest row at or
 * below `as_of`: hot's when it has one, else cold's — and a key whose newest row is a removal is gone.
 */
import type { LakeFile, PinnedFile } from "@stellar-lake/lake";
import type { ColumnDef, PgType } from "@stellar-lake/schema";
import type { ColdState, ColdStore } from "./stores/cold";
import { type ClosedRead, type HotSnapshot, type HotStore, statementKey } from "./stores/hot";
import type { Resource } from "./tables";
import {
  coldDialect,
  columnAt,
  compareKeys,
  type Dialect,
  hotDialect,
  quoteIdent,
  sortValues,
  type WireRow,
} from "./values";

export interface View {
  hot: HotSnapshot;
  cold: ColdStore | undefined;
  state: ColdState;
}

export interface Stores {
  hot: HotStore;
  cold?: ColdStore;
}

/**
 * Opens the request's consistent view: the hot snapshot first, then the DuckLake snapshot and its watermark.
 * `likely`: the range the request will read. When the last watermark seen says it is all hot, its hot statement
 * is sent with the snapshot's first round trip; `rangeRows` uses that result only if, with the watermark now read,
 * it would run exactly that statement (same snapshot, same statement: the same rows). When it says it is all
 * cold, the hot store gives only its bounds, read in one statement while the catalog is read; a request that
 * then needs hot rows after all starts over in that order.
 */
export async function withView<T>(
  stores: Stores,
  fn: (v: View) => Promise<T>,
  likely?: RangeQuery,
): Promise<T> {
  const cold = stores.cold;
  const state = (): Promise<ColdState> =>
    cold ? cold.state() : Promise.resolve({ snapshot: null, watermark: null });
  // Without a cold store every ledger is hot.
  const hint = cold ? cold.lastWatermark : null;
  let closed: ClosedRead | undefined;
  if (likely && hint !== undefined) {
    if (hint === null || hint < rangeLow(likely)) {
      const part = hotPart(likely, hint, 0);
      if (part) closed = { statement: hotStatement(part, rangeSql) };
    } else if (likely.to <= hint) {
      // All cold by the last watermark (a key lookup of a flushed ledger): no hot snapshot to hold or to order
      // before the catalog read — the bounds and the catalog state are read at the same time.
      const done = await stores.hot.boundsOnly(state, (hot, st) => fn({ hot, cold, state: st }));
      if (done) return done.value;
    }
  }
  return stores.hot.snapshot(async (hot) => fn({ hot, cold, state: await state() }), closed);
}

export interface Page {
  rows: WireRow[];
  more: boolean;
  hotRows: number;
  coldRows: number;
  /**
   * Parquet files the cold part scanned: those whose sequence stats overlap the range and whose key filters may
   * hold every filtered key.
   */
  coldFiles: number;
  /** Their size in bytes (an upper bound of what the scan read: DuckDB reads only the columns and row groups it needs). */
  coldBytes: number;
}

export interface Filter {
  column: ColumnDef;
  value: string;
  /** Matches any of these values instead (`IN`); `value` is then the first of them. */
  values?: readonly string[];
}

/** Rows matching any one of the filters (an account as source or as destination). */
export interface EitherFilter {
  either: readonly Filter[];
}

export type RowFilter = Filter | EitherFilter;

export const isEither = (f: RowFilter): f is EitherFilter => "either" in f;

class Params {
  readonly values: string[] = [];
  constructor(private readonly d: Dialect) {}
  add(value: string, pg: PgType): string {
    this.values.push(value);
    return this.d.param(this.values.length, pg);
  }
}

const ref = (c: ColumnDef) => `t.${quoteIdent(c.name)}`;

// The select list (every column, ~65 for operations) is the same text for every request on a table: made once.
const projections = new Map<Dialect, WeakMap<Resource, string>>();

function projection(d: Dialect, res: Resource): string {
  let byRes = projections.get(d);
  if (!byRes) {
    byRes = new WeakMap();
    projections.set(d, byRes);
  }
  let p = byRes.get(res);
  if (p === undefined) {
    p = res.table.columns.map((c) => `${d.project(c, ref(c))} AS ${quoteIdent(c.name)}`).join(", ");
    byRes.set(res, p);
  }
  return p;
}

/**
 * `(k1, k2, …) > (v1, v2, …)` (descending: `<`) spelled out, so both engines compare exactly like their ORDER BY.
 */
function after(
  d: Dialect,
  p: Params,
  cols: readonly ColumnDef[],
  values: readonly string[],
  desc = false,
): string {
  const ors: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands: string[] = [];
    for (let j = 0; j < i; j++)
      ands.push(`${d.sort(cols[j]!, ref(cols[j]!))} = ${p.add(values[j]!, cols[j]!.pg)}`);
    ands.push(`${d.sort(cols[i]!, ref(cols[i]!))} ${desc ? "<" : ">"} ${p.add(values[i]!, cols[i]!.pg)}`);
    ors.push(`(${ands.join(" AND ")})`);
  }
  return `(${ors.join(" OR ")})`;
}

function condition(p: Params, f: Filter): string {
  if (!f.values) return `${ref(f.column)} = ${p.add(f.value, f.column.pg)}`;
  return `${ref(f.column)} IN (${f.values.map((v) => p.add(v, f.column.pg)).join(", ")})`;
}

function conditions(
  p: Params,
  res: Resource,
  lo: bigint,
  hi: bigint,
  filters: readonly RowFilter[],
): string[] {
  const seq = res.sortKey[0]!;
  const w = [
    `${ref(seq)} >= ${p.add(String(lo), "BIGINT")}`,
    `${ref(seq)} <= ${p.add(String(hi), "BIGINT")}`,
  ];
  for (const f of filters)
    w.push(isEither(f) ? `(${f.either.map((x) => condition(p, x)).join(" OR ")})` : condition(p, f));
  return w;
}

interface StoreQuery {
  res: Resource;
  lo: bigint;
  hi: bigint;
  filters: readonly RowFilter[];
  after?: readonly string[];
  limit: number;
  /** Newest first: rows before `after`, in descending key order. */
  desc?: boolean;
}

function rangeSql(d: Dialect, source: string, q: StoreQuery) {
  const p = new Params(d);
  const w = conditions(p, q.res, q.lo, q.hi, q.filters);
  if (q.after) w.push(after(d, p, q.res.sortKey, q.after, q.desc));
  const dir = q.desc ? " DESC" : "";
  const order = q.res.sortKey.map((c) => `${d.sort(c, ref(c))}${dir}`).join(", ");
  return {
    sql: `SELECT ${projection(d, q.res)} FROM ${source} t WHERE ${w.join(" AND ")} ORDER BY ${order} LIMIT ${q.limit}`,
    params: p.values,
  };
}

function latestSql(d: Dialect, source: string, q: StoreQuery) {
  const p = new Params(d);
  const w = conditions(p, q.res, q.lo, q.hi, q.filters);
  if (q.after) w.push(after(d, p, q.res.entityKey, q.after));
  const key = q.res.entityKey.map((c) => d.sort(c, ref(c))).join(", ");
  return {
    sql: `SELECT DISTINCT ON (${key}) ${projection(d, q.res)} FROM ${source} t WHERE ${w.join(" AND ")}
          ORDER BY ${key}, ${ref(q.res.sortKey[0]!)} DESC LIMIT ${q.limit}`,
    params: p.values,
  };
}

const hotSource = (res: Resource) => `public.${quoteIdent(res.table.name)}`;

/**
 * The UNION of the field-id mapped selects of the files whose sequence stats overlap [lo, hi] and whose key
 * filters may hold each filtered value, and of the rows inlined in the catalog; null: none.
 */
async function coldSource(
  v: View,
  res: Resource,
  lo: bigint,
  hi: bigint,
  filters: readonly RowFilter[],
  pins: PinnedFile[],
): Promise<{ sql: string; files: number; bytes: number } | null> {
  if (!v.cold || v.state.snapshot === null) return null;
  const t = await v.cold.table(res, v.state.snapshot);
  let files = t.files.filter((f) => (f.min === null || f.min <= hi) && (f.max === null || f.max >= lo));
  // Each filter must hold: a file is read if, for every filter, it may hold a matching row (for "either", a row
  // matching one of its alternatives).
  const cold = v.cold;
  const mayMatch = (fs: LakeFile[], f: Filter) =>
    cold.filesWith(res, t, fs, f.column.name, f.values ?? [f.value]);
  for (const f of filters) {
    if (files.length === 0) break;
    if (isEither(f)) {
      const keep = new Set<LakeFile>();
      for (const alt of f.either) for (const x of await mayMatch(files, alt)) keep.add(x);
      files = files.filter((x) => keep.has(x));
    } else {
      files = await mayMatch(files, f);
    }
  }
  const selects = await Promise.all(files.map((f) => v.cold!.fileSelect(res, t, f, pins)));
  // Rows the extension inlined in the catalog (no file stats to prune by; the query's WHERE filters them).
  if (t.inlined) selects.push(t.inlined);
  if (selects.length === 0) return null;
  return {
    sql: `(${selects.join(" UNION ALL ")})`,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.sizeBytes, 0),
  };
}

async function runCold(
  v: View,
  q: StoreQuery,
  build: typeof rangeSql,
): Promise<{ rows: WireRow[]; files: number; bytes: number }> {
  // Remote lakes: the files' cached copies are pinned until the query has read them.
  const pins: PinnedFile[] = [];
  try {
    const src = await coldSource(v, q.res, q.lo, q.hi, q.filters, pins);
    if (src === null) return { rows: [], files: 0, bytes: 0 };
    const { sql, params } = build(coldDialect, src.sql, q);
    return { rows: (await v.cold!.query(sql, params)) as WireRow[], files: src.files, bytes: src.bytes };
  } finally {
    await Promise.all(pins.map((p) => p.release()));
  }
}

function hotStatement(q: StoreQuery, build: typeof rangeSql) {
  return build(hotDialect, hotSource(q.res), q);
}

async function runHot(v: View, q: StoreQuery, build: typeof rangeSql): Promise<WireRow[]> {
  const { sql, params } = hotStatement(q, build);
  const pre = v.hot.prefetched;
  if (pre && pre.key === statementKey(sql, params)) return pre.rows;
  return (await v.hot.query(sql, params)) as WireRow[];
}

export interface RangeQuery {
  res: Resource;
  /** The range's lowest and highest ledger (from ≤ to, whichever the order). */
  from: bigint;
  to: bigint;
  filters: readonly RowFilter[];
  /** Sort-key values of the last row already returned. */
  after?: readonly string[];
  limit: number;
  /** Newest first (`order=desc`): from `to` (or before the cursor) down to `from`. */
  desc?: boolean;
}

/** Where an ascending range read starts: its `from`, or the cursor's ledger when that is later. */
const rangeStart = (q: RangeQuery) => (q.after ? max(q.from, BigInt(q.after[0]!)) : q.from);

/** Where a descending range read starts: its `to`, or the cursor's ledger when that is earlier. */
const rangeTop = (q: RangeQuery) => (q.after ? min(q.to, BigInt(q.after[0]!)) : q.to);

/** The lowest ledger the read can still need (a descending read needs all of `from` up to where it starts). */
const rangeLow = (q: RangeQuery) => (q.desc ? q.from : rangeStart(q));

/**
 * The hot part of a range read at watermark W after `coldRows` cold rows (null: nothing to read hot). Ascending
 * reads take cold rows first; descending ones take the hot rows first (`coldRows` is then 0).
 */
function hotPart(q: RangeQuery, W: bigint | null, coldRows: number): StoreQuery | null {
  const want = q.limit + 1;
  const low = rangeLow(q);
  const hotLo = W === null ? low : max(low, W + 1n);
  const hotHi = q.desc ? rangeTop(q) : q.to;
  if (coldRows >= want || hotLo > hotHi) return null;
  return {
    res: q.res,
    lo: hotLo,
    hi: hotHi,
    filters: q.filters,
    ...(q.after ? { after: q.after } : {}),
    limit: want - coldRows,
    ...(q.desc ? { desc: true } : {}),
  };
}

/**
 * Rows of [from, to] after the cursor: ascending (sequence, key) order, cold ≤ W first, then hot > W; or
 * descending, hot > W first, then cold ≤ W.
 */
export async function rangeRows(v: View, q: RangeQuery): Promise<Page> {
  if (q.desc) return rangeRowsDesc(v, q);
  const W = v.state.watermark;
  const want = q.limit + 1;
  const from = rangeStart(q);
  let coldRows: WireRow[] = [];
  let coldFiles = 0;
  let coldBytes = 0;
  if (W !== null && from <= W && from <= q.to) {
    ({
      rows: coldRows,
      files: coldFiles,
      bytes: coldBytes,
    } = await runCold(
      v,
      {
        res: q.res,
        lo: from,
        hi: min(q.to, W),
        filters: q.filters,
        ...(q.after ? { after: q.after } : {}),
        limit: want,
      },
      rangeSql,
    ));
  }
  const hot = hotPart(q, W, coldRows.length);
  const hotRows: WireRow[] = hot ? await runHot(v, hot, rangeSql) : [];
  const all = [...coldRows, ...hotRows];
  const rows = all.slice(0, q.limit);
  const fromCold = Math.min(coldRows.length, rows.length);
  return {
    rows,
    more: all.length > q.limit,
    coldRows: fromCold,
    hotRows: rows.length - fromCold,
    coldFiles,
    coldBytes,
  };
}

async function rangeRowsDesc(v: View, q: RangeQuery): Promise<Page> {
  const W = v.state.watermark;
  const want = q.limit + 1;
  const top = rangeTop(q);
  const hot = hotPart(q, W, 0);
  const hotRows: WireRow[] = hot ? await runHot(v, hot, rangeSql) : [];
  let coldRows: WireRow[] = [];
  let coldFiles = 0;
  let coldBytes = 0;
  if (W !== null && hotRows.length < want && q.from <= W && q.from <= top) {
    ({
      rows: coldRows,
      files: coldFiles,
      bytes: coldBytes,
    } = await runCold(
      v,
      {
        res: q.res,
        lo: q.from,
        hi: min(top, W),
        filters: q.filters,
        ...(q.after ? { after: q.after } : {}),
        limit: want - hotRows.length,
        desc: true,
      },
      rangeSql,
    ));
  }
  const all = [...hotRows, ...coldRows];
  const rows = all.slice(0, q.limit);
  const fromHot = Math.min(hotRows.length, rows.length);
  return {
    rows,
    more: all.length > q.limit,
    hotRows: fromHot,
    coldRows: rows.length - fromHot,
    coldFiles,
    coldBytes,
  };
}

export interface LatestQuery {
  res: Resource;
  /** Newest state at or below this ledger. */
  asOf: bigint;
  filters: readonly RowFilter[];
  /** Entity-key values of the last key already returned. */
  after?: readonly string[];
  limit: number;
}

/** Latest live state per entity key at `asOf`, in key order, de-duplicated across hot and cold. */
export async function latestRows(v: View, q: LatestQuery): Promise<Page> {
  const W = v.state.watermark;
  const key = q.res.entityKey;
  const deleted = q.res.table.columns.some((c) => c.name === "deleted")
    ? columnAt(q.res.table.columns, "deleted")
    : undefined;
  const want = q.limit + 1;
  const out: { row: WireRow; cold: boolean }[] = [];
  let coldFiles = 0;
  let coldBytes = 0;
  let cursor = q.after;
  for (;;) {
    const base = { res: q.res, filters: q.filters, limit: want, ...(cursor ? { after: cursor } : {}) };
    const hotLo = W === null ? 0n : W + 1n;
    const hot = q.asOf >= hotLo ? await runHot(v, { ...base, lo: hotLo, hi: q.asOf }, latestSql) : [];
    const c = W !== null ? await runCold(v, { ...base, lo: 0n, hi: min(W, q.asOf) }, latestSql) : undefined;
    const cold = c?.rows ?? [];
    coldFiles += c?.files ?? 0;
    coldBytes += c?.bytes ?? 0;
    // Keys past the last row of a truncated side are not known on that side yet: merge up to the boundary.
    let boundary: string[] | undefined;
    for (const side of [hot, cold]) {
      if (side.length < want) continue;
      const k = sortValues(q.res.table.columns, key, side.at(-1)!);
      if (!boundary || compareKeys(key, k, boundary) < 0) boundary = k;
    }
    const merged = new Map<string, { k: string[]; row: WireRow; cold: boolean }>();
    const within = (k: string[]) => !boundary || compareKeys(key, k, boundary) <= 0;
    for (const r of cold) {
      const k = sortValues(q.res.table.columns, key, r);
      if (within(k)) merged.set(JSON.stringify(k), { k, row: r, cold: true });
    }
    for (const r of hot) {
      const k = sortValues(q.res.table.columns, key, r);
      if (within(k)) merged.set(JSON.stringify(k), { k, row: r, cold: false });
    }
    const ordered = [...merged.values()].sort((a, b) => compareKeys(key, a.k, b.k));
    for (const m of ordered)
      if (deleted === undefined || m.row[deleted] !== true) out.push({ row: m.row, cold: m.cold });
    if (out.length >= want || !boundary) break;
    cursor = boundary;
  }
  const page = out.slice(0, q.limit);
  const coldRows = page.filter((x) => x.cold).length;
  return {
    rows: page.map((x) => x.row),
    more: out.length > q.limit,
    coldRows,
    hotRows: page.length - coldRows,
    coldFiles,
    coldBytes,
  };
}

export interface Bounds {
  oldest: bigint | null;
  latest: bigint | null;
}

/** Oldest and latest ledger the view can answer for (cold's oldest from its ledgers files' stats). */
export async function viewBounds(v: View, ledgers: Resource): Promise<Bounds> {
  let coldOldest: bigint | null = null;
  if (v.cold && v.state.snapshot !== null && v.state.watermark !== null) {
    const t = await v.cold.table(ledgers, v.state.snapshot);
    for (const f of t.files)
      if (f.min !== null && (coldOldest === null || f.min < coldOldest)) coldOldest = f.min;
  }
  const W = v.state.watermark;
  const hotMin = v.hot.minLedger !== null && (W === null || v.hot.maxLedger! > W) ? v.hot.minLedger : null;
  const oldest = coldOldest ?? (hotMin !== null && W !== null ? max(hotMin, W + 1n) : hotMin);
  const latest = v.hot.maxLedger !== null && (W === null || v.hot.maxLedger > W) ? v.hot.maxLedger : W;
  return { oldest, latest };
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
