/**
 * `pnpm bench json-encoder`: the API's page encoder (`jsonBytes`, bytes written straight into a reused buffer)
 * against the same page through `JSON.stringify` with `JSON.rawJSON` (Node ≥ 22) carrying the int64 text
 * exactly, measured in the same run on the same rows: 100-row pages of real mainnet operations and
 * transactions (the transform's rows in the stores' wire form: int64 and timestamps as text). Both must
 * produce the same bytes (checked first); the faster one is the API's encoder.
 */
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { type ColumnDef, table } from "@stellar-lake/schema";
import { fixture } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import { jsonBytes, rfc3339FromUtcText, type WireRow } from "../src/values";

const PUBNET = "Public Global Stellar Network ; September 2015";
const PAGE = 100;

declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

/** A row value as the stores hand it over: int64 as text, timestamps as `YYYY-MM-DD HH:MM:SS+00`. */
function wire(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return `${v.toISOString().slice(0, 19).replace("T", " ")}+00`;
  if (typeof v === "object") return JSON.stringify(v);
  return v as string | number | boolean;
}

/** The page through JSON.stringify: one object per row, int64 text as raw JSON, timestamps as RFC 3339. */
export function rawJsonBytes(
  head: string,
  columns: readonly ColumnDef[],
  rows: readonly WireRow[],
  tail: string,
) {
  const objs: Record<string, unknown>[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as WireRow;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i] as ColumnDef;
      const v = row[i];
      o[c.name] =
        v === null || v === undefined
          ? null
          : c.pg === "BIGINT"
            ? JSON.rawJSON(v as string)
            : c.pg === "TIMESTAMPTZ"
              ? rfc3339FromUtcText(v as string)
              : v;
    }
    objs[r] = o;
  }
  const body = JSON.stringify(objs);
  return Buffer.from(`${head}${body.slice(1, -1)}${tail}`);
}

function best(passes: number, f: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let p = 0; p < passes; p++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export async function run(): Promise<Record<string, unknown>> {
  if (typeof (JSON as { rawJSON?: unknown }).rawJSON !== "function")
    return { skipped: `JSON.rawJSON needs Node ≥ 22 (this is ${process.version})` };
  const [b] = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
  const h = hotRowsOf(decodeLedger(b!.xdr, b!.sequence), PUBNET);
  const out: Record<string, unknown> = { node: process.version };
  for (const name of ["operations_row_v2", "transactions_row_v2"]) {
    const columns = table(name).columns;
    const rows = (h.rows[name] as Record<string, unknown>[]).map((r) => columns.map((c) => wire(r[c.name])));
    const pages: WireRow[][] = [];
    for (let i = 0; i + PAGE <= rows.length; i += PAGE) pages.push(rows.slice(i, i + PAGE));
    const head = `{"${name}":[`;
    const tail = '],"count":100}';
    for (const p of pages)
      if (!jsonBytes(head, columns, p, tail).equals(rawJsonBytes(head, columns, p, tail)))
        throw new Error(`${name}: the two encoders disagree`);
    const bytes = pages.reduce((n, p) => n + jsonBytes(head, columns, p, tail).length, 0);
    // Interleaved, best of 15 passes over every page each: load from other processes hits both alike.
    let current = Number.POSITIVE_INFINITY;
    let raw = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 15; r++) {
      current = Math.min(
        current,
        best(1, () => {
          for (const p of pages) jsonBytes(head, columns, p, tail);
        }),
      );
      raw = Math.min(
        raw,
        best(1, () => {
          for (const p of pages) rawJsonBytes(head, columns, p, tail);
        }),
      );
    }
    out[name] = {
      pages: pages.length,
      kb_per_page: +(bytes / pages.length / 1024).toFixed(1),
      jsonBytes_ms_per_page: +(current / pages.length).toFixed(3),
      rawJSON_ms_per_page: +(raw / pages.length).toFixed(3),
      rawJSON_vs_jsonBytes: +(raw / current).toFixed(2),
    };
  }
  return out;
}
