/**
 * Catalog rows as CSV in the form the flusher's hot export produces (`exportCsvOptions`: NULL an unquoted \N,
 * text quoted with "" doubling), so one DuckDB read_csv turns both into the same Parquet values. Every text value
 * is quoted: an unquoted empty field or a text "\N" would otherwise read as NULL.
 */
import type { ColumnDef, PgType, TableDef } from "@stellar-lake/schema";

export class CsvEncodingError extends Error {
  override readonly name = "CsvEncodingError";
}

function text(v: string): string {
  // PostgreSQL TEXT cannot hold NUL: the hot path writes U+FFFD instead (copy-text.ts), so the lake does too.
  const s = v.includes("\0") ? v.replaceAll("\0", "\uFFFD") : v;
  return `"${s.includes('"') ? s.replaceAll('"', '""') : s}"`;
}

function value(table: string, c: ColumnDef, v: unknown): string {
  if (v === null || v === undefined) {
    if (!c.nullable) throw new CsvEncodingError(`${table}.${c.name} is NOT NULL but the row has no value`);
    return "\\N";
  }
  switch (c.pg) {
    case "BIGINT":
    case "INTEGER":
      if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) return String(v);
      // Some transforms hand over big counts as decimal strings (the hot path's COPY text accepts them).
      if (typeof v === "string" && /^-?\d+$/.test(v)) return v;
      throw new CsvEncodingError(`${table}.${c.name}: expected an integer, got ${typeof v} ${String(v)}`);
    case "BOOLEAN":
      if (typeof v === "boolean") return v ? "t" : "f";
      throw new CsvEncodingError(`${table}.${c.name}: expected a boolean, got ${typeof v}`);
    case "TIMESTAMPTZ":
      if (v instanceof Date) return v.toISOString();
      throw new CsvEncodingError(`${table}.${c.name}: expected a Date, got ${typeof v}`);
    case "TEXT":
      if (typeof v === "string") return text(v);
      throw new CsvEncodingError(`${table}.${c.name}: expected a string, got ${typeof v}`);
  }
}

/** One CSV line per row, columns in catalog order. */
export function encodeCsv(t: TableDef, rows: readonly Record<string, unknown>[]): string {
  let out = "";
  for (const r of rows) {
    let line = "";
    for (let j = 0; j < t.columns.length; j++) {
      const c = t.columns[j]!;
      line += (j === 0 ? "" : ",") + value(t.name, c, r[c.name]);
    }
    out += `${line}\n`;
  }
  return out;
}

/** DuckDB type per catalog column type (as the flusher's writer casts them). */
export const DUCKDB_TYPE: Record<PgType, string> = {
  BIGINT: "BIGINT",
  INTEGER: "INTEGER",
  TEXT: "VARCHAR",
  BOOLEAN: "BOOLEAN",
  TIMESTAMPTZ: "TIMESTAMPTZ",
};

/** DuckDB read_csv options for encodeCsv's output (a quoted "\N" is text, not NULL). */
export const CSV_READ_OPTIONS =
  "header=false, nullstr='\\N', allow_quoted_nulls=false, quote='\"', escape='\"'";
