/**
 * Test helpers (also for other packages' tests, as `@stellar-lake/backfill/testing`): what the transform makes of
 * ledgers, per table, as comparable rows — and the lake's rows the same way.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { pgCatalog, readLakeTable } from "@stellar-lake/lake";
import { dataTables, type TableDef } from "@stellar-lake/schema";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import type pg from "pg";

/** Set by whoever writes the rows (the ingester, a backfill worker), not by the transform. */
export const STAMPED = new Set(["ingestion_timestamp", "era_id", "version_label"]);

/** A row as comparable text: every value as a string (timestamps as epoch ms), pipeline stamps left out. */
export function canonRow(t: TableDef, r: Record<string, unknown>): string {
  return JSON.stringify(
    t.columns
      .filter((c) => !STAMPED.has(c.name))
      .map((c) => {
        const v = r[c.name];
        if (v === null || v === undefined) return null;
        if (v instanceof Date) return v.getTime();
        if (c.pg === "TIMESTAMPTZ") return new Date(String(v)).getTime();
        return String(v);
      }),
  );
}

/** The transform's rows of `ledgers` per table, canonical and sorted. */
export function transformRows(
  ledgers: readonly { sequence: number; xdr: Uint8Array }[],
  passphrase: string,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of ledgers) {
    const h = hotRowsOf(decodeLedger(l.xdr, l.sequence), passphrase);
    for (const [name, rows] of Object.entries(h.rows as Record<string, Record<string, unknown>[]>)) {
      const t = dataTables.find((x) => x.name === name)!;
      const list = out.get(name) ?? [];
      for (const row of rows) list.push(canonRow(t, row));
      out.set(name, list);
    }
  }
  for (const v of out.values()) v.sort();
  return out;
}

/** The lake's rows per table (latest snapshot), canonical and sorted. */
export async function lakeRows(
  catalog: pg.ClientBase,
  duck: DuckDBConnection,
  o: { metaSchema?: string; lakeSchema?: string } = {},
): Promise<Map<string, string[]>> {
  const cat = pgCatalog(catalog, o.metaSchema ?? "bronze_meta");
  const out = new Map<string, string[]>();
  for (const t of dataTables) {
    const r = await readLakeTable(cat, duck, { schema: o.lakeSchema ?? "bronze", table: t.name });
    out.set(t.name, r.rows.map((row) => canonRow(t, row)).sort());
  }
  return out;
}
