/**
 * Writing bronze data the way the ducklake extension does: tables created in one snapshot (schema_version + 1),
 * Parquet files written by DuckDB with field ids = column ids and their statistics, and every table's new files
 * of one flush registered in ONE snapshot (snapshot, changes with commit_extra_info, data files, file and table
 * column stats, table stats with row ids) inside one PostgreSQL transaction.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, type PgType, type TableDef } from "@stellar-lake/schema";
import type pg from "pg";
import {
  assertTablesUnchanged,
  claimSnapshot,
  LakeConflictError,
  liveColumns,
  type PlannedColumn,
} from "./conflict";
import { insertKeyFilters, type KeyFilter, keyFiltersOfFile } from "./key-filter";
import { SNAPSHOT_ID_COLUMN, SNAPSHOT_ID_FIELD_ID } from "./reader";
import type { LakeStorage } from "./storage";
import { type ColumnStatsDelta, mergeTableColumnStats } from "./table-stats";

/** Catalog column type → DuckLake type name. */
export const DUCKLAKE_TYPE: Record<PgType, string> = {
  BIGINT: "int64",
  INTEGER: "int32",
  TEXT: "varchar",
  BOOLEAN: "boolean",
  TIMESTAMPTZ: "timestamptz",
};
const DUCKDB_TYPE: Record<PgType, string> = {
  BIGINT: "BIGINT",
  INTEGER: "INTEGER",
  TEXT: "VARCHAR",
  BOOLEAN: "BOOLEAN",
  TIMESTAMPTZ: "TIMESTAMPTZ",
};

export interface Snapshot {
  id: number;
  schemaVersion: number;
  nextCatalogId: number;
  nextFileId: number;
}

export async function latestSnapshot(client: pg.ClientBase, s: string): Promise<Snapshot> {
  const r = await client.query(
    `SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ${s}.ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1`,
  );
  const row = r.rows[0];
  return {
    id: Number(row.snapshot_id),
    schemaVersion: Number(row.schema_version),
    nextCatalogId: Number(row.next_catalog_id),
    nextFileId: Number(row.next_file_id),
  };
}

export interface LakeTable {
  tableId: number;
  name: string;
  /** column name → column id */
  columnIds: Map<string, number>;
  /**
   * The table's live columns when it was prepared (id, name, DuckLake type): what its files are written with.
   * A commit checks the catalog still has exactly these (another writer may have altered the table).
   */
  columns: PlannedColumn[];
}

/**
 * The lake schema and its tables, creating what is missing in one snapshot, as the extension's CREATE TABLE
 * writes them (nulls_allowed false for NOT NULL columns). An existing table must have the catalog's columns
 * (names and types; columns another writer added are carried: files without them read them as their default);
 * NOT NULL columns a catalog written by earlier versions declares nullable get NOT NULL declared (one
 * `altered_table` snapshot, as the extension's ALTER … SET NOT NULL: the column rows replaced, same ids).
 * Call inside no transaction: it runs its own (serialised with other writers by the snapshot primary key).
 */
export async function ensureLakeTables(
  client: pg.ClientBase,
  opts: { metaSchema: string; lakeSchema: string; tables: readonly TableDef[] },
): Promise<Map<string, LakeTable>> {
  const s = ident(opts.metaSchema);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-writer:${opts.metaSchema}`]);
    const snap = await latestSnapshot(client, s);
    let schemaId: number | undefined = (
      await client.query(
        `SELECT schema_id FROM ${s}.ducklake_schema WHERE schema_name = $1 AND end_snapshot IS NULL`,
        [opts.lakeSchema],
      )
    ).rows[0]?.schema_id;
    const existing = new Map<string, number>();
    if (schemaId !== undefined) {
      const r = await client.query(
        `SELECT table_id, table_name FROM ${s}.ducklake_table WHERE schema_id = $1 AND end_snapshot IS NULL`,
        [schemaId],
      );
      for (const row of r.rows) existing.set(row.table_name, Number(row.table_id));
    }
    const missing = opts.tables.filter((t) => !existing.has(t.name));
    // Existing tables: the catalog's columns must be there; NOT NULL ones still declared nullable get declared.
    const declare: { table: TableDef; tableId: number; columns: string[] }[] = [];
    for (const t of opts.tables) {
      const tableId = existing.get(t.name);
      if (tableId === undefined) continue;
      const live = await client.query(
        `SELECT column_name, column_type, nulls_allowed FROM ${s}.ducklake_column
         WHERE table_id = $1 AND end_snapshot IS NULL AND parent_column IS NULL`,
        [tableId],
      );
      const byName = new Map(live.rows.map((r) => [String(r.column_name), r]));
      const wrong = t.columns.flatMap((c) => {
        const l = byName.get(c.name);
        if (!l) return [`column ${c.name} is missing`];
        return l.column_type === DUCKLAKE_TYPE[c.pg]
          ? []
          : [`column ${c.name} is ${l.column_type}, not ${DUCKLAKE_TYPE[c.pg]}`];
      });
      if (wrong.length) {
        throw new LakeConflictError(
          `bronze table '${opts.lakeSchema}.${t.name}' (table id ${tableId}) does not have the columns stellar-lake writes: ${wrong.join(", ")} (changed by another writer?); nothing written`,
        );
      }
      const undeclared = t.columns.filter((c) => !c.nullable && byName.get(c.name)!.nulls_allowed !== false);
      if (undeclared.length) declare.push({ table: t, tableId, columns: undeclared.map((c) => c.name) });
    }
    if (schemaId === undefined || missing.length > 0 || declare.length > 0) {
      const S = snap.id + 1;
      const created = (schemaId === undefined ? 1 : 0) + missing.length;
      // The snapshot first: a concurrent commit of the same id fails here, before anything else is written.
      await claimSnapshot(
        client,
        s,
        {
          id: S,
          schemaVersion: snap.schemaVersion + 1,
          nextCatalogId: snap.nextCatalogId + created,
          nextFileId: snap.nextFileId,
        },
        "creating the bronze tables",
      );
      let nextId = snap.nextCatalogId;
      const changes: string[] = [];
      if (schemaId === undefined) {
        schemaId = nextId++;
        await client.query(`INSERT INTO ${s}.ducklake_schema VALUES ($1, $2, $3, NULL, $4, $5, true)`, [
          schemaId,
          randomUUID(),
          S,
          opts.lakeSchema,
          `${opts.lakeSchema}/`,
        ]);
        changes.push(`created_schema:"${opts.lakeSchema}"`);
      }
      for (const t of missing) {
        const tableId = nextId++;
        await client.query(`INSERT INTO ${s}.ducklake_table VALUES ($1, $2, $3, NULL, $4, $5, $6, true)`, [
          tableId,
          randomUUID(),
          S,
          schemaId,
          t.name,
          `${t.name}/`,
        ]);
        await client.query(
          `INSERT INTO ${s}.ducklake_column
           SELECT u.ord, $1, NULL, $2, u.ord, u.name, u.type, NULL, 'NULL', u.nullable, NULL, 'literal', 'duckdb'
           FROM unnest($3::bigint[], $4::text[], $5::text[], $6::boolean[]) AS u(ord, name, type, nullable)`,
          [
            S,
            tableId,
            t.columns.map((_, i) => i + 1),
            t.columns.map((c) => c.name),
            t.columns.map((c) => DUCKLAKE_TYPE[c.pg]),
            t.columns.map((c) => c.nullable),
          ],
        );
        await client.query(`INSERT INTO ${s}.ducklake_schema_versions VALUES ($1, $2, $3)`, [
          S,
          snap.schemaVersion + 1,
          tableId,
        ]);
        await client.query(`INSERT INTO ${s}.ducklake_table_stats VALUES ($1, 0, 0, 0)`, [tableId]);
        existing.set(t.name, tableId);
        changes.push(`created_table:"${opts.lakeSchema}"."${t.name}"`);
      }
      for (const d of declare) {
        // The column rows replaced by copies with nulls_allowed false (same column ids, positions, defaults).
        await client.query(
          `WITH old AS (
             UPDATE ${s}.ducklake_column SET end_snapshot = $1
             WHERE table_id = $2 AND end_snapshot IS NULL AND parent_column IS NULL AND column_name = ANY($3::text[])
             RETURNING *)
           INSERT INTO ${s}.ducklake_column
           SELECT column_id, $1, NULL, table_id, column_order, column_name, column_type, initial_default, default_value,
                  false, parent_column, default_value_type, default_value_dialect FROM old`,
          [S, d.tableId, d.columns],
        );
        await client.query(`INSERT INTO ${s}.ducklake_schema_versions VALUES ($1, $2, $3)`, [
          S,
          snap.schemaVersion + 1,
          d.tableId,
        ]);
        changes.push(`altered_table:${d.tableId}`);
      }
      await client.query(
        `INSERT INTO ${s}.ducklake_snapshot_changes VALUES ($1, $2, 'stellar-lake', $3, NULL)`,
        [
          S,
          changes.join(","),
          declare.length && !missing.length ? "declare NOT NULL columns" : "create bronze tables",
        ],
      );
    }
    const out = new Map<string, LakeTable>();
    for (const t of opts.tables) {
      const tableId = existing.get(t.name)!;
      const columns = await liveColumns(client, s, tableId);
      out.set(t.name, {
        tableId,
        name: t.name,
        columnIds: new Map(columns.map((c) => [c.name, c.id])),
        columns,
      });
    }
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

export interface WrittenFile {
  table: LakeTable;
  /** File name relative to the table's folder. */
  fileName: string;
  /** Where DuckDB wrote it (for a remote lake: a staging file, uploaded to `lakePath`). */
  absolutePath: string;
  /** Relative to the data path: `<lake schema>/<table>/<file name>`. */
  lakePath: string;
  recordCount: number;
  fileSize: number;
  footerSize: number;
  /**
   * column id → stats from DuckDB's RETURN_STATS, as the extension records them: valueCount = num_values −
   * null_count (non-NULL values), containsNan = has_nan where DuckDB reports it (float columns), else null.
   */
  stats: Map<number, ColumnStatsDelta & { sizeBytes: number }>;
  /** column id → Bloom filter of the column's values, for the key columns (`keyFilterColumns`). */
  keyFilters?: Map<number, KeyFilter>;
}

/** Write one table's CSV export as a Parquet data file with field ids = DuckLake column ids. */
export async function writeParquet(
  duck: DuckDBConnection,
  opts: {
    dataPath: string;
    lakeSchema: string;
    table: TableDef;
    lake: LakeTable;
    csvPath: string;
    csvOptions: string;
  },
): Promise<WrittenFile> {
  const columns = opts.table.columns.map((c) => `'${c.name}': '${DUCKDB_TYPE[c.pg]}'`).join(", ");
  return writeParquetFromQuery(duck, {
    ...opts,
    select: `SELECT * FROM read_csv('${opts.csvPath.replaceAll("'", "''")}', ${opts.csvOptions}, auto_detect=false, columns={${columns}})`,
  });
}

/**
 * Write the rows of a DuckDB `select` (its columns named as the table's) as one Parquet data file in the
 * table's folder under `dataPath` (a local directory: the lake's own, or a staging directory whose file is then
 * uploaded to `lakePath`), with field ids and the statistics DuckLake records. The file is not registered.
 * `snapshotIdFrom` names a BIGINT column of `select` with each row's snapshot id: it is written as the
 * extension's `_ducklake_internal_snapshot_id` (with its reserved field id) — what makes a merged file partial —
 * and, as the extension does, gets no column stats.
 */
export async function writeParquetFromQuery(
  duck: DuckDBConnection,
  opts: {
    dataPath: string;
    lakeSchema: string;
    table: TableDef;
    lake: LakeTable;
    select: string;
    snapshotIdFrom?: string;
  },
): Promise<WrittenFile> {
  const dir = join(opts.dataPath, opts.lakeSchema, opts.table.name);
  await mkdir(dir, { recursive: true });
  const fileName = `ducklake-${randomUUID()}.parquet`;
  const absolutePath = join(dir, fileName);
  const fieldIdList = opts.table.columns.map((c) => `${ident(c.name)}: ${opts.lake.columnIds.get(c.name)}`);
  const cols = opts.table.columns.map((c) => `${ident(c.name)}::${DUCKDB_TYPE[c.pg]} AS ${ident(c.name)}`);
  if (opts.snapshotIdFrom !== undefined) {
    fieldIdList.push(`${ident(SNAPSHOT_ID_COLUMN)}: ${SNAPSHOT_ID_FIELD_ID}`);
    cols.push(`${ident(opts.snapshotIdFrom)}::BIGINT AS ${ident(SNAPSHOT_ID_COLUMN)}`);
  }
  const fieldIds = fieldIdList.join(", ");
  let r: Awaited<ReturnType<DuckDBConnection["runAndReadAll"]>>;
  try {
    r = await duck.runAndReadAll(
      `COPY (SELECT ${cols.join(", ")} FROM (${opts.select}))
       TO '${absolutePath.replaceAll("'", "''")}' (FORMAT parquet, FIELD_IDS {${fieldIds}}, RETURN_STATS)`,
    );
  } catch (err) {
    await rm(absolutePath, { force: true });
    throw new Error(
      `writing Parquet file ${absolutePath} for table '${opts.table.name}' failed: ${(err as Error).message}`,
    );
  }
  const row = r.getRowObjectsJson()[0] as Record<string, unknown>;
  const stats: WrittenFile["stats"] = new Map();
  for (const entry of (row.column_statistics ?? []) as {
    key: string;
    value: { key: string; value: string }[];
  }[]) {
    const name = entry.key.replace(/^"|"$/g, "");
    if (name === SNAPSHOT_ID_COLUMN) continue;
    const m = Object.fromEntries(entry.value.map((kv) => [kv.key, kv.value]));
    const nullCount = Number(m.null_count ?? 0);
    stats.set(opts.lake.columnIds.get(name)!, {
      min: m.min ?? null,
      max: m.max ?? null,
      nullCount,
      // num_values counts NULLs; the extension's value_count does not (src/storage/ducklake_insert.cpp).
      valueCount: Number(m.num_values ?? 0) - nullCount,
      containsNan: m.has_nan === undefined ? null : m.has_nan === "true",
      sizeBytes: Number(m.column_size_bytes ?? 0),
    });
  }
  const keyFilters = new Map<number, KeyFilter>();
  for (const [name, f] of await keyFiltersOfFile(duck, opts.table, absolutePath)) {
    const id = opts.lake.columnIds.get(name);
    if (id !== undefined) keyFilters.set(id, f);
  }
  return {
    table: opts.lake,
    fileName,
    absolutePath,
    lakePath: `${opts.lakeSchema}/${opts.table.name}/${fileName}`,
    recordCount: Number(row.count),
    fileSize: (await stat(absolutePath)).size,
    footerSize: Number(row.footer_size_bytes ?? 0),
    stats,
    keyFilters,
  };
}

/** A written file's column stats as its `ducklake_file_column_stats` rows (one statement). */
export async function insertFileColumnStats(
  client: pg.ClientBase,
  s: string,
  dataFileId: number,
  f: WrittenFile,
): Promise<void> {
  if (f.keyFilters) await insertKeyFilters(client, s, dataFileId, f.table.tableId, f.keyFilters);
  const st = [...f.stats];
  if (st.length === 0) return;
  await client.query(
    `INSERT INTO ${s}.ducklake_file_column_stats
     SELECT $1, $2, c, sz, vc, nc, mn, mx, nan, NULL
     FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::boolean[]) AS u(c, sz, vc, nc, mn, mx, nan)`,
    [
      dataFileId,
      f.table.tableId,
      st.map(([c]) => c),
      st.map(([, x]) => x.sizeBytes),
      st.map(([, x]) => x.valueCount),
      st.map(([, x]) => x.nullCount),
      st.map(([, x]) => x.min),
      st.map(([, x]) => x.max),
      st.map(([, x]) => x.containsNan),
    ],
  );
}

/**
 * Register the files of one flush in ONE snapshot with `commitExtraInfo` (the flush-state contract). Runs in
 * the caller's transaction (so the caller decides what commits with it); returns the new snapshot id.
 *
 * The lake may be shared (DuckDB with the ducklake extension writing the same catalog): the snapshot row is
 * claimed first, so everything read after it is what every other writer committed before — row ids continue
 * after theirs (inlined rows included), table column stats are merged into theirs — and the tables must still
 * have the columns the files were written with (a column another writer added is carried: these files read it
 * as its default); a conflict is a LakeConflictError and nothing commits.
 */
export async function commitFiles(
  client: pg.ClientBase,
  opts: {
    metaSchema: string;
    files: readonly WrittenFile[];
    commitExtraInfo: object;
    message: string;
    /** Where the files were put (default: they are where DuckDB wrote them). */
    storage?: LakeStorage;
  },
): Promise<number> {
  const s = ident(opts.metaSchema);
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-writer:${opts.metaSchema}`]);
  await assertWritten(opts.files, opts.storage);
  const snap = await latestSnapshot(client, s);
  const S = snap.id + 1;
  const what = opts.message;
  await claimSnapshot(client, s, { ...snap, id: S, nextFileId: snap.nextFileId + opts.files.length }, what);
  const tables = [...new Map(opts.files.map((f) => [f.table.tableId, f.table])).values()].sort(
    (a, b) => a.tableId - b.tableId,
  );
  await assertTablesUnchanged(client, s, tables, { what, allowAdded: true });
  const tableIds = tables.map((t) => t.tableId);
  const before = new Map(
    (
      await client.query(
        `SELECT table_id, record_count FROM ${s}.ducklake_table_stats WHERE table_id = ANY($1::bigint[])`,
        [tableIds],
      )
    ).rows.map((r) => [Number(r.table_id), Number(r.record_count)]),
  );
  const merges = new Map<number, { adds: WrittenFile["stats"][]; hadRows: boolean }>(
    tableIds.map((t) => [t, { adds: [], hadRows: (before.get(t) ?? 0) > 0 }]),
  );
  let fileId = snap.nextFileId;
  for (const f of opts.files) {
    const id = fileId++;
    // Row ids continue after every row the table has (another writer's inlined rows too).
    const tstats = await client.query(
      `UPDATE ${s}.ducklake_table_stats SET record_count = record_count + $2, next_row_id = next_row_id + $2,
         file_size_bytes = file_size_bytes + $3 WHERE table_id = $1 RETURNING next_row_id - $2 AS start`,
      [f.table.tableId, f.recordCount, f.fileSize],
    );
    let rowIdStart = Number(tstats.rows[0]?.start ?? 0);
    if (tstats.rows.length === 0) {
      // A table another writer created has no stats row until its first data (as in the extension's catalogs).
      await client.query(`INSERT INTO ${s}.ducklake_table_stats VALUES ($1, $2, $2, $3)`, [
        f.table.tableId,
        f.recordCount,
        f.fileSize,
      ]);
      rowIdStart = 0;
    }
    await client.query(
      `INSERT INTO ${s}.ducklake_data_file VALUES ($1, $2, $3, NULL, NULL, $4, true, 'parquet', $5, $6, $7, $8, NULL, NULL, NULL, NULL)`,
      [id, f.table.tableId, S, f.fileName, f.recordCount, f.fileSize, f.footerSize, rowIdStart],
    );
    await insertFileColumnStats(client, s, id, f);
    merges.get(f.table.tableId)!.adds.push(f.stats);
  }
  await mergeTableColumnStats(client, s, merges);
  await client.query(`INSERT INTO ${s}.ducklake_snapshot_changes VALUES ($1, $2, 'stellar-lake', $3, $4)`, [
    S,
    tableIds.map((t) => `inserted_into_table:${t}`).join(","),
    opts.message,
    JSON.stringify(opts.commitExtraInfo),
  ]);
  return S;
}

/** Fail (naming the file) when a written file is gone before its commit, e.g. removed by an orphan sweep. */
export async function assertWritten(files: readonly WrittenFile[], storage?: LakeStorage): Promise<void> {
  for (const f of files) {
    const where = storage ? `${storage.dataPath}${f.lakePath}` : f.absolutePath;
    const there = storage
      ? await storage.exists(f.lakePath)
      : await stat(f.absolutePath).then(
          () => true,
          () => false,
        );
    if (!there) {
      throw new Error(
        `Parquet file ${where} of table '${f.table.name}' disappeared before its catalog commit (removed as an orphan?); nothing committed`,
      );
    }
  }
}
