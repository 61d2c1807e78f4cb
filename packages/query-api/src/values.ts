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

export { ident as quoteIdent } from "@stellar-lake/schema";

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

// ---- JSON as bytes ----
// A page (100 rows × ~65 columns, ~200 KB) is written straight into one reused byte buffer: building it as
// thousands of string pieces, joining them into one large string and encoding that as UTF-8 cost about three
// times as much CPU (the join and the encode each copy the page, and every piece is garbage to collect).
// The bytes are exactly the UTF-8 of what JSON.stringify writes for each value.

/** The scratch buffer pages are written into (encoding is synchronous, so one serves every request). */
let out = Buffer.allocUnsafe(1 << 18);
let at = 0;

function room(n: number): void {
  if (at + n + SLACK <= out.length) return;
  let size = out.length * 2;
  while (size < at + n + SLACK) size *= 2;
  const next = Buffer.allocUnsafe(size);
  out.copy(next, 0, 0, at);
  out = next;
}

/**
 * Free bytes kept after every write that checks for room, so a row's literals (keys, nulls: at most `SLACK`
 * bytes per row, checked when an encoder is made) need no check of their own.
 */
const SLACK = 1 << 16;

/** Literal bytes (keys with their punctuation), into room the last check left (see SLACK). */
function lit(a: Uint8Array): void {
  out.set(a, at);
  at += a.length;
}

/** Text JSON writes as is (numbers, booleans): byte per char while ASCII, else as UTF-8. */
function raw(s: string): void {
  const n = s.length;
  room(n);
  const b = out;
  let p = at;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) {
      room(n * 3);
      at += out.write(s, at, "utf8");
      return;
    }
    b[p++] = c;
  }
  at = p;
}

/**
 * A string as a JSON string: printable ASCII in a loop (quote and backslash escaped inline, as JSON.stringify
 * escapes them); anything else (control characters, non-ASCII) through JSON.stringify itself.
 */
function text(s: string): void {
  if (typeof s !== "string") {
    raw(JSON.stringify(s));
    return;
  }
  const n = s.length;
  // A long string (ledger headers, XDR, details) with nothing to escape is checked by one regex and copied by a
  // native write: about twice as fast per character as the loop below once past a couple of hundred characters.
  if (n >= LONG && !NEEDS_LOOP.test(s)) {
    room(n + 2);
    out[at++] = 34;
    at += out.write(s, at, "latin1");
    out[at++] = 34;
    return;
  }
  room(2 * n + 2);
  const b = out;
  let p = at;
  b[p++] = 34;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) {
      const j = JSON.stringify(s);
      room(3 * j.length);
      at += out.write(j, at, "utf8");
      return;
    }
    if (c === 34 || c === 92) b[p++] = 92;
    b[p++] = c;
  }
  b[p++] = 34;
  at = p;
}

/** Length from which `text` tries the regex check first. */
const LONG = 128;
/** Anything but printable ASCII other than quote and backslash (all of which are written as they are). */
const NEEDS_LOOP = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

const TRUE = "true";
const FALSE = "false";

/** A value JSON prints as String(x) does: int32s digit by digit, BIGINT text verbatim, the rest via String. */
function scalar(x: string | number | boolean): void {
  if (typeof x === "string") raw(x);
  else if (typeof x === "boolean") raw(x ? TRUE : FALSE);
  else if (!Number.isInteger(x) || x > 2147483647 || x < -2147483648) raw(String(x));
  else digits(x);
}

/** An int32 in decimal, as String(x) prints it. */
function digits(x: number): void {
  room(11);
  const b = out;
  let v = x;
  if (v < 0) {
    b[at++] = 45;
    v = -v;
  }
  let end = at;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) end++;
  at = end + 1;
  for (;;) {
    b[end--] = 48 + (v % 10);
    if (v < 10) break;
    v = Math.floor(v / 10);
  }
}

/** A UTC timestamp as its RFC 3339 JSON string. */
function time(s: string): void {
  raw(`"${rfc3339FromUtcText(s)}"`);
}

type RowEncoder = (row: WireRow) => void;

// One encoder per column list, generated once: a page of 100 rows × 60 columns is 6,000 values, and a
// straight-line function per table (no per-value type dispatch, keys as pre-encoded literals) is the cheap way.
const encoders = new WeakMap<readonly ColumnDef[], RowEncoder>();

/** Nullable columns tested together for all-NULL (longer runs fail the test more often than they save). */
const NULL_RUN = 6;

function encoderFor(columns: readonly ColumnDef[]): RowEncoder {
  let e = encoders.get(columns);
  if (e) return e;
  const keys: Uint8Array[] = [];
  const nulls: string[] = [];
  const one = (i: number) => {
    const c = columns[i]!;
    const key = `${i ? "," : "{"}${JSON.stringify(c.name)}:`;
    nulls.push(`${key}null`);
    keys.push(Buffer.from(key), Buffer.from(`${key}null`));
    // BIGINT text from either store is an integer literal already (the stores' types guarantee it).
    const write = c.pg === "TIMESTAMPTZ" ? "time" : c.pg === "TEXT" ? "text" : "scalar";
    const k = keys.length - 2;
    return `x = r[${i}]; if (x === null || x === undefined) lit(k[${k + 1}]); else { lit(k[${k}]); ${write}(x); }`;
  };
  // Most of a wide table's nullable columns are NULL in any one row (an operation fills the few of its type):
  // a run of nullable columns that are all NULL is written as one literal instead of one per column.
  const lines: string[] = [];
  for (let i = 0; i < columns.length; ) {
    let j = i;
    while (j < columns.length && j - i < NULL_RUN && columns[j]!.nullable) j++;
    if (j - i < 2) {
      lines.push(one(i));
      i++;
      continue;
    }
    const parts: string[] = [];
    const first = nulls.length;
    for (let c = i; c < j; c++) parts.push(one(c));
    keys.push(Buffer.from(nulls.slice(first).join("")));
    const test = Array.from({ length: j - i }, (_, n) => `r[${i + n}] == null`).join(" && ");
    lines.push(`if (${test}) lit(k[${keys.length - 1}]); else { ${parts.join(" ")} }`);
    i = j;
  }
  keys.push(Buffer.from("}"));
  if (keys.reduce((n, k) => n + k.length, 0) > SLACK) throw new Error("encoder: a row's keys exceed SLACK");
  e = new Function(
    "lit",
    "text",
    "scalar",
    "time",
    "k",
    `return function encodeRow(r) { let x; ${lines.join(" ")} lit(k[${keys.length - 1}]); };`,
  )(lit, text, scalar, time, keys) as RowEncoder;
  encoders.set(columns, e);
  return e;
}

const COMMA = Buffer.from(",");

/**
 * `head`, the rows as JSON (comma-separated, columns in catalog order), then `tail`, as one UTF-8 buffer of its
 * own (the scratch buffer is copied out: the response may still be writing when the next page is encoded).
 */
export function jsonBytes(
  head: string,
  columns: readonly ColumnDef[],
  rows: readonly WireRow[],
  tail: string,
): Buffer {
  const enc = encoderFor(columns);
  at = 0;
  try {
    raw(head);
    for (let i = 0; i < rows.length; i++) {
      room(0);
      if (i) lit(COMMA);
      enc(rows[i]!);
    }
    raw(tail);
    const body = Buffer.allocUnsafe(at);
    out.copy(body, 0, 0, at);
    return body;
  } finally {
    at = 0;
    // A rare huge page must not keep its buffer for good.
    if (out.length > 1 << 24) out = Buffer.allocUnsafe(1 << 18);
  }
}

/** Rows as JSON text, comma-separated, columns in catalog order. */
export function encodeRows(columns: readonly ColumnDef[], rows: readonly WireRow[]): string {
  return jsonBytes("", columns, rows, "").toString("utf8");
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
