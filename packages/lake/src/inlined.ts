/**
 * Data the extension keeps in the catalog instead of Parquet files ("data inlining", small inserts and deletes):
 * - rows: one table per schema version, `ducklake_inlined_data_<table_id>_<schema_version>` (row_id,
 *   begin_snapshot, end_snapshot, then the table's columns as they were named at that schema version), listed in
 *   `ducklake_inlined_data_tables`, visible by begin/end snapshot like files;
 * - deletes of rows in data files: `ducklake_inlined_delete_<table_id>` (file_id, row_id = the row's POSITION in
 *   the file, begin_snapshot), visible from begin_snapshot on — the extension's `FlushInlinedFileDeletions`
 *   (src/functions/ducklake_flush_inlined_data.cpp) turns them into delete-file positions as they are.
 * In a PostgreSQL catalog the extension stores inlined text and blobs as `bytea` (and timestamps, HUGEINTs as
 * text); in a DuckDB-file catalog the columns have the DuckDB types. Values are cast to the live column's type in
 * DuckDB, so they come out exactly as the same values read from Parquet.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident } from "@stellar-lake/schema/ident";
import type { CatalogSource } from "./reader";
import { duckdbTypeOf } from "./types";

/** The columns (name → SQL data type, lower case) of a catalog table; empty when there is no such table. */
export async function catalogTableColumns(cat: CatalogSource, name: string): Promise<Map<string, string>> {
  const tn = cat.t(name);
  const schema = tn.slice(0, tn.lastIndexOf(".")).replaceAll('"', "");
  const rows = await cat.query(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND (table_schema = $2 OR table_catalog = $2)",
    [name, schema],
  );
  return new Map(rows.map((r) => [String(r.column_name), String(r.data_type).toLowerCase()]));
}

/** The table's inlined deletes of file rows visible at `snapshot`: data_file_id → positions (ascending). */
export async function inlinedFileDeletes(
  cat: CatalogSource,
  tableId: string,
  snapshot: number,
): Promise<Map<string, number[]>> {
  const name = `ducklake_inlined_delete_${Number(tableId)}`;
  const out = new Map<string, number[]>();
  if ((await catalogTableColumns(cat, name)).size === 0) return out;
  for (const r of await cat.query(
    `SELECT file_id, row_id FROM ${cat.t(name)} WHERE begin_snapshot <= $1 ORDER BY file_id, row_id`,
    [snapshot],
  )) {
    const f = String(r.file_id);
    const list = out.get(f) ?? [];
    list.push(Number(r.row_id));
    out.set(f, list);
  }
  return out;
}

export class InlinedDataError extends Error {
  override readonly name = "InlinedDataError";
}

export interface InlinedRowsOptions {
  tableId: string;
  snapshot: number;
  columns: readonly { id: string; name: string; type: string }[];
  table: string;
}

/** The table's inlined rows visible at `snapshot` (see `inlinedRowsSelect`), read through DuckDB. */
export async function readInlinedRows(
  cat: CatalogSource,
  duck: DuckDBConnection,
  o: InlinedRowsOptions,
): Promise<Record<string, unknown>[]> {
  const sql = await inlinedRowsSelect(cat, o);
  if (sql === null) return [];
  return (await duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/**
 * A DuckDB SELECT of the table's inlined rows visible at `snapshot` (their values as literals: it reads nothing
 * from the catalog when run), with the live `columns` by name and type, like `lakeFileSelect` for a file — so
 * callers can UNION it with the files' SELECTs; null when there are none. Columns are found by id (an inlined
 * table keeps the names its schema version had, so a renamed column is found under its old name); columns an
 * inlined table predates are NULL, as for a file.
 */
export async function inlinedRowsSelect(cat: CatalogSource, o: InlinedRowsOptions): Promise<string | null> {
  // (Every spec version this reader reads has ducklake_inlined_data_tables: one query when nothing is inlined.)
  const tables = await cat.query(
    `SELECT table_name, schema_version FROM ${cat.t("ducklake_inlined_data_tables")} WHERE table_id = $1 ORDER BY schema_version`,
    [o.tableId],
  );
  const out: string[] = [];
  for (const t of tables) {
    const name = String(t.table_name);
    if (!/^ducklake_inlined_data_\d+_\d+$/.test(name)) continue;
    let physical: Map<string, string>;
    let namesThen: Map<string, string>;
    try {
      physical = await catalogTableColumns(cat, name);
      namesThen = await columnNamesAt(cat, o.tableId, Number(t.schema_version));
    } catch (err) {
      throw new InlinedDataError(
        `cannot read inlined data table ${name} of table '${o.table}': ${(err as Error).message}`,
      );
    }
    // Each live column's physical column in this inlined table (its name at the table's schema version).
    const src = o.columns.map((c) => {
      const then = namesThen.get(c.id) ?? c.name;
      return physical.has(then) ? then : undefined;
    });
    const present = o.columns.flatMap((c, k) => (src[k] ? [{ c, k, col: src[k]! }] : []));
    // Read as text from the catalog (bytea text decoded as UTF-8, bytea blobs as hex), cast back in DuckDB.
    const sel = present.length
      ? present
          .map(({ c, k, col }) => {
            const pgBytea = physical.get(col) === "bytea";
            const expr = !pgBytea
              ? `CAST(${ident(col)} AS VARCHAR)`
              : c.type === "blob"
                ? `encode(${ident(col)}, 'hex')`
                : `convert_from(${ident(col)}, 'UTF8')`;
            return `${expr} AS c${k}`;
          })
          .join(", ")
      : "1 AS one";
    const data = await cat.query(
      `SELECT ${sel} FROM ${cat.t(name)} WHERE begin_snapshot <= $1 AND (end_snapshot IS NULL OR end_snapshot > $1) ORDER BY row_id`,
      [o.snapshot],
    );
    if (data.length === 0) continue;
    const lit = (v: unknown) =>
      v === null || v === undefined ? "NULL" : `'${String(v).replaceAll("'", "''")}'`;
    const values = data
      .map((r) => `(${present.length ? present.map(({ k }) => lit(r[`c${k}`])).join(", ") : "NULL"})`)
      .join(", ");
    const select = o.columns
      .map((c, k) => {
        const type = duckdbTypeOf(c.type) ?? "VARCHAR";
        const p = present.find((x) => x.k === k);
        if (!p) return `NULL::${type} AS ${ident(c.name)}`;
        const hexBlob = physical.get(p.col) === "bytea" && c.type === "blob";
        return `CAST(${hexBlob ? `unhex(c${k})` : `c${k}`} AS ${type}) AS ${ident(c.name)}`;
      })
      .join(", ");
    const names = present.length ? present.map(({ k }) => `c${k}`).join(", ") : "none";
    out.push(`SELECT ${select} FROM (VALUES ${values}) AS v(${names})`);
  }
  return out.length ? out.join(" UNION ALL ") : null;
}

/**
 * The table's top-level column names (by column id) when `schemaVersion` began: inlined tables are created with
 * the columns of their schema version. Empty when that snapshot is gone (expired): then names are matched as is.
 */
async function columnNamesAt(
  cat: CatalogSource,
  tableId: string,
  schemaVersion: number,
): Promise<Map<string, string>> {
  const s = await cat.query(
    `SELECT min(snapshot_id) AS s FROM ${cat.t("ducklake_snapshot")} WHERE schema_version >= $1`,
    [schemaVersion],
  );
  const at = s[0]?.s;
  if (at === null || at === undefined) return new Map();
  const rows = await cat.query(
    `SELECT column_id, column_name FROM ${cat.t("ducklake_column")}
     WHERE table_id = $1 AND parent_column IS NULL AND begin_snapshot <= $2 AND (end_snapshot IS NULL OR end_snapshot > $2)`,
    [tableId, Number(at)],
  );
  return new Map(rows.map((r) => [String(r.column_id), String(r.column_name)]));
}
