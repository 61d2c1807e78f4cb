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
import { SNAPSHOT_ID_COLUMN, SNAPSHOT_ID_FIELD_ID } from "./reader";
import type { LakeStorage } from "./storage";

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
}

/**
 * The lake schema and its tables, creating what is missing in one snapshot. Call inside no transaction: it
 * runs its own (serialised with other writers by the snapshot primary key).
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
    if (schemaId === undefined || missing.length > 0) {
      const S = snap.id + 1;
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
        for (const [i, c] of t.columns.entries()) {
          await client.query(
            `INSERT INTO ${s}.ducklake_column VALUES ($1, $2, NULL, $3, $4, $5, $6, NULL, 'NULL', true, NULL, 'literal', 'duckdb')`,
            [i + 1, S, tableId, i + 1, c.name, DUCKLAKE_TYPE[c.pg]],
          );
        }
        await client.query(`INSERT INTO ${s}.ducklake_schema_versions VALUES ($1, $2, $3)`, [
          S,
          snap.schemaVersion + 1,
          tableId,
        ]);
        await client.query(`INSERT INTO ${s}.ducklake_table_stats VALUES ($1, 0, 0, 0)`, [tableId]);
        existing.set(t.name, tableId);
        changes.push(`created_table:"${opts.lakeSchema}"."${t.name}"`);
      }
      await client.query(`INSERT INTO ${s}.ducklake_snapshot VALUES ($1, now(), $2, $3, $4)`, [
        S,
        snap.schemaVersion + 1,
        nextId,
        snap.nextFileId,
      ]);
      await client.query(
        `INSERT INTO ${s}.ducklake_snapshot_changes VALUES ($1, $2, 'stellar-lake', 'create bronze tables', NULL)`,
        [S, changes.join(",")],
      );
    }
    const out = new Map<string, LakeTable>();
    for (const t of opts.tables) {
      const tableId = existing.get(t.name)!;
      const cols = await client.query(
        `SELECT column_id, column_name FROM ${s}.ducklake_column WHERE table_id = $1 AND end_snapshot IS NULL`,
        [tableId],
      );
      out.set(t.name, {
        tableId,
        name: t.name,
        columnIds: new Map(cols.rows.map((c) => [c.column_name as string, Number(c.column_id)])),
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
  /** column id → stats from DuckDB's RETURN_STATS */
  stats: Map<
    number,
    { min: string | null; max: string | null; nullCount: number; valueCount: number; sizeBytes: number }
  >;
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
    stats.set(opts.lake.columnIds.get(name)!, {
      min: m.min ?? null,
      max: m.max ?? null,
      nullCount: Number(m.null_count ?? 0),
      valueCount: Number(m.num_values ?? 0),
      sizeBytes: Number(m.column_size_bytes ?? 0),
    });
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
  };
}

/**
 * Table-level column bounds recomputed over all live files of `tableIds` (call in the writing transaction),
 * compared as their types (numbers numerically, text byte-wise like DuckDB, UTC timestamps in DuckDB's fixed
 * format also byte-wise): pruning needs true bounds.
 */
export async function refreshTableColumnStats(
  client: pg.ClientBase,
  s: string,
  tableIds: readonly number[],
): Promise<void> {
  await client.query(`DELETE FROM ${s}.ducklake_table_column_stats WHERE table_id = ANY($1::bigint[])`, [
    tableIds,
  ]);
  await client.query(
    `INSERT INTO ${s}.ducklake_table_column_stats (table_id, column_id, contains_null, contains_nan, min_value, max_value, extra_stats)
       SELECT st.table_id, st.column_id, bool_or(st.null_count > 0), NULL,
         CASE WHEN bool_or(st.min_value IS NULL AND st.value_count > st.null_count) THEN NULL
              WHEN c.column_type IN ('int64', 'int32', 'boolean')
                THEN MIN(CASE WHEN c.column_type IN ('int64', 'int32', 'boolean') THEN st.min_value::numeric END)::text
              ELSE MIN(CASE WHEN c.column_type NOT IN ('int64', 'int32', 'boolean') THEN st.min_value COLLATE "C" END) END,
         CASE WHEN bool_or(st.max_value IS NULL AND st.value_count > st.null_count) THEN NULL
              WHEN c.column_type IN ('int64', 'int32', 'boolean')
                THEN MAX(CASE WHEN c.column_type IN ('int64', 'int32', 'boolean') THEN st.max_value::numeric END)::text
              ELSE MAX(CASE WHEN c.column_type NOT IN ('int64', 'int32', 'boolean') THEN st.max_value COLLATE "C" END) END,
         NULL
       FROM ${s}.ducklake_file_column_stats st
       JOIN ${s}.ducklake_data_file f ON f.data_file_id = st.data_file_id AND f.end_snapshot IS NULL
       JOIN ${s}.ducklake_column c ON c.table_id = st.table_id AND c.column_id = st.column_id AND c.end_snapshot IS NULL
       WHERE st.table_id = ANY($1::bigint[])
       GROUP BY st.table_id, st.column_id, c.column_type`,
    [tableIds],
  );
}

/** A written file's column stats as its `ducklake_file_column_stats` rows (one statement). */
export async function insertFileColumnStats(
  client: pg.ClientBase,
  s: string,
  dataFileId: number,
  f: WrittenFile,
): Promise<void> {
  const st = [...f.stats];
  if (st.length === 0) return;
  await client.query(
    `INSERT INTO ${s}.ducklake_file_column_stats
     SELECT $1, $2, c, sz, vc, nc, mn, mx, NULL, NULL
     FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[]) AS u(c, sz, vc, nc, mn, mx)`,
    [
      dataFileId,
      f.table.tableId,
      st.map(([c]) => c),
      st.map(([, x]) => x.sizeBytes),
      st.map(([, x]) => x.valueCount),
      st.map(([, x]) => x.nullCount),
      st.map(([, x]) => x.min),
      st.map(([, x]) => x.max),
    ],
  );
}

/**
 * Register the files of one flush in ONE snapshot with `commitExtraInfo` (the flush-state contract). Runs in
 * the caller's transaction (so the caller decides what commits with it); returns the new snapshot id.
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
  let fileId = snap.nextFileId;
  const tableIds = [...new Set(opts.files.map((f) => f.table.tableId))].sort((a, b) => a - b);
  for (const f of opts.files) {
    const id = fileId++;
    const tstats = await client.query(
      `SELECT next_row_id FROM ${s}.ducklake_table_stats WHERE table_id = $1`,
      [f.table.tableId],
    );
    const rowIdStart = Number(tstats.rows[0]?.next_row_id ?? 0);
    await client.query(
      `INSERT INTO ${s}.ducklake_data_file VALUES ($1, $2, $3, NULL, NULL, $4, true, 'parquet', $5, $6, $7, $8, NULL, NULL, NULL, NULL)`,
      [id, f.table.tableId, S, f.fileName, f.recordCount, f.fileSize, f.footerSize, rowIdStart],
    );
    await insertFileColumnStats(client, s, id, f);
    await client.query(
      `UPDATE ${s}.ducklake_table_stats SET record_count = record_count + $2, next_row_id = next_row_id + $2,
         file_size_bytes = file_size_bytes + $3 WHERE table_id = $1`,
      [f.table.tableId, f.recordCount, f.fileSize],
    );
  }
  await refreshTableColumnStats(client, s, tableIds);
  await client.query(`INSERT INTO ${s}.ducklake_snapshot VALUES ($1, now(), $2, $3, $4)`, [
    S,
    snap.schemaVersion,
    snap.nextCatalogId,
    fileId,
  ]);
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
