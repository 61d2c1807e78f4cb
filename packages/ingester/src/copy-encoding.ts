/**
 * PostgreSQL COPY text format for catalog rows. Text format (not binary) because it is what PostgreSQL parses
 * fastest per byte for mostly-text rows, and the encoder is a few string operations per value.
 */
import type { ColumnDef, TableDef } from "@stellar-lake/schema";

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

/** One COPY text line per row, columns in catalog order. */
export function encodeRows(t: TableDef, rows: readonly Record<string, unknown>[]): string {
  const cols = t.columns;
  const lines: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const parts: string[] = new Array(cols.length);
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]!;
      parts[j] = encodeValue(t.name, c, row[c.name]);
    }
    lines[i] = parts.join("\t");
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

export function copyStatement(t: TableDef): string {
  return `COPY public."${t.name}" (${t.columns.map((c) => `"${c.name}"`).join(", ")}) FROM STDIN`;
}
