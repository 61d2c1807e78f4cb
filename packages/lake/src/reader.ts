/**
 * Reading a DuckLake table without the extension, by the spec's "Queries": the snapshot (default latest), the
 * table's live columns and data files at it, merge-on-read delete files applied, Parquet columns mapped to table
 * columns by field id (by name for files without field ids, NULL for columns a file predates), rows via DuckDB.
 * Catalogs in PostgreSQL or in a DuckDB database file (the extension's own test catalogs) are both readable.
 */
import { isAbsolute, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident } from "@stellar-lake/schema/ident";
import type pg from "pg";
import { InlinedDataError, inlinedFileDeletes, readInlinedRows } from "./inlined";
import { type LakeStorage, lakeStorage, type PinnedFile } from "./storage";
import { duckdbTypeOf } from "./types";

/** Runs catalog SQL with $1… parameters and returns plain row objects; `t(name)` qualifies a catalog table. */
export interface CatalogSource {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  t(name: string): string;
  /** Directory a relative `data_path` is relative to (the catalog file's folder). */
  baseDir?: string;
}

export function pgCatalog(client: pg.ClientBase | pg.Pool, metaSchema: string): CatalogSource {
  const s = ident(metaSchema);
  return {
    query: async (sql, params = []) => (await client.query(sql, params)).rows,
    t: (name) => `${s}.${name}`,
  };
}

/** A catalog stored in a DuckDB database file, attached read-only as `alias` on `duck`. */
export async function duckdbFileCatalog(
  duck: DuckDBConnection,
  file: string,
  alias = "lake_catalog",
): Promise<CatalogSource> {
  await duck.run(`ATTACH '${file.replaceAll("'", "''")}' AS ${alias} (READ_ONLY)`);
  return {
    query: async (sql, params = []) =>
      (await duck.runAndReadAll(sql, params as never)).getRowObjectsJson() as Record<string, unknown>[],
    t: (name) => `${alias}.${name}`,
    baseDir: file.slice(0, file.lastIndexOf("/") + 1),
  };
}

export class LakeReadError extends Error {
  override readonly name: string = "LakeReadError";
}

/**
 * The lake uses a feature this reader does not read (deletion vectors): answering without it would be wrong, so
 * callers must not treat it like a missing table.
 */
export class LakeUnsupportedError extends LakeReadError {
  override readonly name: string = "LakeUnsupportedError";
}

const visible = "begin_snapshot <= $2 AND (end_snapshot IS NULL OR end_snapshot > $2)";

function joinPath(base: string, part: string, relative: boolean): string {
  return relative ? `${base}${part}` : part;
}

export interface ReadOptions {
  schema?: string;
  table: string;
  snapshot?: number;
  /** Overrides the catalog's data_path (e.g. a catalog moved to another machine). */
  dataPath?: string;
  /**
   * Where the files are read from (default: the data path's own — a local directory as is, `s3://…` through
   * `lakeStorage` with settings from the environment).
   */
  storage?: LakeStorage;
  /** Keep only files whose stats say `column` may hold a value in [from, to] (stats pruning). */
  range?: { column: string; from: number | bigint; to: number | bigint };
}

export interface ReadResult {
  snapshot: number;
  files: string[];
  rows: Record<string, unknown>[];
  /** How many of `rows` came from inlined data (`ducklake_inlined_data_*` tables in the catalog), when any. */
  inlinedRows?: number;
}

/**
 * Per-row snapshot ids in a partial file: the column the extension writes into a merged data file
 * (`ducklake_merge_adjacent_files`) or a snapshot-tagged delete file, with the Parquet field id it gets there
 * (DuckDB's `MultiFileReader::LAST_UPDATED_SEQUENCE_NUMBER_ID`, set in the extension's `WrittenFieldIds`,
 * src/storage/ducklake_insert.cpp). Such a file's catalog row carries `partial_max` = the highest of them.
 */
export const SNAPSHOT_ID_COLUMN = "_ducklake_internal_snapshot_id";
export const SNAPSHOT_ID_FIELD_ID = 2147483539;

/** A live data file of a table at a snapshot, with its merge-on-read delete files and the range column's stats. */
export interface LakeFile {
  id: string;
  path: string;
  /** Rows in the file; for a partial file read at an older snapshot (`snapshotFilter`) fewer are visible. */
  recordCount: number;
  deletePaths: string[];
  /**
   * A partial file (catalog `partial_max` above the snapshot read): only rows whose embedded
   * `_ducklake_internal_snapshot_id` is at most this snapshot belong to it — the extension's rule for a file
   * that merged rows of several snapshots (its `SetSnapshotFilter`, src/storage/ducklake_metadata_manager.cpp).
   */
  snapshotFilter?: number;
  /** The same for the file's delete file when that one is partial: only deletions up to this snapshot count. */
  deleteSnapshotFilter?: number;
  /** A spec 0.3 merged file (`partial_file_info` splits): the snapshot sees only its first this many rows. */
  maxRowCount?: number;
  /** The file's size in bytes (`file_size_bytes`). */
  sizeBytes: number;
  /** Positions of the file's rows deleted by the extension's inlined deletes at the snapshot (see ./inlined). */
  inlinedDeletes?: number[];
  /** Min/max of `ReadOptions.range.column` (or of `statsColumn`) from the file's column stats; null = unknown. */
  min: bigint | null;
  max: bigint | null;
}

export interface LakeTableFiles {
  snapshot: number;
  /** The data path the file paths are joined from (ends in '/'; a local directory or an s3:// URL). */
  dataPath: string;
  tableId: string;
  /** The table's live top-level columns at the snapshot, in column order (type: the DuckLake type name). */
  columns: { id: string; name: string; type: string }[];
  files: LakeFile[];
}

/**
 * Spec 0.3's form of a merged file (`ducklake_data_file.partial_file_info`, read by the extension's
 * `ParsePartialFileInfo` / `GetMaxRowCount` in src/storage/ducklake_metadata_manager.cpp of that version): either
 * `partial_max:<N>` (the 1.0 meaning: rows filtered by their embedded snapshot id below N), or
 * `<snapshot>:<rows>|…` splits — a snapshot sees the first `rows` rows of its newest split at or before it.
 */
function partialFileInfo(info: unknown, snap: number): Pick<LakeFile, "snapshotFilter" | "maxRowCount"> {
  if (info === null || info === undefined || info === "") return {};
  const text = String(info);
  if (text.startsWith("partial_max:")) {
    return Number(text.slice("partial_max:".length)) > snap ? { snapshotFilter: snap } : {};
  }
  let rows = 0;
  for (const split of text.split("|")) {
    const [s, n] = split.split(":");
    if (Number(s) <= snap) rows = Math.max(rows, Number(n));
  }
  return { maxRowCount: rows };
}

/**
 * The table's live columns and data files at a snapshot (default latest), without reading any Parquet: what a
 * reader needs to plan a scan. `statsColumn` attaches that column's min/max to each file so callers can prune.
 */
export async function lakeTableFiles(
  cat: CatalogSource,
  o: Omit<ReadOptions, "range"> & { statsColumn?: string },
): Promise<LakeTableFiles> {
  const snapRow =
    o.snapshot ??
    Number((await cat.query(`SELECT MAX(snapshot_id) AS s FROM ${cat.t("ducklake_snapshot")}`))[0]!.s);
  const snap = Number(snapRow);
  if (o.snapshot !== undefined) {
    const found = await cat.query(
      `SELECT snapshot_id FROM ${cat.t("ducklake_snapshot")} WHERE snapshot_id = $1`,
      [snap],
    );
    if (found.length === 0) {
      throw new LakeReadError(`no snapshot ${snap} in the catalog (never written, or expired)`);
    }
  }
  let dataPath =
    o.dataPath ??
    String(
      (await cat.query(`SELECT value FROM ${cat.t("ducklake_metadata")} WHERE key = 'data_path'`))[0]
        ?.value ?? "",
    );
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(dataPath);
  if (!url && !isAbsolute(dataPath) && cat.baseDir) dataPath = join(cat.baseDir, dataPath);
  if (!dataPath.endsWith("/")) dataPath += "/";
  const schema = (
    await cat.query(
      `SELECT schema_id, path, path_is_relative FROM ${cat.t("ducklake_schema")} WHERE schema_name = $1 AND ${visible}`,
      [o.schema ?? "main", snap],
    )
  )[0];
  if (!schema) throw new LakeReadError(`no schema '${o.schema ?? "main"}' at snapshot ${snap}`);
  const table = (
    await cat.query(
      `SELECT table_id, path, path_is_relative FROM ${cat.t("ducklake_table")} WHERE schema_id = $1 AND table_name = $3 AND ${visible}`,
      [schema.schema_id, snap, o.table],
    )
  )[0];
  if (!table) throw new LakeReadError(`no table '${o.table}' at snapshot ${snap}`);
  const tableDir = joinPath(
    joinPath(dataPath, String(schema.path), Boolean(schema.path_is_relative)),
    String(table.path),
    Boolean(table.path_is_relative),
  );
  const columns = (
    await cat.query(
      `SELECT column_id, column_name, column_type FROM ${cat.t("ducklake_column")} WHERE table_id = $1 AND parent_column IS NULL AND ${visible} ORDER BY column_order`,
      [table.table_id, snap],
    )
  ).map((c) => ({ id: String(c.column_id), name: String(c.column_name), type: String(c.column_type) }));
  // partial_max: a merged file spans the snapshots from its begin_snapshot to partial_max; read at an older one,
  // it holds only the rows of that snapshot and before (filtered by the per-row snapshot column).
  // (`*`: spec 0.3 has no partial_max but `partial_file_info`, see partialFileInfo.)
  const fileRows = await cat.query(
    `SELECT * FROM ${cat.t("ducklake_data_file")} WHERE table_id = $1 AND ${visible} ORDER BY file_order, data_file_id`,
    [table.table_id, snap],
  );
  const stats = new Map<string, { min: bigint | null; max: bigint | null }>();
  if (o.statsColumn) {
    const col = columns.find((c) => c.name === o.statsColumn);
    if (!col) throw new LakeReadError(`table '${o.table}' has no column '${o.statsColumn}'`);
    for (const r of await cat.query(
      `SELECT data_file_id, min_value, max_value FROM ${cat.t("ducklake_file_column_stats")} WHERE table_id = $1 AND column_id = $2`,
      [table.table_id, col.id],
    )) {
      const big = (v: unknown) => (v === null || v === undefined || v === "" ? null : BigInt(String(v)));
      stats.set(String(r.data_file_id), { min: big(r.min_value), max: big(r.max_value) });
    }
  }
  const deletes = await cat.query(
    `SELECT * FROM ${cat.t("ducklake_delete_file")} WHERE table_id = $1 AND ${visible}`,
    [table.table_id, snap],
  );
  // Filter only when the file has rows (or deletions) newer than the snapshot: at or above partial_max every
  // row belongs to it, as in the extension.
  const newer = (partialMax: unknown) =>
    partialMax !== null && partialMax !== undefined && Number(partialMax) > snap;
  // Deletion vectors (Puffin) are not read: refused by name rather than read as "nothing deleted".
  for (const d of deletes) {
    const path = joinPath(tableDir, String(d.path), Boolean(d.path_is_relative));
    if (String(d.format ?? "parquet").toLowerCase() !== "parquet" || path.toLowerCase().endsWith(".puffin")) {
      throw new LakeUnsupportedError(
        `delete file ${path} of table '${o.table}' is a deletion vector (Puffin, WRITE_DELETION_VECTORS), which this reader does not read; rewrite the table's deletes as Parquet delete files with DuckDB (ducklake_rewrite_data_files, or the table written without WRITE_DELETION_VECTORS) or read it with the ducklake extension`,
      );
    }
  }
  const inlinedDeletes = await inlinedFileDeletes(cat, String(table.table_id), snap);
  const files = fileRows.map((f): LakeFile => {
    const id = String(f.data_file_id);
    const st = stats.get(id);
    const own = deletes.filter((d) => String(d.data_file_id) === id);
    const inlined = inlinedDeletes.get(id);
    return {
      id,
      path: joinPath(tableDir, String(f.path), Boolean(f.path_is_relative)),
      recordCount: Number(f.record_count),
      sizeBytes: Number(f.file_size_bytes),
      deletePaths: own.map((d) => joinPath(tableDir, String(d.path), Boolean(d.path_is_relative))),
      min: st?.min ?? null,
      max: st?.max ?? null,
      ...(newer(f.partial_max) ? { snapshotFilter: snap } : {}),
      ...partialFileInfo(f.partial_file_info, snap),
      ...(own.some((d) => newer(d.partial_max)) ? { deleteSnapshotFilter: snap } : {}),
      ...(inlined?.length ? { inlinedDeletes: inlined } : {}),
    };
  });
  return { snapshot: snap, dataPath, tableId: String(table.table_id), columns, files };
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sqlIdent = ident;

/** A local file for each of a data file's paths (the file, its delete files) through `storage`. */
export async function localLakeFile(
  table: string,
  file: Pick<LakeFile, "path" | "deletePaths">,
  storage: LakeStorage | undefined,
): Promise<Pick<LakeFile, "path" | "deletePaths">> {
  if (!storage) return file;
  const local = async (p: string, what: string) => {
    try {
      return await storage.localPath(p);
    } catch (err) {
      throw new LakeReadError(`cannot read ${what} ${p} of table '${table}': ${(err as Error).message}`);
    }
  };
  return {
    path: await local(file.path, "data file"),
    deletePaths: await Promise.all(file.deletePaths.map((d) => local(d, "delete file"))),
  };
}

/** Extra columns for `lakeFileSelect` (compaction needs each row's position and snapshot). */
export interface FileSelectExtras {
  /** Also select the row's position in the file (`file_row_number`) under this name. */
  rowNumberAs?: string;
  /**
   * Also select each row's snapshot id under `as`: the file's embedded `_ducklake_internal_snapshot_id` when it
   * has one (a partial file), else `fallback` (the file's begin_snapshot: all its rows came with it).
   */
  snapshotId?: { as: string; fallback: number };
}

/**
 * One DuckDB SELECT over a data file that yields the table's columns by name: Parquet columns mapped by field id
 * (by name for files without field ids; NULL for columns the file predates), its delete files applied, and for a
 * partial file read at an older snapshot only the rows up to it (`snapshotFilter`). Columns the extension adds
 * for its own use (`_ducklake_internal_snapshot_id`, `_ducklake_internal_row_id`) are never part of the rows.
 * Reads the file's Parquet schema once (files are immutable, so callers may cache the result by path and
 * snapshot filters). With a `storage`, the file and its delete files are opened through `storage.localPath`
 * (for S3: a cached local copy, whose path is stable, so a cached SELECT stays valid once `localPath` has been
 * asked again).
 */
export async function lakeFileSelect(
  duck: DuckDBConnection,
  table: string,
  columns: readonly { id: string; name: string; type?: string }[],
  lakeFile: Pick<LakeFile, "path" | "deletePaths"> &
    Partial<Pick<LakeFile, "snapshotFilter" | "deleteSnapshotFilter" | "maxRowCount" | "inlinedDeletes">>,
  storage?: LakeStorage,
  extras: FileSelectExtras = {},
): Promise<string> {
  const file = await localLakeFile(table, lakeFile, storage);
  let fields: Record<string, unknown>[];
  try {
    fields = (
      await duck.runAndReadAll(
        `SELECT name, field_id, duckdb_type FROM parquet_schema(${sqlString(file.path)})`,
      )
    ).getRowObjectsJson();
  } catch (err) {
    throw new LakeReadError(
      `cannot read data file ${lakeFile.path} of table '${table}': ${(err as Error).message}`,
    );
  }
  const byId = new Map(
    fields.filter((x) => x.field_id !== null).map((x) => [String(x.field_id), String(x.name)]),
  );
  const names = new Set(fields.map((x) => String(x.name)));
  const stored = new Map(fields.map((x) => [String(x.name), String(x.duckdb_type ?? "")]));
  // Each column as the table's type, whatever the file stores (another writer's DOUBLE for a HUGEINT, the INT32
  // of a file older than an int32 → int64 promotion), as the extension casts on read.
  const select = columns.map((c) => {
    const src = byId.size ? byId.get(c.id) : names.has(c.name) ? c.name : undefined;
    const type = c.type === undefined ? undefined : duckdbTypeOf(c.type);
    if (!src) return `${type ? `NULL::${type}` : "NULL"} AS ${sqlIdent(c.name)}`;
    const cast = type !== undefined && stored.get(src) !== type;
    return `${cast ? `CAST(${sqlIdent(src)} AS ${type})` : sqlIdent(src)} AS ${sqlIdent(c.name)}`;
  });
  // The per-row snapshot column: by its reserved field id, or by name in a file written without field ids.
  const snapColumn =
    byId.get(String(SNAPSHOT_ID_FIELD_ID)) ??
    (names.has(SNAPSHOT_ID_COLUMN) ? SNAPSHOT_ID_COLUMN : undefined);
  if (extras.snapshotId) {
    const { as, fallback } = extras.snapshotId;
    select.push(
      `${snapColumn ? sqlIdent(snapColumn) : `${Math.trunc(fallback)}`}::BIGINT AS ${sqlIdent(as)}`,
    );
  }
  if (extras.rowNumberAs) select.push(`file_row_number AS ${sqlIdent(extras.rowNumberAs)}`);
  const where: string[] = [];
  if (lakeFile.snapshotFilter !== undefined) {
    if (!snapColumn) {
      throw new LakeReadError(
        `data file ${lakeFile.path} of table '${table}' is partial (partial_max above snapshot ${lakeFile.snapshotFilter}) but has no ${SNAPSHOT_ID_COLUMN} column`,
      );
    }
    where.push(`${sqlIdent(snapColumn)} <= ${Math.trunc(lakeFile.snapshotFilter)}`);
  }
  if (lakeFile.maxRowCount !== undefined) where.push(`file_row_number < ${Math.trunc(lakeFile.maxRowCount)}`);
  if (file.deletePaths.length) {
    // A partial delete file lists deletions of several snapshots: at an older one only those up to it count.
    const upTo = lakeFile.deleteSnapshotFilter;
    const deleted = file.deletePaths
      .map((d) =>
        upTo === undefined
          ? `SELECT pos FROM read_parquet(${sqlString(d)})`
          : `SELECT pos FROM read_parquet(${sqlString(d)}) WHERE ${SNAPSHOT_ID_COLUMN} <= ${Math.trunc(upTo)}`,
      )
      .join(" UNION ALL ");
    where.push(`file_row_number NOT IN (${deleted})`);
  }
  const inlined = lakeFile.inlinedDeletes ?? [];
  if (inlined.length) where.push(`file_row_number NOT IN (${inlined.map((p) => Math.trunc(p)).join(", ")})`);
  // file_row_number only when asked for or a delete needs it (it costs the scan a column).
  const rowNumbers =
    extras.rowNumberAs !== undefined ||
    file.deletePaths.length > 0 ||
    inlined.length > 0 ||
    lakeFile.maxRowCount !== undefined;
  return `SELECT ${select.join(", ")} FROM read_parquet(${sqlString(file.path)}${rowNumbers ? ", file_row_number = true" : ""})${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
}

export async function readLakeTable(
  cat: CatalogSource,
  duck: DuckDBConnection,
  o: ReadOptions,
): Promise<ReadResult> {
  const { snapshot, dataPath, tableId, columns, files } = await lakeTableFiles(cat, {
    ...o,
    ...(o.range ? { statsColumn: o.range.column } : {}),
  });
  const storage = o.storage ?? (dataPath.startsWith("s3://") ? lakeStorage(dataPath) : undefined);
  const from = o.range ? BigInt(o.range.from) : 0n;
  const to = o.range ? BigInt(o.range.to) : 0n;
  const kept = o.range
    ? files.filter((f) => (f.min === null || f.min <= to) && (f.max === null || f.max >= from))
    : files;
  const rows: Record<string, unknown>[] = [];
  for (const f of kept) {
    // A remote file and its delete files stay pinned in the cache until their rows are read.
    const pins: PinnedFile[] = [];
    try {
      if (storage) {
        for (const p of [f.path, ...f.deletePaths]) {
          try {
            pins.push(await storage.pin(p));
          } catch (err) {
            throw new LakeReadError(`cannot read file ${p} of table '${o.table}': ${(err as Error).message}`);
          }
        }
      }
      const r = await duck.runAndReadAll(await lakeFileSelect(duck, o.table, columns, f, storage));
      rows.push(...(r.getRowObjectsJson() as Record<string, unknown>[]));
    } finally {
      for (const p of pins) await p.release();
    }
  }
  const inlined = await readInlinedRows(cat, duck, { tableId, snapshot, columns, table: o.table }).catch(
    (err: unknown) => {
      throw err instanceof InlinedDataError ? new LakeReadError(err.message) : err;
    },
  );
  rows.push(...inlined);
  return {
    snapshot,
    files: kept.map((f) => f.path),
    rows,
    ...(inlined.length ? { inlinedRows: inlined.length } : {}),
  };
}
