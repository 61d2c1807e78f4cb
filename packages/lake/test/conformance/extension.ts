/**
 * Catalog writes shaped exactly as DuckDB's `ducklake` extension makes them in a PostgreSQL catalog, for the
 * conformance tests. The extension cannot be loaded here, so each operation below writes the rows the extension
 * writes, taken from:
 * - a pg_dump of a PostgreSQL catalog the extension wrote (inlined inserts, updates and deletes of inlined rows,
 *   inlined deletes of file rows, type evolution; read with the search tools): the inlined tables'
 *   PostgreSQL column types (varchar and blob → bytea, timestamptz → character varying, int64 → bigint, …), the
 *   change tokens `inlined_insert:T` / `inlined_delete:T`, an update keeping the row id and adding to
 *   record_count, next_file_id + 1 per inlined insert, table column stats that include the inlined rows, and
 *   `ducklake_inlined_delete_<table>(file_id, row_id, begin_snapshot)` whose row_id is the file position;
 * - the extension's source (duckdb/ducklake): `FlushInlinedFileDeletions` and `DuckLakeFlushData::Finalize`
 *   (src/functions/ducklake_flush_inlined_data.cpp: positions, snapshot-tagged delete files, the inlined rows
 *   deleted after the flush), `DuckLakeInsert::AddWrittenFiles` (a flushed file's begin_snapshot / partial_max
 *   from its `_ducklake_internal_snapshot_id` min/max, row_id_start from `_ducklake_internal_row_id`),
 *   `DuckLakeTableStats::MergeFileStats` (a flushed file adds no rows to table stats), `ParseChangeType`
 *   (`flushed_inlined`), `DuckLakeColumnStats::MergeStats` (table column stats merged, never rebuilt);
 * - the catalogs the extension wrote in ../shared/fixtures/ducklake (column rows, data / delete file rows).
 * Every function commits one snapshot, as one extension transaction does.
 */
import { randomUUID } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type pg from "pg";

const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** DuckDB types of the DuckLake types these tests use. */
export const DUCK_TYPE: Record<string, string> = {
  boolean: "BOOLEAN",
  int32: "INTEGER",
  int64: "BIGINT",
  int128: "HUGEINT",
  float64: "DOUBLE",
  varchar: "VARCHAR",
  timestamptz: "TIMESTAMPTZ",
};
/** The PostgreSQL type the extension gives an inlined column of each DuckLake type (from the pg_dump). */
const PG_INLINED: Record<string, string> = {
  boolean: "boolean",
  int32: "integer",
  int64: "bigint",
  int128: "character varying",
  float64: "double precision",
  varchar: "bytea",
  timestamptz: "character varying",
};
const NUMERIC = new Set(["int32", "int64", "int128", "float64", "boolean"]);

export interface ExtColumn {
  id: number;
  name: string;
  type: string;
}
interface Snap {
  id: number;
  schemaVersion: number;
  nextCatalogId: number;
  nextFileId: number;
}
/** A row for an inlined insert: column name → value as DuckDB prints it (or null). */
export type ExtRow = Record<string, string | number | boolean | null>;

export class Extension {
  constructor(
    readonly c: pg.ClientBase,
    readonly duck: DuckDBConnection,
    readonly schema: string,
  ) {}

  private get s(): string {
    return q(this.schema);
  }

  async latest(): Promise<Snap> {
    const r = (
      await this.c.query(
        `SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ${this.s}.ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1`,
      )
    ).rows[0];
    return {
      id: Number(r.snapshot_id),
      schemaVersion: Number(r.schema_version),
      nextCatalogId: Number(r.next_catalog_id),
      nextFileId: Number(r.next_file_id),
    };
  }

  /** One extension transaction: snapshot latest + 1 with the counters `body` moves, its changes row. */
  async commit(
    changes: string,
    body: (
      S: number,
      snap: Snap,
    ) => Promise<{ schemaVersion?: number; nextCatalogId?: number; nextFileId?: number } | void>,
  ): Promise<number> {
    await this.c.query("BEGIN");
    try {
      const snap = await this.latest();
      const S = snap.id + 1;
      const moved = (await body(S, snap)) ?? {};
      await this.c.query(`INSERT INTO ${this.s}.ducklake_snapshot VALUES ($1, now(), $2, $3, $4)`, [
        S,
        moved.schemaVersion ?? snap.schemaVersion,
        moved.nextCatalogId ?? snap.nextCatalogId,
        moved.nextFileId ?? snap.nextFileId,
      ]);
      await this.c.query(
        `INSERT INTO ${this.s}.ducklake_snapshot_changes VALUES ($1, $2, NULL, NULL, NULL)`,
        [S, changes],
      );
      await this.c.query("COMMIT");
      return S;
    } catch (err) {
      await this.c.query("ROLLBACK").catch(() => {});
      throw err;
    }
  }

  async tableId(name: string): Promise<number> {
    const r = await this.c.query(
      `SELECT table_id FROM ${this.s}.ducklake_table WHERE table_name = $1 AND end_snapshot IS NULL`,
      [name],
    );
    return Number(r.rows[0].table_id);
  }

  async columns(tableId: number): Promise<ExtColumn[]> {
    const r = await this.c.query(
      `SELECT column_id, column_name, column_type FROM ${this.s}.ducklake_column
       WHERE table_id = $1 AND end_snapshot IS NULL AND parent_column IS NULL ORDER BY column_order`,
      [tableId],
    );
    return r.rows.map((x) => ({
      id: Number(x.column_id),
      name: String(x.column_name),
      type: String(x.column_type),
    }));
  }

  /** data_path + schema path + table path. */
  async tableDir(tableId: number): Promise<string> {
    const r = await this.c.query(
      `SELECT (SELECT value FROM ${this.s}.ducklake_metadata WHERE key = 'data_path') || sc.path || t.path AS dir
       FROM ${this.s}.ducklake_table t JOIN ${this.s}.ducklake_schema sc USING (schema_id)
       WHERE t.table_id = $1 AND t.end_snapshot IS NULL`,
      [tableId],
    );
    return String(r.rows[0].dir);
  }

  async dataFile(fileId: number): Promise<{ path: string; rowIdStart: number; recordCount: number }> {
    const r = await this.c.query(
      `SELECT path, row_id_start, record_count, table_id FROM ${this.s}.ducklake_data_file WHERE data_file_id = $1`,
      [fileId],
    );
    const row = r.rows[0];
    return {
      path: `${await this.tableDir(Number(row.table_id))}${row.path}`,
      rowIdStart: Number(row.row_id_start),
      recordCount: Number(row.record_count),
    };
  }

  /** CREATE TABLE: table and column rows (nulls_allowed false for NOT NULL), schema_version + 1. */
  createTable(name: string, cols: { name: string; type: string; notNull?: boolean }[]): Promise<number> {
    let tableId = 0;
    return this.commit(`created_table:"main".${q(name)}`, async (S, snap) => {
      tableId = snap.nextCatalogId;
      await this.c.query(`INSERT INTO ${this.s}.ducklake_table VALUES ($1, $2, $3, NULL, 0, $4, $5, true)`, [
        tableId,
        randomUUID(),
        S,
        name,
        `${name}/`,
      ]);
      for (const [i, col] of cols.entries()) {
        await this.c.query(
          `INSERT INTO ${this.s}.ducklake_column VALUES ($1, $2, NULL, $3, $4, $5, $6, NULL, 'NULL', $7, NULL, 'literal', 'duckdb')`,
          [i + 1, S, tableId, i + 1, col.name, col.type, !col.notNull],
        );
      }
      await this.c.query(`INSERT INTO ${this.s}.ducklake_schema_versions VALUES ($1, $2, $3)`, [
        S,
        snap.schemaVersion + 1,
        tableId,
      ]);
      return { schemaVersion: snap.schemaVersion + 1, nextCatalogId: tableId + 1 };
    }).then(() => tableId);
  }

  /** The table's stats rows: created at its first data write, as in the fixtures. */
  private async addTableStats(
    tableId: number,
    rows: number,
    nextRowIds: number,
    bytes: number,
  ): Promise<number> {
    const r = await this.c.query(
      `SELECT next_row_id FROM ${this.s}.ducklake_table_stats WHERE table_id = $1`,
      [tableId],
    );
    const start = Number(r.rows[0]?.next_row_id ?? 0);
    if (r.rows.length === 0) {
      await this.c.query(`INSERT INTO ${this.s}.ducklake_table_stats VALUES ($1, $2, $3, $4)`, [
        tableId,
        rows,
        nextRowIds,
        bytes,
      ]);
    } else {
      await this.c.query(
        `UPDATE ${this.s}.ducklake_table_stats SET record_count = record_count + $2, next_row_id = next_row_id + $3,
           file_size_bytes = file_size_bytes + $4 WHERE table_id = $1`,
        [tableId, rows, nextRowIds, bytes],
      );
    }
    return start;
  }

  /**
   * `DuckLakeColumnStats::MergeStats` into `ducklake_table_column_stats`: contains_null OR'ed, bounds widened
   * (compared as the type), bounds of a table that already had rows but no bounds stay unknown.
   */
  private async mergeTableColumnStats(
    tableId: number,
    cols: ExtColumn[],
    st: Map<number, { min: string | null; max: string | null; nulls: number; values: number }>,
    hadRows: boolean,
  ): Promise<void> {
    for (const col of cols) {
      const n = st.get(col.id);
      if (!n) continue;
      const cur = (
        await this.c.query(
          `SELECT contains_null, min_value, max_value FROM ${this.s}.ducklake_table_column_stats WHERE table_id = $1 AND column_id = $2`,
          [tableId, col.id],
        )
      ).rows[0];
      const less = (a: string, b: string) => {
        if (col.type === "float64") return Number(a) < Number(b);
        if (col.type === "boolean")
          return Number(a === "true" || a === "1") < Number(b === "true" || b === "1");
        if (NUMERIC.has(col.type)) return BigInt(a) < BigInt(b);
        return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
      };
      if (!cur) {
        await this.c.query(
          `INSERT INTO ${this.s}.ducklake_table_column_stats VALUES ($1, $2, $3, NULL, $4, $5, NULL)`,
          [tableId, col.id, n.nulls > 0, n.min, n.max],
        );
        continue;
      }
      let min: string | null = cur.min_value;
      let max: string | null = cur.max_value;
      const anyValid = n.min !== null || n.max !== null;
      if (anyValid) {
        if (min === null && max === null) {
          if (!hadRows) {
            min = n.min;
            max = n.max;
          }
        } else {
          if (n.min === null) min = null;
          else if (min !== null && less(n.min, min)) min = n.min;
          if (n.max === null) max = null;
          else if (max !== null && less(max, n.max)) max = n.max;
        }
      }
      await this.c.query(
        `UPDATE ${this.s}.ducklake_table_column_stats SET contains_null = $3, min_value = $4, max_value = $5 WHERE table_id = $1 AND column_id = $2`,
        [tableId, col.id, Boolean(cur.contains_null) || n.nulls > 0, min, max],
      );
    }
  }

  private async hadRows(tableId: number): Promise<boolean> {
    const r = await this.c.query(
      `SELECT record_count FROM ${this.s}.ducklake_table_stats WHERE table_id = $1`,
      [tableId],
    );
    return Number(r.rows[0]?.record_count ?? 0) > 0;
  }

  /** A Parquet file written by DuckDB with field ids and RETURN_STATS, as `DuckLakeInsert` writes it. */
  private async writeFile(
    dir: string,
    select: string,
    fieldIds: string,
    suffix = "",
  ): Promise<{
    name: string;
    count: number;
    size: number;
    footer: number;
    stats: Map<string, Record<string, string>>;
  }> {
    await mkdir(dir, { recursive: true });
    const name = `ducklake-${randomUUID()}${suffix}.parquet`;
    const r = await this.duck.runAndReadAll(
      `COPY (${select}) TO ${lit(join(dir, name))} (FORMAT parquet, ${fieldIds ? `FIELD_IDS {${fieldIds}}, ` : ""}RETURN_STATS)`,
    );
    const row = r.getRowObjectsJson()[0] as Record<string, unknown>;
    const stats = new Map<string, Record<string, string>>();
    for (const e of (row.column_statistics ?? []) as {
      key: string;
      value: { key: string; value: string }[];
    }[]) {
      stats.set(e.key.replace(/^"|"$/g, ""), Object.fromEntries(e.value.map((kv) => [kv.key, kv.value])));
    }
    return {
      name,
      count: Number(row.count),
      size: (await stat(join(dir, name))).size,
      footer: Number(row.footer_size_bytes ?? 0),
      stats,
    };
  }

  /** The file's `ducklake_file_column_stats` rows: value_count = num_values − null_count, contains_nan = has_nan. */
  private async fileStats(
    fileId: number,
    tableId: number,
    cols: ExtColumn[],
    stats: Map<string, Record<string, string>>,
  ): Promise<Map<number, { min: string | null; max: string | null; nulls: number; values: number }>> {
    const out = new Map<number, { min: string | null; max: string | null; nulls: number; values: number }>();
    for (const col of cols) {
      const m = stats.get(col.name);
      if (!m) continue;
      const nulls = Number(m.null_count ?? 0);
      const values = Number(m.num_values ?? 0) - nulls;
      await this.c.query(
        `INSERT INTO ${this.s}.ducklake_file_column_stats VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)`,
        [
          fileId,
          tableId,
          col.id,
          Number(m.column_size_bytes ?? 0),
          values,
          nulls,
          m.min ?? null,
          m.max ?? null,
          m.has_nan ?? null,
        ],
      );
      out.set(col.id, { min: m.min ?? null, max: m.max ?? null, nulls, values });
    }
    return out;
  }

  /** INSERT written to a Parquet file (`select` yields the table's columns by name). Returns [snapshot, file id]. */
  async insert(table: string, select: string): Promise<[number, number]> {
    const tableId = await this.tableId(table);
    const cols = await this.columns(tableId);
    const dir = await this.tableDir(tableId);
    let fileId = 0;
    const S = await this.commit(`inserted_into_table:${tableId}`, async (S, snap) => {
      fileId = snap.nextFileId;
      const f = await this.writeFile(
        dir,
        `SELECT ${cols.map((c) => `${q(c.name)}::${DUCK_TYPE[c.type]} AS ${q(c.name)}`).join(", ")} FROM (${select})`,
        cols.map((c) => `${q(c.name)}: ${c.id}`).join(", "),
      );
      const hadRows = await this.hadRows(tableId);
      const rowIdStart = await this.addTableStats(tableId, f.count, f.count, f.size);
      await this.c.query(
        `INSERT INTO ${this.s}.ducklake_data_file VALUES ($1, $2, $3, NULL, NULL, $4, true, 'parquet', $5, $6, $7, $8, NULL, NULL, NULL, NULL)`,
        [fileId, tableId, S, f.name, f.count, f.size, f.footer, rowIdStart],
      );
      const st = await this.fileStats(fileId, tableId, cols, f.stats);
      await this.mergeTableColumnStats(tableId, cols, st, hadRows);
      return { nextFileId: snap.nextFileId + 1 };
    });
    return [S, fileId];
  }

  /** The inlined data table an insert at the latest snapshot writes to, created (and registered) when needed. */
  private async inlinedTable(tableId: number, snap: Snap): Promise<{ name: string; bump: boolean }> {
    const tv = Number(
      (
        await this.c.query(
          `SELECT max(schema_version) AS v FROM ${this.s}.ducklake_schema_versions WHERE table_id = $1`,
          [tableId],
        )
      ).rows[0].v,
    );
    const iv = (
      await this.c.query(
        `SELECT table_name, schema_version FROM ${this.s}.ducklake_inlined_data_tables WHERE table_id = $1 ORDER BY schema_version DESC LIMIT 1`,
        [tableId],
      )
    ).rows[0];
    if (iv && Number(iv.schema_version) === tv) return { name: String(iv.table_name), bump: false };
    // The table changed since (or never had an inlined table): one for its current schema. When other tables
    // changed the schema since, the extension takes a new schema version for it (the pg_dump: snapshot 32).
    const bump = snap.schemaVersion !== tv;
    const version = bump ? snap.schemaVersion + 1 : tv;
    const name = `ducklake_inlined_data_${tableId}_${version}`;
    const cols = await this.columns(tableId);
    await this.c.query(
      `CREATE TABLE ${this.s}.${q(name)} (row_id bigint, begin_snapshot bigint, end_snapshot bigint, ${cols
        .map((c) => `${q(c.name)} ${PG_INLINED[c.type]}`)
        .join(", ")})`,
    );
    await this.c.query(`INSERT INTO ${this.s}.ducklake_inlined_data_tables VALUES ($1, $2, $3)`, [
      tableId,
      name,
      version,
    ]);
    return { name, bump };
  }

  /** PostgreSQL SQL for an inlined value: text as UTF-8 bytea, timestamps as their text. */
  private inlinedValue(col: ExtColumn, v: ExtRow[string]): string {
    if (v === null || v === undefined) return "NULL";
    if (col.type === "varchar") return `convert_to(${lit(String(v))}, 'UTF8')`;
    if (NUMERIC.has(col.type) && col.type !== "int128") return String(v);
    return lit(String(v));
  }

  private async insertInlinedRows(
    tableId: number,
    S: number,
    snap: Snap,
    rows: { rowId: number; values: ExtRow }[],
  ): Promise<{
    bump: boolean;
    stats: Map<number, { min: string | null; max: string | null; nulls: number; values: number }>;
  }> {
    const cols = await this.columns(tableId);
    const t = await this.inlinedTable(tableId, snap);
    for (const r of rows) {
      await this.c.query(
        `INSERT INTO ${this.s}.${q(t.name)} (row_id, begin_snapshot, end_snapshot, ${cols.map((c) => q(c.name)).join(", ")})
         VALUES (${r.rowId}, ${S}, NULL, ${cols.map((c) => this.inlinedValue(c, r.values[c.name] ?? null)).join(", ")})`,
      );
    }
    // The inlined rows' statistics, as the extension keeps them for the table column stats.
    const stats = new Map<
      number,
      { min: string | null; max: string | null; nulls: number; values: number }
    >();
    for (const c of cols) {
      const v = c.type === "varchar" ? `convert_from(${q(c.name)}, 'UTF8')` : q(c.name);
      // Bounds as the extension compares them: booleans false < true, numbers numerically, text byte-wise.
      const [mn, mx] =
        c.type === "boolean"
          ? [`bool_and(${v})`, `bool_or(${v})`]
          : c.type === "int128"
            ? [`min(${v}::numeric)`, `max(${v}::numeric)`]
            : NUMERIC.has(c.type)
              ? [`min(${v})`, `max(${v})`]
              : [`min(${v} COLLATE "C")`, `max(${v} COLLATE "C")`];
      const r = (
        await this.c.query(
          `SELECT ${mn}::text AS mn, ${mx}::text AS mx, count(*) FILTER (WHERE ${q(c.name)} IS NULL)::int AS nulls, count(*)::int AS n
           FROM ${this.s}.${q(t.name)} WHERE begin_snapshot = $1 AND row_id = ANY($2::bigint[])`,
          [S, rows.map((x) => x.rowId)],
        )
      ).rows[0];
      const fix = (x: string | null) =>
        x === null ? null : c.type === "boolean" ? (x === "true" ? "true" : "false") : x;
      stats.set(c.id, { min: fix(r.mn), max: fix(r.mx), nulls: r.nulls, values: r.n - r.nulls });
    }
    return { bump: t.bump, stats };
  }

  /** A small INSERT kept inlined in the catalog. Returns the snapshot and the row ids given. */
  async inlinedInsert(table: string, rows: ExtRow[]): Promise<[number, number[]]> {
    const tableId = await this.tableId(table);
    const cols = await this.columns(tableId);
    let ids: number[] = [];
    const S = await this.commit(`inlined_insert:${tableId}`, async (S, snap) => {
      const hadRows = await this.hadRows(tableId);
      const start = await this.addTableStats(tableId, rows.length, rows.length, 0);
      ids = rows.map((_, i) => start + i);
      const r = await this.insertInlinedRows(
        tableId,
        S,
        snap,
        rows.map((values, i) => ({ rowId: ids[i]!, values })),
      );
      await this.mergeTableColumnStats(tableId, cols, r.stats, hadRows);
      return {
        nextFileId: snap.nextFileId + 1,
        ...(r.bump ? { schemaVersion: snap.schemaVersion + 1 } : {}),
      };
    });
    return [S, ids];
  }

  /** UPDATE of inlined rows: the old versions ended, the new ones inserted with the same row ids. */
  async inlinedUpdate(table: string, rowIds: number[], values: ExtRow[]): Promise<number> {
    const tableId = await this.tableId(table);
    const cols = await this.columns(tableId);
    return this.commit(`inlined_insert:${tableId},inlined_delete:${tableId}`, async (S, snap) => {
      for (const t of await this.inlinedTables(tableId)) {
        await this.c.query(
          `UPDATE ${this.s}.${q(t)} SET end_snapshot = $1 WHERE row_id = ANY($2::bigint[]) AND end_snapshot IS NULL`,
          [S, rowIds],
        );
      }
      const hadRows = await this.hadRows(tableId);
      await this.addTableStats(tableId, rowIds.length, 0, 0);
      const r = await this.insertInlinedRows(
        tableId,
        S,
        snap,
        rowIds.map((rowId, i) => ({ rowId, values: values[i]! })),
      );
      await this.mergeTableColumnStats(tableId, cols, r.stats, hadRows);
      return {
        nextFileId: snap.nextFileId + 1,
        ...(r.bump ? { schemaVersion: snap.schemaVersion + 1 } : {}),
      };
    });
  }

  async inlinedTables(tableId: number): Promise<string[]> {
    return (
      await this.c.query(
        `SELECT table_name FROM ${this.s}.ducklake_inlined_data_tables WHERE table_id = $1 ORDER BY schema_version`,
        [tableId],
      )
    ).rows.map((r) => String(r.table_name));
  }

  private async ensureInlinedDeleteTable(tableId: number): Promise<string> {
    const name = `ducklake_inlined_delete_${tableId}`;
    await this.c.query(
      `CREATE TABLE IF NOT EXISTS ${this.s}.${q(name)} (file_id bigint, row_id bigint, begin_snapshot bigint)`,
    );
    return name;
  }

  /**
   * A small DELETE kept inlined: rows of data files as (file_id, position, snapshot) in
   * `ducklake_inlined_delete_<table>`, inlined rows by their end_snapshot.
   */
  async inlinedDelete(
    table: string,
    o: { file?: { fileId: number; positions: number[] }; rowIds?: number[] },
  ): Promise<number> {
    const tableId = await this.tableId(table);
    return this.commit(`inlined_delete:${tableId}`, async (S) => {
      if (o.file) {
        const t = await this.ensureInlinedDeleteTable(tableId);
        for (const p of o.file.positions) {
          await this.c.query(`INSERT INTO ${this.s}.${q(t)} VALUES ($1, $2, $3)`, [o.file.fileId, p, S]);
        }
      }
      if (o.rowIds) {
        for (const t of await this.inlinedTables(tableId)) {
          await this.c.query(
            `UPDATE ${this.s}.${q(t)} SET end_snapshot = $1 WHERE row_id = ANY($2::bigint[]) AND end_snapshot IS NULL`,
            [S, o.rowIds],
          );
        }
      }
    });
  }

  /**
   * A DELETE written as a Parquet delete file (`file_path, pos`); a data file's earlier delete file is replaced
   * by one holding all its positions (the old one ended).
   */
  async deleteWithFile(table: string, fileId: number, positions: number[]): Promise<number> {
    const tableId = await this.tableId(table);
    const dir = await this.tableDir(tableId);
    const data = await this.dataFile(fileId);
    return this.commit(`deleted_from_table:${tableId}`, async (S, snap) => {
      const old = (
        await this.c.query(
          `SELECT delete_file_id, path FROM ${this.s}.ducklake_delete_file WHERE data_file_id = $1 AND end_snapshot IS NULL`,
          [fileId],
        )
      ).rows[0];
      let all = positions;
      if (old) {
        const prev = await this.duck.runAndReadAll(
          `SELECT pos FROM read_parquet(${lit(`${dir}${old.path}`)})`,
        );
        all = [...new Set([...prev.getRowObjectsJson().map((r) => Number(r.pos)), ...positions])];
        await this.c.query(
          `UPDATE ${this.s}.ducklake_delete_file SET end_snapshot = $1 WHERE delete_file_id = $2`,
          [S, old.delete_file_id],
        );
      }
      const f = await this.writeFile(
        dir,
        `SELECT * FROM (VALUES ${all
          .sort((a, b) => a - b)
          .map((p) => `(${lit(data.path)}, ${p}::BIGINT)`)
          .join(", ")}) AS v(file_path, pos)`,
        "",
        "-delete",
      );
      await this.c.query(
        `INSERT INTO ${this.s}.ducklake_delete_file VALUES ($1, $2, $3, NULL, $4, $5, true, 'parquet', $6, $7, $8, NULL, NULL)`,
        [snap.nextFileId, tableId, S, fileId, f.name, f.count, f.size, f.footer],
      );
      return { nextFileId: snap.nextFileId + 1 };
    });
  }

  /**
   * `ducklake_flush_inlined_data`: each inlined table's rows (deleted ones too) in row-id order to one Parquet file
   * with `_ducklake_internal_row_id` / `_ducklake_internal_snapshot_id`; rows ended meanwhile go to a
   * snapshot-tagged delete file; the file is back-dated to its oldest row (partial_max its newest); the inlined rows
   * are deleted; inlined deletes of file rows become snapshot-tagged delete files (merged with a live one).
   */
  async flushInlined(table: string): Promise<number> {
    const tableId = await this.tableId(table);
    const cols = await this.columns(tableId);
    const dir = await this.tableDir(tableId);
    return this.commit(`flushed_inlined:${tableId}`, async (S, snap) => {
      let nextFileId = snap.nextFileId;
      for (const t of await this.inlinedTables(tableId)) {
        const present = new Set(
          (
            await this.c.query(
              "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
              [this.schema, t],
            )
          ).rows.map((r) => String(r.column_name)),
        );
        const rows = (
          await this.c.query(
            `SELECT row_id, begin_snapshot, end_snapshot, ${cols
              .map((c) =>
                !present.has(c.name)
                  ? `NULL AS ${q(c.name)}`
                  : c.type === "varchar"
                    ? `convert_from(${q(c.name)}, 'UTF8') AS ${q(c.name)}`
                    : `${q(c.name)}::text AS ${q(c.name)}`,
              )
              .join(", ")} FROM ${this.s}.${q(t)} WHERE begin_snapshot <= $1 ORDER BY row_id, begin_snapshot`,
            [S],
          )
        ).rows;
        if (rows.length === 0) continue;
        const values = rows
          .map(
            (r) =>
              `(${cols.map((c) => (r[c.name] === null ? "NULL" : lit(String(r[c.name])))).join(", ")}, ${r.row_id}, ${r.begin_snapshot})`,
          )
          .join(", ");
        const names = [
          ...cols.map((c) => q(c.name)),
          "_ducklake_internal_row_id",
          "_ducklake_internal_snapshot_id",
        ];
        const f = await this.writeFile(
          dir,
          `SELECT ${cols.map((c) => `${q(c.name)}::${DUCK_TYPE[c.type]} AS ${q(c.name)}`).join(", ")},
                  _ducklake_internal_row_id::BIGINT AS _ducklake_internal_row_id,
                  _ducklake_internal_snapshot_id::BIGINT AS _ducklake_internal_snapshot_id
           FROM (VALUES ${values}) AS v(${names.join(", ")})`,
          [
            ...cols.map((c) => `${q(c.name)}: ${c.id}`),
            "_ducklake_internal_row_id: 2147483540",
            "_ducklake_internal_snapshot_id: 2147483539",
          ].join(", "),
        );
        const fileId = nextFileId++;
        const snaps = rows.map((r) => Number(r.begin_snapshot));
        await this.c.query(
          `INSERT INTO ${this.s}.ducklake_data_file VALUES ($1, $2, $3, NULL, NULL, $4, true, 'parquet', $5, $6, $7, $8, NULL, NULL, NULL, $9)`,
          [
            fileId,
            tableId,
            Math.min(...snaps),
            f.name,
            f.count,
            f.size,
            f.footer,
            Number(rows[0]!.row_id),
            Math.max(...snaps),
          ],
        );
        await this.fileStats(fileId, tableId, cols, f.stats);
        // A flushed file adds bytes, not rows (they were counted when inlined).
        await this.addTableStats(tableId, 0, 0, f.size);
        const ended = rows.map((r, pos) => ({ pos, end: r.end_snapshot })).filter((x) => x.end !== null);
        if (ended.length) {
          const d = await this.writeFile(
            dir,
            `SELECT * FROM (VALUES ${ended
              .map((x) => `(${lit(`${dir}${f.name}`)}, ${x.pos}::BIGINT, ${x.end}::BIGINT)`)
              .join(", ")}) AS v(file_path, pos, _ducklake_internal_snapshot_id)`,
            "",
            "-delete",
          );
          const ends = ended.map((x) => Number(x.end));
          await this.c.query(
            `INSERT INTO ${this.s}.ducklake_delete_file VALUES ($1, $2, $3, NULL, $4, $5, true, 'parquet', $6, $7, $8, NULL, $9)`,
            [
              nextFileId++,
              tableId,
              Math.min(...ends),
              fileId,
              d.name,
              d.count,
              d.size,
              d.footer,
              Math.max(...ends),
            ],
          );
        }
        await this.c.query(`DELETE FROM ${this.s}.${q(t)} WHERE begin_snapshot <= $1`, [S]);
      }
      // Inlined deletes of file rows → snapshot-tagged delete files.
      const delTable = `ducklake_inlined_delete_${tableId}`;
      const exists = (await this.c.query("SELECT to_regclass($1) AS t", [`${this.s}.${q(delTable)}`])).rows[0]
        .t;
      if (exists) {
        const dels = (
          await this.c.query(
            `SELECT file_id, row_id, begin_snapshot FROM ${this.s}.${q(delTable)} ORDER BY file_id, row_id`,
          )
        ).rows;
        const byFile = new Map<number, { pos: number; snap: number }[]>();
        for (const d of dels) {
          const l = byFile.get(Number(d.file_id)) ?? [];
          l.push({ pos: Number(d.row_id), snap: Number(d.begin_snapshot) });
          byFile.set(Number(d.file_id), l);
        }
        for (const [fileId, list] of byFile) {
          const data = await this.dataFile(fileId);
          const old = (
            await this.c.query(
              `SELECT delete_file_id, path, begin_snapshot FROM ${this.s}.ducklake_delete_file WHERE data_file_id = $1 AND end_snapshot IS NULL`,
              [fileId],
            )
          ).rows[0];
          if (old) {
            const prev = await this.duck.runAndReadAll(
              `SELECT pos FROM read_parquet(${lit(`${dir}${old.path}`)})`,
            );
            for (const r of prev.getRowObjectsJson())
              list.push({ pos: Number(r.pos), snap: Number(old.begin_snapshot) });
            await this.c.query(`DELETE FROM ${this.s}.ducklake_delete_file WHERE delete_file_id = $1`, [
              old.delete_file_id,
            ]);
          }
          const d = await this.writeFile(
            dir,
            `SELECT * FROM (VALUES ${list
              .map((x) => `(${lit(data.path)}, ${x.pos}::BIGINT, ${x.snap}::BIGINT)`)
              .join(", ")}) AS v(file_path, pos, _ducklake_internal_snapshot_id)`,
            "",
            "-delete",
          );
          const snaps = list.map((x) => x.snap);
          await this.c.query(
            `INSERT INTO ${this.s}.ducklake_delete_file VALUES ($1, $2, $3, NULL, $4, $5, true, 'parquet', $6, $7, $8, NULL, $9)`,
            [
              nextFileId++,
              tableId,
              Math.min(...snaps),
              fileId,
              d.name,
              d.count,
              d.size,
              d.footer,
              Math.max(...snaps),
            ],
          );
        }
        await this.c.query(`DELETE FROM ${this.s}.${q(delTable)}`);
      }
      return { nextFileId };
    });
  }

  /** ALTER TABLE: `change` ends and adds column rows in snapshot S; schema_version + 1 with its table row. */
  private alter(table: string, change: (S: number, tableId: number) => Promise<void>): Promise<number> {
    return this.tableId(table).then((tableId) =>
      this.commit(`altered_table:${tableId}`, async (S, snap) => {
        await change(S, tableId);
        await this.c.query(`INSERT INTO ${this.s}.ducklake_schema_versions VALUES ($1, $2, $3)`, [
          S,
          snap.schemaVersion + 1,
          tableId,
        ]);
        return { schemaVersion: snap.schemaVersion + 1 };
      }),
    );
  }

  addColumn(table: string, name: string, type: string): Promise<number> {
    return this.alter(table, async (S, tableId) => {
      const r = (
        await this.c.query(
          `SELECT max(column_id) AS id, max(column_order) AS ord FROM ${this.s}.ducklake_column WHERE table_id = $1`,
          [tableId],
        )
      ).rows[0];
      await this.c.query(
        `INSERT INTO ${this.s}.ducklake_column VALUES ($1, $2, NULL, $3, $4, $5, $6, NULL, 'NULL', true, NULL, 'literal', 'duckdb')`,
        [Number(r.id) + 1, S, tableId, Number(r.ord) + 1, name, type],
      );
    });
  }

  /** A column row replaced by one with the same id (rename, type change), as the pg_dump's `a` → `a2`. */
  private replaceColumn(
    table: string,
    name: string,
    edit: { name?: string; type?: string },
  ): Promise<number> {
    return this.alter(table, async (S, tableId) => {
      const old = (
        await this.c.query(
          `UPDATE ${this.s}.ducklake_column SET end_snapshot = $1 WHERE table_id = $2 AND column_name = $3 AND end_snapshot IS NULL RETURNING *`,
          [S, tableId, name],
        )
      ).rows[0];
      await this.c.query(
        `INSERT INTO ${this.s}.ducklake_column VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          old.column_id,
          S,
          tableId,
          old.column_order,
          edit.name ?? name,
          edit.type ?? old.column_type,
          old.initial_default,
          old.default_value,
          old.nulls_allowed,
          old.parent_column,
          old.default_value_type,
          old.default_value_dialect,
        ],
      );
    });
  }

  renameColumn(table: string, from: string, to: string): Promise<number> {
    return this.replaceColumn(table, from, { name: to });
  }

  alterType(table: string, name: string, type: string): Promise<number> {
    return this.replaceColumn(table, name, { type });
  }

  dropColumn(table: string, name: string): Promise<number> {
    return this.alter(table, async (S, tableId) => {
      await this.c.query(
        `UPDATE ${this.s}.ducklake_column SET end_snapshot = $1 WHERE table_id = $2 AND column_name = $3 AND end_snapshot IS NULL`,
        [S, tableId, name],
      );
    });
  }

  /** DROP TABLE: the table, its columns and live files ended. */
  async dropTable(table: string): Promise<number> {
    const tableId = await this.tableId(table);
    return this.commit(`dropped_table:${tableId}`, async (S, snap) => {
      for (const t of ["ducklake_table", "ducklake_column", "ducklake_data_file", "ducklake_delete_file"]) {
        await this.c.query(
          `UPDATE ${this.s}.${t} SET end_snapshot = $1 WHERE table_id = $2 AND end_snapshot IS NULL`,
          [S, tableId],
        );
      }
      return { schemaVersion: snap.schemaVersion + 1 };
    });
  }
}
