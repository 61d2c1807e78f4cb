/**
 * How a column travels from either store to the response, so hot (PostgreSQL) and cold (DuckDB over Parquet)
 * answers are byte-identical: both stores hand over BIGINTs as decimal text and timestamps as UTC text in the
 * form both print them (`2020-07-13 08:47:40.123+00`, fraction without trailing zeros), and one encoder writes
 * the JSON (int64 as exact JSON numbers, never through a JS float; timestamps as RFC 3339 UTC with the fraction
 * trimmed, as Go prints them). Sort keys compare the same in both: text by bytes (`COLLATE "C"` in PostgreSQL,
 * DuckDB's default), NULLs coalesced.
 */
import type { ColumnDef, PgType } from "@stellar-lake/schema";

export interface Dialect {
  readonly store: "hot" | "cold";
  /** Expression for the JSON-ready value of `ref`. */
  project(c: ColumnDef, ref: string): string;
  /** Expression `ref` sorts and compares by (ORDER BY, DISTINCT ON, cursors). */
  sort(c: ColumnDef, ref: string): string;
  /** Positional parameter `n` (1-based) typed as the column. Parameters always travel as text. */
  param(n: number, pg: PgType): string;
}

export const quoteIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

const MIN_INT64 = "-9223372036854775808";

export const hotDialect: Dialect = {
  store: "hot",
  // Columns go out as stored: node-postgres hands int8 over as text, the hot store reads timestamps as text
  // in UTC (stores/hot.ts) — no casts for PostgreSQL to evaluate per value.
  project(_c, ref) {
    return ref;
  },
  sort(c, ref) {
    if (c.pg === "TEXT") return `${c.nullable ? `COALESCE(${ref}, '')` : ref} COLLATE "C"`;
    if (c.pg === "BIGINT" || c.pg === "INTEGER") return c.nullable ? `COALESCE(${ref}, ${MIN_INT64})` : ref;
    return ref;
  },
  param(n, pg) {
    return `$${n}::${pg === "TIMESTAMPTZ" ? "timestamptz" : pg.toLowerCase()}`;
  },
};

const DUCK: Record<PgType, string> = {
  BIGINT: "BIGINT",
  INTEGER: "INTEGER",
  TEXT: "VARCHAR",
  BOOLEAN: "BOOLEAN",
  TIMESTAMPTZ: "TIMESTAMPTZ",
};

export const coldDialect: Dialect = {
  store: "cold",
  project(c, ref) {
    if (c.pg === "BIGINT") return `CAST(${ref} AS VARCHAR)`;
    if (c.pg === "TIMESTAMPTZ") return `CAST(${ref} AS VARCHAR)`;
    return ref;
  },
  sort(c, ref) {
    if (c.pg === "TEXT") return c.nullable ? `COALESCE(${ref}, '')` : ref;
    if (c.pg === "BIGINT" || c.pg === "INTEGER")
      return c.nullable ? `COALESCE(${ref}, CAST(${MIN_INT64} AS BIGINT))` : ref;
    return ref;
  },
  param(n, pg) {
    return `CAST($${n} AS ${DUCK[pg]})`;
  },
};

/**
 * A row as both stores return it: one value per column of the table, in catalog order (the statements project
 * every column in that order); BIGINT and TIMESTAMPTZ as text, the rest as JS scalars.
 */
export type WireRow = readonly (string | number | boolean | null)[];

const positions = new WeakMap<readonly ColumnDef[], Map<string, number>>();

/** Where column `name` sits in a row of `columns`. */
export function columnAt(columns: readonly ColumnDef[], name: string): number {
  let m = positions.get(columns);
  if (!m) {
    m = new Map(columns.map((c, i) => [c.name, i]));
    positions.set(columns, m);
  }
  const i = m.get(name);
  if (i === undefined) throw new Error(`no column ${name}`);
  return i;
}

/** `2020-07-13 08:47:40+00` / `… 08:47:40.1234+00` (UTC, as both stores print it) → `2020-07-13T08:47:40Z` / `…:40.1234Z`. */
export function rfc3339FromUtcText(s: string): string {
  const n = s.length;
  const sp = s.indexOf(" ");
  // Anything else (another zone, BC dates, infinity) would be written wrongly: refuse it.
  if (
    sp < 4 ||
    n < 22 ||
    s.charCodeAt(n - 3) !== 43 ||
    s.charCodeAt(n - 2) !== 48 ||
    s.charCodeAt(n - 1) !== 48
  )
    throw new Error(`not a UTC timestamp: ${s}`);
  return `${s.slice(0, sp)}T${s.slice(sp + 1, n - 3)}Z`;
}

type RowEncoder = (row: WireRow, out: string[]) => void;

// One encoder per column list, generated once: a page of 100 rows × 60 columns is 6,000 values, and a
// straight-line function per table (no per-value type dispatch, keys as literals) that appends pieces to one
// array joined once per page beats a loop over the column definitions building a string per row.
const encoders = new WeakMap<readonly ColumnDef[], RowEncoder>();

function encoderFor(columns: readonly ColumnDef[]): RowEncoder {
  let e = encoders.get(columns);
  if (e) return e;
  const lines: string[] = [];
  columns.forEach((c, i) => {
    const key = JSON.stringify(`${i ? "," : "{"}${JSON.stringify(c.name)}:`);
    // BIGINT text from either store is an integer literal already (the stores' types guarantee it).
    const json =
      c.pg === "TIMESTAMPTZ" ? `'"' + ts(x) + '"'` : c.pg === "TEXT" ? "JSON.stringify(x)" : "String(x)";
    lines.push(`x = r[${i}]; o.push(${key}, x === null || x === undefined ? "null" : ${json});`);
  });
  e = new Function("ts", `return function encodeRow(r, o) { let x; ${lines.join(" ")} o.push("}"); };`)(
    rfc3339FromUtcText,
  ) as RowEncoder;
  encoders.set(columns, e);
  return e;
}

/** Rows as JSON text, comma-separated, columns in catalog order. */
export function encodeRows(columns: readonly ColumnDef[], rows: readonly WireRow[]): string {
  const enc = encoderFor(columns);
  const out: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i) out.push(",");
    enc(rows[i]!, out);
  }
  return out.join("");
}

/** One row as JSON text, columns in catalog order. */
export function encodeRow(columns: readonly ColumnDef[], row: WireRow): string {
  return encodeRows(columns, [row]);
}

/** The row's sort-key values as cursor text (NULLs coalesced as the sort expressions do). */
export function sortValues(columns: readonly ColumnDef[], key: readonly ColumnDef[], row: WireRow): string[] {
  return key.map((c) => {
    const v = row[columnAt(columns, c.name)];
    if (v === null || v === undefined) return c.pg === "TEXT" ? "" : MIN_INT64;
    return String(v);
  });
}

/** Compare two sort-key tuples the way both stores do (integers numerically, text by UTF-8 bytes). */
export function compareKeys(key: readonly ColumnDef[], a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    const x = a[i]!;
    const y = b[i]!;
    let d: number;
    if (c.pg === "BIGINT" || c.pg === "INTEGER") {
      const bx = BigInt(x);
      const by = BigInt(y);
      d = bx < by ? -1 : bx > by ? 1 : 0;
    } else if (c.pg === "BOOLEAN") d = x === y ? 0 : x === "false" ? -1 : 1;
    else d = Buffer.compare(Buffer.from(x), Buffer.from(y));
    if (d !== 0) return d;
  }
  return 0;
}
