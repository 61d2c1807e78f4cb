/**
 * How a column travels from either store to the response, so hot (PostgreSQL) and cold (DuckDB over Parquet)
 * answers are byte-identical: both stores project BIGINTs as decimal text and timestamps as epoch microseconds,
 * and one encoder writes the JSON (int64 as exact JSON numbers, never through a JS float; timestamps as RFC 3339
 * UTC with the fraction trimmed, as Go prints them). Sort keys compare the same in both: text by bytes
 * (`COLLATE "C"` in PostgreSQL, DuckDB's default), NULLs coalesced.
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
  project(c, ref) {
    if (c.pg === "BIGINT") return `${ref}::text`;
    if (c.pg === "TIMESTAMPTZ") return `(extract(epoch FROM ${ref}) * 1000000)::bigint::text`;
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
    if (c.pg === "TIMESTAMPTZ") return `CAST(epoch_us(${ref}) AS VARCHAR)`;
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

/** A row as both stores return it: BIGINT/TIMESTAMPTZ as text, the rest as JS scalars. */
export type WireRow = Record<string, string | number | boolean | null>;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Epoch microseconds (decimal text) → `2020-07-13T08:47:40Z` / `…:40.123456Z` (UTC, trailing zeros trimmed). */
export function rfc3339FromMicros(us: string): string {
  const v = BigInt(us);
  let secs = v / 1_000_000n;
  let frac = v % 1_000_000n;
  if (frac < 0n) {
    frac += 1_000_000n;
    secs -= 1n;
  }
  const d = new Date(Number(secs) * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return frac === 0n ? `${base}Z` : `${base}.${frac.toString().padStart(6, "0").replace(/0+$/, "")}Z`;
}

const INT = /^-?[0-9]+$/;

// `"name":` per column, computed once per column list (a page of 100 rows × 60 columns would redo it 6,000 times).
const keyPrefixes = new WeakMap<readonly ColumnDef[], string[]>();

function prefixes(columns: readonly ColumnDef[]): string[] {
  let p = keyPrefixes.get(columns);
  if (!p) {
    p = columns.map((c, i) => `${i ? "," : ""}${JSON.stringify(c.name)}:`);
    keyPrefixes.set(columns, p);
  }
  return p;
}

/** One row as JSON text, columns in catalog order. */
export function encodeRow(columns: readonly ColumnDef[], row: WireRow): string {
  const keys = prefixes(columns);
  let out = "{";
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const v = row[c.name];
    let json: string;
    if (v === null || v === undefined) json = "null";
    else if (c.pg === "BIGINT") {
      const s = String(v);
      if (!INT.test(s)) throw new Error(`column ${c.name}: not an integer: ${s}`);
      json = s;
    } else if (c.pg === "TIMESTAMPTZ") json = `"${rfc3339FromMicros(String(v))}"`;
    else if (c.pg === "INTEGER" || c.pg === "BOOLEAN") json = String(v);
    else json = JSON.stringify(v);
    out += keys[i]! + json;
  }
  return `${out}}`;
}

/** The row's sort-key values as cursor text (NULLs coalesced as the sort expressions do). */
export function sortValues(key: readonly ColumnDef[], row: WireRow): string[] {
  return key.map((c) => {
    const v = row[c.name];
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
