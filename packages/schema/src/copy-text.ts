/**
 * PostgreSQL COPY text format for catalog rows. Text format (not binary) because it is what PostgreSQL parses
 * fastest per byte for mostly-text rows, and the encoder is a few string operations per value.
 */
import { dataTables } from "./catalog";
import type { ColumnDef, TableDef } from "./catalog-dsl";

export class CopyEncodingError extends Error {
  override readonly name = "CopyEncodingError";
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;

function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = "";
  for (const ch of s) {
    switch (ch) {
      case "\\":
        out += "\\\\";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\0":
        // PostgreSQL TEXT cannot hold NUL; U+FFFD marks where one was (e.g. raw bytes in a text memo).
        out += "\uFFFD";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

function encodeValue(table: string, c: ColumnDef, v: unknown): string {
  if (v === null || v === undefined) {
    if (!c.nullable) throw new CopyEncodingError(`${table}.${c.name} is NOT NULL but the row has no value`);
    return "\\N";
  }
  switch (c.pg) {
    case "BIGINT":
    case "INTEGER":
      if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) return String(v);
      throw new CopyEncodingError(`${table}.${c.name}: expected an integer, got ${typeof v} ${String(v)}`);
    case "BOOLEAN":
      if (typeof v === "boolean") return v ? "t" : "f";
      throw new CopyEncodingError(`${table}.${c.name}: expected a boolean, got ${typeof v}`);
    case "TIMESTAMPTZ":
      if (v instanceof Date) return v.toISOString();
      throw new CopyEncodingError(`${table}.${c.name}: expected a Date, got ${typeof v}`);
    case "TEXT":
      if (typeof v === "string") return escapeText(v);
      throw new CopyEncodingError(`${table}.${c.name}: expected a string, got ${typeof v}`);
  }
}

type RowsEncoder = (rows: readonly Record<string, unknown>[]) => string;

const encoders = new WeakMap<TableDef, RowsEncoder>();

/**
 * The table's encoder, compiled once: a generic loop reads `row[column]` with a different key each time (a
 * megamorphic lookup per value) and dispatches on the type per value, which made COPY encoding cost more than
 * the transform for busy ledgers. The compiled loop reads each column by a constant key and checks the one
 * type the column takes; anything else (null, a wrong type) goes to `encodeValue`, which encodes or throws
 * exactly as before.
 */
function encoderOf(t: TableDef): RowsEncoder {
  let enc = encoders.get(t);
  if (enc) return enc;
  const body = t.columns.map((c, j) => {
    const v = `v${j}`;
    const slow = `ENC(T, C[${j}], ${v})`;
    const sep = j === 0 ? "" : '"\\t" + ';
    let fast: string;
    switch (c.pg) {
      case "BIGINT":
      case "INTEGER":
        fast = `typeof ${v} === "bigint" ? String(${v}) : ${slow}`;
        break;
      case "BOOLEAN":
        fast = `${v} === true ? "t" : ${v} === false ? "f" : ${slow}`;
        break;
      case "TIMESTAMPTZ":
        fast = `${v} instanceof Date ? ${v}.toISOString() : ${slow}`;
        break;
      case "TEXT":
        fast = `typeof ${v} === "string" ? (ESC_TEST.test(${v}) ? ESC(${v}) : ${v}) : ${slow}`;
        break;
    }
    return `const ${v} = r[${JSON.stringify(c.name)}];\nout += ${sep}(${fast});`;
  });
  const source = `let out = "";\nfor (let i = 0; i < rows.length; i++) {\nconst r = rows[i];\n${body.join("\n")}\nout += "\\n";\n}\nreturn out;`;
  enc = new Function("T", "C", "ENC", "ESC", "ESC_TEST", `return (rows) => {\n${source}\n};`)(
    t.name,
    t.columns,
    encodeValue,
    escapeText,
    NEEDS_ESCAPE,
  ) as RowsEncoder;
  encoders.set(t, enc);
  return enc;
}

/** One COPY text line per row, columns in catalog order. */
export function encodeRows(t: TableDef, rows: readonly Record<string, unknown>[]): string {
  return encoderOf(t)(rows);
}

export function copyStatement(t: TableDef): string {
  return `COPY public."${t.name}" (${t.columns.map((c) => `"${c.name}"`).join(", ")}) FROM STDIN`;
}

/**
 * Whether the writer stamps `t`'s rows with the time it writes them (`ingestion_timestamp`, the batch's): such a
 * table's rows cannot be encoded ahead of the write.
 */
export function stampedAtWrite(t: TableDef): boolean {
  return t.columns.some((c) => c.name === "ingestion_timestamp");
}

/** What a writer sets on every data row of a batch, not the transform: the era and its version label. */
export interface RowStamp {
  eraId: string | null;
  versionLabel: string | null;
}

/** One table's rows of one ledger as COPY text (UTF-8), with their count. */
export interface CopyPayload {
  rows: number;
  data: Uint8Array;
}

/** Sets the batch's era and version label on `rows` (what a writer stamps on every data row). */
export function stampRows(rows: readonly Record<string, unknown>[], stamp: RowStamp): void {
  for (const row of rows) {
    row.era_id = stamp.eraId;
    row.version_label = stamp.versionLabel;
  }
}

const utf8 = new TextEncoder();

/**
 * One ledger's rows as stamped COPY text per data table, for a transform worker to hand over: the bytes are
 * exactly what the writer would encode from the rows (per-ledger text concatenates to the batch's text), so the
 * writer thread only streams them, and each payload owns its ArrayBuffer (transferable without a copy).
 * Tables stamped at write time (`stampedAtWrite`) are left as rows. The stamp is set on the rows given.
 */
export function encodeLedgerCopy(
  rows: Readonly<Record<string, readonly Record<string, unknown>[]>>,
  stamp: RowStamp,
): { copy: Record<string, CopyPayload>; rows: Record<string, readonly Record<string, unknown>[]> } {
  const copy: Record<string, CopyPayload> = {};
  const left: Record<string, readonly Record<string, unknown>[]> = {};
  for (const t of dataTables) {
    const r = rows[t.name];
    if (!r || r.length === 0) continue;
    if (stampedAtWrite(t)) {
      left[t.name] = r;
      continue;
    }
    stampRows(r, stamp);
    copy[t.name] = { rows: r.length, data: utf8.encode(encodeRows(t, r)) };
  }
  return { copy, rows: left };
}
