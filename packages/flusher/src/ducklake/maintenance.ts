/**
 * Lake maintenance without the extension: compaction (small adjacent files of a table merged into larger ones in
 * ONE new snapshot), cleanup of the files compaction replaced once a retention period has passed, and removal of
 * orphan Parquet files (written by a flush or compaction that crashed before its catalog commit).
 *
 * Catalog effects of a compaction, following the extension's merge of adjacent files: the merged file gets the
 * row-id range of the files it replaces (`row_id_start` of the first; rows in row-id order), its own file column
 * stats, `changes_made` `compacted_table:<table_id>`, and the replaced files go to
 * `ducklake_files_scheduled_for_deletion`. Unlike the extension (which deletes the replaced files' rows and lets
 * older snapshots read part of the merged file), the replaced files get `end_snapshot` = the compaction snapshot,
 * so every older snapshot still reads exactly the files it was written with — a plain begin/end visibility that
 * any spec reader follows. `commit_extra_info` carries the latest flush state forward (operation "compact"),
 * so readers of the watermark see no change.
 *
 * Cleanup (the extension's expire_snapshots + cleanup_old_files, in one step): files scheduled longer ago than
 * `olderThanMs` lose their catalog rows, the snapshots that could see them are expired (deleted, so a reader
 * asking for one gets "no snapshot" instead of partial data), and the files are deleted after the commit.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableDef } from "@stellar-lake/schema";
import type pg from "pg";
import { latestFlushState, type Queryable } from "../flush-state";
import { type LakeStorage, lakeStorage, type PinnedFile } from "../storage";
import {
  assertWritten,
  insertFileColumnStats,
  type LakeTable,
  latestSnapshot,
  refreshTableColumnStats,
  type WrittenFile,
  writeParquetFromQuery,
} from "./writer";

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface CompactOptions {
  catalog: pg.ClientBase;
  duck: DuckDBConnection;
  metaSchema: string;
  lakeSchema: string;
  /** The catalog's data path: a local directory or s3://bucket/prefix/, ending in '/'. */
  dataPath: string;
  /** Where the files are (default: from `dataPath`, see `lakeStorage`). */
  storage?: LakeStorage;
  tables: readonly TableDef[];
  lake: Map<string, LakeTable>;
  /** Files at least this big are left alone; merged files aim at this size (default 128 MiB). */
  targetFileBytes?: number;
  /** Merge a run of small files only when it has at least this many (default 2). */
  minFiles?: number;
  /** At most this many source files per merged file (default 1000): bounds one merge's work. */
  maxFilesPerMerge?: number;
  failpoint?: (name: string) => void;
}

export interface CompactResult {
  snapshotId?: number;
  /** table → [live files before, after] for the tables that were compacted */
  tables: Record<string, { filesBefore: number; filesAfter: number; rows: number }>;
  seconds: number;
}

interface LiveFile {
  id: number;
  path: string;
  rowIdStart: number;
  recordCount: number;
  fileSize: number;
}

interface Merge {
  table: TableDef;
  lake: LakeTable;
  sources: LiveFile[];
  written?: WrittenFile;
}

/** A file's lake path (schema path + table path + file path, all relative as this project writes them). */
function lakePathOf(o: { lakeSchema: string }, table: string, file: string): string {
  return `${o.lakeSchema}/${table}/${file}`;
}

/**
 * Groups of row-id-adjacent small files: sorted by row_id_start, a group continues while the next file starts
 * where the previous one ended, is below the target size, has no delete file, and the group stays below target.
 */
export function planMerges(
  files: readonly LiveFile[],
  o: { targetFileBytes: number; minFiles: number; maxFilesPerMerge: number },
): LiveFile[][] {
  const sorted = [...files].sort((a, b) => a.rowIdStart - b.rowIdStart);
  const groups: LiveFile[][] = [];
  let cur: LiveFile[] = [];
  let bytes = 0;
  const close = () => {
    if (cur.length >= o.minFiles) groups.push(cur);
    cur = [];
    bytes = 0;
  };
  for (const f of sorted) {
    if (f.fileSize >= o.targetFileBytes) {
      close();
      continue;
    }
    const last = cur[cur.length - 1];
    const adjacent = last !== undefined && last.rowIdStart + last.recordCount === f.rowIdStart;
    if (
      cur.length > 0 &&
      (!adjacent || bytes + f.fileSize > o.targetFileBytes || cur.length >= o.maxFilesPerMerge)
    )
      close();
    cur.push(f);
    bytes += f.fileSize;
  }
  close();
  return groups;
}

async function liveFiles(client: pg.ClientBase, s: string, tableId: number): Promise<LiveFile[]> {
  const r = await client.query(
    `SELECT f.data_file_id, f.path, f.path_is_relative, f.row_id_start, f.record_count, f.file_size_bytes
     FROM ${s}.ducklake_data_file f
     WHERE f.table_id = $1 AND f.end_snapshot IS NULL AND f.partition_id IS NULL AND f.encryption_key IS NULL
       AND f.mapping_id IS NULL AND f.partial_max IS NULL AND f.row_id_start IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ${s}.ducklake_delete_file d WHERE d.data_file_id = f.data_file_id AND d.end_snapshot IS NULL)`,
    [tableId],
  );
  return r.rows
    .filter((row) => row.path_is_relative)
    .map((row) => ({
      id: Number(row.data_file_id),
      path: String(row.path),
      rowIdStart: Number(row.row_id_start),
      recordCount: Number(row.record_count),
      fileSize: Number(row.file_size_bytes),
    }));
}

/** Merge each table's small adjacent files; all merges of one call commit in ONE snapshot. */
export async function compactLake(o: CompactOptions): Promise<CompactResult> {
  const t0 = performance.now();
  const fp = o.failpoint ?? (() => {});
  const s = ident(o.metaSchema);
  const plan = {
    targetFileBytes: o.targetFileBytes ?? 128 * 1024 * 1024,
    minFiles: Math.max(2, o.minFiles ?? 2),
    maxFilesPerMerge: o.maxFilesPerMerge ?? 1000,
  };
  const result: CompactResult = { tables: {}, seconds: 0 };
  const merges: Merge[] = [];
  const liveCount = new Map<string, number>();
  for (const t of o.tables) {
    const lake = o.lake.get(t.name);
    if (!lake) throw new Error(`compaction: no bronze table '${o.lakeSchema}.${t.name}' in the catalog`);
    const files = await liveFiles(o.catalog, s, lake.tableId);
    liveCount.set(t.name, files.length);
    for (const group of planMerges(files, plan)) merges.push({ table: t, lake, sources: group });
  }
  if (merges.length === 0) {
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  }
  const storage = o.storage ?? lakeStorage(o.dataPath);
  // A remote lake: DuckDB writes the merged file in a staging folder, then it is uploaded.
  const stage = storage.remote ? `${await mkdtemp(join(tmpdir(), "compact-"))}/` : undefined;
  const pinned: PinnedFile[] = [];
  try {
    for (const m of merges) {
      const cols = m.table.columns.map((c) => ident(c.name)).join(", ");
      // Row-id order: the files in row_id_start order, each in its row order (read through the storage:
      // for S3 a local cached copy).
      const parts: string[] = [];
      // Pinned: a merge opens all its sources at once, so none may be evicted before the COPY reads it.
      for (const [i, f] of m.sources.entries()) {
        const local = await storage.pin(lakePathOf(o, m.table.name, f.path));
        pinned.push(local);
        parts.push(
          `SELECT ${i} AS __file, file_row_number AS __row, ${cols} FROM read_parquet(${lit(local.path)}, file_row_number = true)`,
        );
      }
      m.written = await writeParquetFromQuery(o.duck, {
        dataPath: stage ?? storage.dataPath,
        lakeSchema: o.lakeSchema,
        table: m.table,
        lake: m.lake,
        select: `SELECT ${cols} FROM (${parts.join(" UNION ALL ")}) ORDER BY __file, __row`,
      });
      const expected = m.sources.reduce((a, f) => a + f.recordCount, 0);
      if (m.written.recordCount !== expected) {
        throw new Error(
          `compaction of table '${m.table.name}': merged file ${m.written.absolutePath} has ${m.written.recordCount} rows, its ${m.sources.length} source files ${expected}`,
        );
      }
      for (const p of pinned.splice(0)) await p.release();
      if (stage) {
        await storage.put(m.written.absolutePath, m.written.lakePath);
        await rm(m.written.absolutePath, { force: true });
      }
    }
    fp("compact-after-parquet");
    const flushState = await latestFlushState(o.catalog as unknown as Queryable, o.metaSchema);
    await o.catalog.query("BEGIN");
    try {
      await o.catalog.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
        `ducklake-writer:${o.metaSchema}`,
      ]);
      await assertWritten(
        merges.map((m) => m.written!),
        storage,
      );
      const snap = await latestSnapshot(o.catalog, s);
      const S = snap.id + 1;
      let fileId = snap.nextFileId;
      const tableIds = [...new Set(merges.map((m) => m.lake.tableId))].sort((a, b) => a - b);
      for (const m of merges) {
        const w = m.written!;
        const ids = m.sources.map((f) => f.id);
        const ended = await o.catalog.query(
          `UPDATE ${s}.ducklake_data_file SET end_snapshot = $1 WHERE data_file_id = ANY($2::bigint[]) AND end_snapshot IS NULL`,
          [S, ids],
        );
        if (ended.rowCount !== ids.length) {
          throw new Error(
            `compaction of table '${m.table.name}': data files ${ids.join(",")} changed since they were read (another writer); nothing committed`,
          );
        }
        const id = fileId++;
        await o.catalog.query(
          `INSERT INTO ${s}.ducklake_data_file VALUES ($1, $2, $3, NULL, NULL, $4, true, 'parquet', $5, $6, $7, $8, NULL, NULL, NULL, NULL)`,
          [
            id,
            m.lake.tableId,
            S,
            w.fileName,
            w.recordCount,
            w.fileSize,
            w.footerSize,
            m.sources[0]!.rowIdStart,
          ],
        );
        await insertFileColumnStats(o.catalog, s, id, w);
        // Paths relative to data_path, as the extension schedules them.
        await o.catalog.query(
          `INSERT INTO ${s}.ducklake_files_scheduled_for_deletion
           SELECT data_file_id, $2 || path, true, now() FROM ${s}.ducklake_data_file WHERE data_file_id = ANY($1::bigint[])`,
          [ids, `${o.lakeSchema}/${m.table.name}/`],
        );
        const oldBytes = m.sources.reduce((a, f) => a + f.fileSize, 0);
        await o.catalog.query(
          `UPDATE ${s}.ducklake_table_stats SET file_size_bytes = file_size_bytes - $2 + $3 WHERE table_id = $1`,
          [m.lake.tableId, oldBytes, w.fileSize],
        );
        const before = liveCount.get(m.table.name) ?? 0;
        const r = result.tables[m.table.name] ?? { filesBefore: before, filesAfter: before, rows: 0 };
        result.tables[m.table.name] = r;
        r.filesAfter -= m.sources.length - 1;
        r.rows += w.recordCount;
      }
      await refreshTableColumnStats(o.catalog, s, tableIds);
      await o.catalog.query(`INSERT INTO ${s}.ducklake_snapshot VALUES ($1, now(), $2, $3, $4)`, [
        S,
        snap.schemaVersion,
        snap.nextCatalogId,
        fileId,
      ]);
      const files = Object.values(result.tables);
      await o.catalog.query(
        `INSERT INTO ${s}.ducklake_snapshot_changes VALUES ($1, $2, 'stellar-lake', $3, $4)`,
        [
          S,
          tableIds.map((t) => `compacted_table:${t}`).join(","),
          `compact ${merges.length} merges: ${files.reduce((a, t) => a + t.filesBefore, 0)} → ${files.reduce((a, t) => a + t.filesAfter, 0)} files`,
          // The flush state carried forward: the newest snapshot still answers "what is in cold storage".
          flushState
            ? JSON.stringify({
                ...flushState.info,
                operation: "compact",
                compacted: Object.fromEntries(
                  Object.entries(result.tables).map(([k, v]) => [k, [v.filesBefore, v.filesAfter]]),
                ),
              })
            : null,
        ],
      );
      await o.catalog.query("COMMIT");
      result.snapshotId = S;
    } catch (err) {
      await o.catalog.query("ROLLBACK").catch(() => {});
      throw err;
    }
  } catch (err) {
    // Never registered: remove the merged files now rather than leave orphans.
    await Promise.all(
      merges.map(async (m) => {
        if (!m.written) return;
        await rm(m.written.absolutePath, { force: true });
        await storage.delete(m.written.lakePath).catch(() => {});
      }),
    );
    throw err;
  } finally {
    for (const p of pinned.splice(0)) await p.release();
    if (stage) await rm(stage, { recursive: true, force: true });
  }
  fp("compact-after-commit");
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

export interface CleanupResult {
  /** Locations (data path + lake path) of the files deleted. */
  deletedFiles: string[];
  expiredSnapshots: number[];
}

/**
 * Delete the files scheduled for deletion at least `olderThanMs` ago: their catalog rows (only files that are no
 * longer live), the snapshots that could still see them, then the files themselves.
 */
export async function cleanupOldFiles(o: {
  catalog: pg.ClientBase;
  metaSchema: string;
  dataPath: string;
  storage?: LakeStorage;
  olderThanMs: number;
  failpoint?: (name: string) => void;
}): Promise<CleanupResult> {
  const s = ident(o.metaSchema);
  const storage = o.storage ?? lakeStorage(o.dataPath);
  const result: CleanupResult = { deletedFiles: [], expiredSnapshots: [] };
  await o.catalog.query("BEGIN");
  try {
    await o.catalog.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-writer:${o.metaSchema}`]);
    const due = await o.catalog.query(
      `SELECT sd.data_file_id, sd.path, sd.path_is_relative, f.begin_snapshot, f.end_snapshot
       FROM ${s}.ducklake_files_scheduled_for_deletion sd
       LEFT JOIN ${s}.ducklake_data_file f ON f.data_file_id = sd.data_file_id
       WHERE sd.schedule_start <= now() - make_interval(secs => $1::double precision / 1000)
         AND (f.data_file_id IS NULL OR f.end_snapshot IS NOT NULL)`,
      [o.olderThanMs],
    );
    if (due.rows.length === 0) {
      await o.catalog.query("COMMIT");
      return result;
    }
    const ids = due.rows.map((r) => Number(r.data_file_id));
    const expired = await o.catalog.query(
      `SELECT snapshot_id FROM ${s}.ducklake_snapshot sn WHERE EXISTS (
         SELECT 1 FROM ${s}.ducklake_data_file f WHERE f.data_file_id = ANY($1::bigint[])
           AND sn.snapshot_id >= f.begin_snapshot AND sn.snapshot_id < f.end_snapshot)
       ORDER BY snapshot_id`,
      [ids],
    );
    result.expiredSnapshots = expired.rows.map((r) => Number(r.snapshot_id));
    if (result.expiredSnapshots.length) {
      for (const t of ["ducklake_snapshot", "ducklake_snapshot_changes"]) {
        await o.catalog.query(`DELETE FROM ${s}.${t} WHERE snapshot_id = ANY($1::bigint[])`, [
          result.expiredSnapshots,
        ]);
      }
    }
    for (const t of [
      "ducklake_file_column_stats",
      "ducklake_file_variant_stats",
      "ducklake_file_partition_value",
    ]) {
      await o.catalog.query(`DELETE FROM ${s}.${t} WHERE data_file_id = ANY($1::bigint[])`, [ids]);
    }
    await o.catalog.query(
      `DELETE FROM ${s}.ducklake_data_file WHERE data_file_id = ANY($1::bigint[]) AND end_snapshot IS NOT NULL`,
      [ids],
    );
    await o.catalog.query(
      `DELETE FROM ${s}.ducklake_files_scheduled_for_deletion WHERE data_file_id = ANY($1::bigint[])`,
      [ids],
    );
    await o.catalog.query("COMMIT");
    result.deletedFiles = due.rows.map((r) =>
      r.path_is_relative ? `${storage.dataPath}${String(r.path)}` : String(r.path),
    );
  } catch (err) {
    await o.catalog.query("ROLLBACK").catch(() => {});
    throw err;
  }
  o.failpoint?.("cleanup-after-commit");
  // After the commit: a crash here leaves unreferenced files, which deleteOrphanFiles removes.
  for (const f of result.deletedFiles) await storage.delete(storage.lakePathOf(f));
  return result;
}

/**
 * Parquet files in the bronze tables' folders that the catalog does not reference (neither as a data or delete
 * file nor scheduled for deletion): left by a flush or compaction that died before its commit. Only files older
 * than `olderThanMs` (default 0: call while holding the flusher lock, when no one else writes). Returns the
 * deleted paths.
 */
export async function deleteOrphanFiles(o: {
  catalog: pg.ClientBase;
  metaSchema: string;
  lakeSchema: string;
  dataPath: string;
  storage?: LakeStorage;
  olderThanMs?: number;
}): Promise<string[]> {
  const s = ident(o.metaSchema);
  const exists = await o.catalog.query("SELECT to_regclass($1) AS t", [`${s}.ducklake_data_file`]);
  if (!exists.rows[0].t) return [];
  // Under the writer lock (a session lock held for the sweep): a writer that registers its files later checks
  // they still exist first (assertFilesExist), and one that registered them earlier is seen here.
  await o.catalog.query("SELECT pg_advisory_lock(hashtext($1))", [`ducklake-writer:${o.metaSchema}`]);
  try {
    return await sweepOrphans(o, s);
  } finally {
    await o.catalog.query("SELECT pg_advisory_unlock(hashtext($1))", [`ducklake-writer:${o.metaSchema}`]);
  }
}

async function sweepOrphans(
  o: {
    catalog: pg.ClientBase;
    lakeSchema: string;
    dataPath: string;
    storage?: LakeStorage;
    olderThanMs?: number;
  },
  s: string,
): Promise<string[]> {
  const known = new Set<string>();
  const r = await o.catalog.query(
    `SELECT t.path || f.path AS p FROM ${s}.ducklake_data_file f JOIN ${s}.ducklake_table t USING (table_id) WHERE f.path_is_relative
     UNION ALL SELECT t.path || d.path FROM ${s}.ducklake_delete_file d JOIN ${s}.ducklake_table t USING (table_id) WHERE d.path_is_relative
     UNION ALL SELECT substr(path, length($1) + 2) FROM ${s}.ducklake_files_scheduled_for_deletion WHERE path_is_relative AND starts_with(path, $1 || '/')`,
    [o.lakeSchema],
  );
  for (const row of r.rows) known.add(String(row.p));
  const storage = o.storage ?? lakeStorage(o.dataPath);
  const deleted: string[] = [];
  const cutoff = Date.now() - (o.olderThanMs ?? 0);
  const prefix = `${o.lakeSchema}/`;
  for (const f of await storage.list(prefix)) {
    // Only <lake schema>/<table>/<file>.parquet, as the writers name them.
    const rel = f.path.slice(prefix.length);
    if (!f.path.endsWith(".parquet") || rel.split("/").length !== 2 || known.has(rel)) continue;
    if (f.mtimeMs > cutoff) continue;
    await storage.delete(f.path);
    deleted.push(`${storage.dataPath}${f.path}`);
  }
  return deleted;
}

/** Live data files per bronze table (for /metrics and `lake info`); {} without a catalog. */
export async function lakeFileCounts(
  catalog: pg.ClientBase,
  metaSchema: string,
): Promise<Record<string, number>> {
  const s = ident(metaSchema);
  const exists = await catalog.query("SELECT to_regclass($1) AS t", [`${s}.ducklake_data_file`]);
  if (!exists.rows[0].t) return {};
  const r = await catalog.query(
    `SELECT t.table_name, COUNT(f.data_file_id)::int AS n FROM ${s}.ducklake_table t
     LEFT JOIN ${s}.ducklake_data_file f ON f.table_id = t.table_id AND f.end_snapshot IS NULL
     WHERE t.end_snapshot IS NULL GROUP BY t.table_name`,
  );
  return Object.fromEntries(r.rows.map((x) => [String(x.table_name), Number(x.n)]));
}
