/**
 * Compaction without the extension: small adjacent files of a table merged into larger ones in ONE new snapshot.
 *
 * A compaction has the catalog effects of the extension's `ducklake_merge_adjacent_files` (duckdb/ducklake,
 * branch v1.5-variegata = spec 1.0: src/functions/ducklake_compaction_functions.cpp `GenerateCompactionCommand`,
 * src/storage/ducklake_transaction.cpp `GetCompactionChanges` / `WriteSnapshotChanges`,
 * src/storage/ducklake_metadata_manager.cpp `WriteMergeAdjacent`):
 * - the merged file carries each row's snapshot id in `_ducklake_internal_snapshot_id` (the source file's
 *   begin_snapshot, or the source's own column when it is partial itself), rows in row-id order; adjacent sources
 *   need no row-id column, the file takes the first source's `row_id_start`;
 * - its catalog row is back-dated: begin_snapshot = the first source's, partial_max = the highest source
 *   snapshot (a source's partial_max, else its begin_snapshot), so a reader at any older snapshot still finds
 *   it and keeps only the rows up to that snapshot — time travel needs the old files no longer;
 * - the sources' rows are DELETED (data file, file column / variant stats, delete files, partition values),
 *   not ended, and each source goes to `ducklake_files_scheduled_for_deletion` (path relative to data_path,
 *   schedule_start now());
 * - table stats and table column stats are left as they are (the rows and bounds do not change);
 * - `changes_made` `merge_adjacent:<table_id>` per table, schema_version and next_catalog_id unchanged,
 *   next_file_id advanced by the merged files.
 * `commit_extra_info` carries the latest flush state forward (operation "compact"), so readers of the watermark
 * see no change.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, type TableDef } from "@stellar-lake/schema";
import type pg from "pg";
import {
  assertTablesUnchanged,
  claimSnapshot,
  columnChanges,
  LakeConflictError,
  liveColumns,
  type PlannedColumn,
} from "./conflict";
import { carriedFlushStateInfo, latestFlushState, type Queryable } from "./flush-state";
import { lakeFileSelect } from "./reader";
import { type LakeStorage, lakeStorage, type PinnedFile } from "./storage";
import {
  assertWritten,
  DUCKLAKE_TYPE,
  insertFileColumnStats,
  type LakeTable,
  latestSnapshot,
  type WrittenFile,
  writeParquetFromQuery,
} from "./writer";

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
  /** Called at `compact-after-parquet` and `compact-after-commit` (crash tests kill the process there). */
  failpoint?: (name: string) => void | Promise<void>;
}

export interface CompactResult {
  snapshotId?: number;
  /** table → [live files before, after] for the tables that were compacted */
  tables: Record<string, { filesBefore: number; filesAfter: number; rows: number }>;
  /**
   * Tables left alone because another writer changed their columns (a merged file is written with the catalog's
   * columns, so it would lose theirs): table → what changed.
   */
  skipped?: Record<string, string>;
  seconds: number;
}

interface LiveFile {
  id: number;
  path: string;
  rowIdStart: number;
  recordCount: number;
  fileSize: number;
  /** When the file's rows (the oldest of them, for a partial file) were committed. */
  beginSnapshot?: number;
  /** A partial file (an earlier merge): the newest snapshot of its rows. */
  partialMax?: number | null;
}

interface Merge {
  table: TableDef;
  lake: LakeTable;
  /** The table's live columns when the merge was planned (checked again at the commit). */
  columns: PlannedColumn[];
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

/**
 * A table's merge candidates: live files without delete files (the extension's merge skips those too), and —
 * what this writer handles — unpartitioned, unencrypted, field-id mapped, with row ids. Partial files (earlier
 * merges) are candidates: their per-row snapshot ids carry over.
 */
async function liveFiles(client: pg.ClientBase, s: string, tableId: number): Promise<LiveFile[]> {
  const r = await client.query(
    `SELECT f.data_file_id, f.path, f.path_is_relative, f.row_id_start, f.record_count, f.file_size_bytes,
            f.begin_snapshot, f.partial_max
     FROM ${s}.ducklake_data_file f
     WHERE f.table_id = $1 AND f.end_snapshot IS NULL AND f.partition_id IS NULL AND f.encryption_key IS NULL
       AND f.mapping_id IS NULL AND f.row_id_start IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ${s}.ducklake_delete_file d WHERE d.data_file_id = f.data_file_id)`,
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
      beginSnapshot: Number(row.begin_snapshot),
      partialMax: row.partial_max === null ? null : Number(row.partial_max),
    }));
}

/**
 * The merged file's snapshot range, as the extension's `GetCompactionChanges` sets it: begin_snapshot of the
 * first source (row-id order; flushes give later rows later snapshots, so it is also the earliest), partial_max
 * the highest source snapshot (a source's partial_max, else its begin_snapshot) — set when more than one file
 * is merged, which a merge here always is.
 */
export function mergedSnapshots(sources: readonly LiveFile[]): { begin: number; partialMax: number | null } {
  const begin = Math.min(...sources.map((f) => f.beginSnapshot!));
  const partialMax =
    sources.length > 1 ? Math.max(...sources.map((f) => f.partialMax ?? f.beginSnapshot!)) : null;
  return { begin, partialMax };
}

/**
 * The extension's inlined deletes of rows in the merge's sources (`ducklake_inlined_delete_<table>`: file id,
 * position, snapshot) moved to the merged file: the same rows at their positions there (the sources' rows follow
 * one another in it), with their snapshots — so the deleted rows stay deleted from the snapshot that deleted
 * them on, and stay visible before it (the merged file serves older snapshots too). Runs in the commit.
 */
async function moveInlinedDeletes(
  client: pg.ClientBase,
  s: string,
  tableId: number,
  sources: readonly LiveFile[],
  mergedId: number,
): Promise<void> {
  const name = `${s}.${ident(`ducklake_inlined_delete_${tableId}`)}`;
  if (!(await client.query("SELECT to_regclass($1) AS t", [name])).rows[0].t) return;
  const offsets: number[] = [];
  let at = 0;
  for (const f of sources) {
    offsets.push(at);
    at += f.recordCount;
  }
  await client.query(
    `UPDATE ${name} d SET file_id = $1, row_id = d.row_id + u.off
     FROM unnest($2::bigint[], $3::bigint[]) AS u(src, off) WHERE d.file_id = u.src`,
    [mergedId, sources.map((f) => f.id), offsets],
  );
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
    // The merged file gets the catalog's columns: a table whose columns another writer changed is left alone.
    const columns = await liveColumns(o.catalog, s, lake.tableId);
    const byName = new Map(columns.map((c) => [c.name, c]));
    const expected = t.columns.map((c) => ({
      id: byName.get(c.name)?.id ?? -1,
      name: c.name,
      type: DUCKLAKE_TYPE[c.pg],
    }));
    const changed = [
      ...t.columns.filter((c) => !byName.has(c.name)).map((c) => `column ${c.name} is missing`),
      ...columnChanges(
        expected.filter((c) => c.id >= 0),
        columns,
      ),
    ];
    if (changed.length) {
      result.skipped ??= {};
      result.skipped[t.name] = `table '${t.name}' was changed by another writer: ${changed.join(", ")}`;
      continue;
    }
    const files = await liveFiles(o.catalog, s, lake.tableId);
    liveCount.set(t.name, files.length);
    for (const group of planMerges(files, plan)) merges.push({ table: t, lake, columns, sources: group });
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
      // The current columns with their ids: each source is mapped by field id (NULL for a column it predates),
      // so a merge across an added column writes the file under the latest schema, as the extension does.
      const columns = m.table.columns.map((c) => ({
        id: String(m.lake.columnIds.get(c.name)),
        name: c.name,
      }));
      const cols = m.table.columns.map((c) => ident(c.name)).join(", ");
      // Row-id order: the files in row_id_start order, each in its row order (read through the storage: for S3
      // a local cached copy), with each row's snapshot id for the merged file's _ducklake_internal_snapshot_id.
      const parts: string[] = [];
      // Pinned: a merge opens all its sources at once, so none may be evicted before the COPY reads it.
      for (const [i, f] of m.sources.entries()) {
        const local = await storage.pin(lakePathOf(o, m.table.name, f.path));
        pinned.push(local);
        const select = await lakeFileSelect(
          o.duck,
          m.table.name,
          columns,
          { path: local.path, deletePaths: [] },
          undefined,
          { rowNumberAs: "__row", snapshotId: { as: "__snapshot", fallback: f.beginSnapshot! } },
        );
        parts.push(`SELECT ${i} AS __file, * FROM (${select})`);
      }
      m.written = await writeParquetFromQuery(o.duck, {
        dataPath: stage ?? storage.dataPath,
        lakeSchema: o.lakeSchema,
        table: m.table,
        lake: m.lake,
        select: `SELECT ${cols}, __snapshot FROM (${parts.join(" UNION ALL ")}) ORDER BY __file, __row`,
        snapshotIdFrom: "__snapshot",
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
    await fp("compact-after-parquet");
    await o.catalog.query("BEGIN");
    try {
      await o.catalog.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
        `ducklake-writer:${o.metaSchema}`,
      ]);
      // The flush state to carry forward, read under the writer lock: a flush that committed while this merge
      // was written (or waited for the lock) is the newest state — carrying an older one would move the
      // watermark back behind ledgers that flush already deleted from hot.
      const flushState = await latestFlushState(o.catalog as unknown as Queryable, o.metaSchema);
      await assertWritten(
        merges.map((m) => m.written!),
        storage,
      );
      const snap = await latestSnapshot(o.catalog, s);
      const S = snap.id + 1;
      // The snapshot claimed first: what is read below is everything other writers committed before it.
      await claimSnapshot(
        o.catalog,
        s,
        { ...snap, id: S, nextFileId: snap.nextFileId + merges.length },
        "compaction",
      );
      await assertTablesUnchanged(
        o.catalog,
        s,
        [
          ...new Map(
            merges.map((m) => [
              m.lake.tableId,
              { tableId: m.lake.tableId, name: m.table.name, columns: m.columns },
            ]),
          ).values(),
        ],
        { what: "compaction" },
      );
      let fileId = snap.nextFileId;
      const tableIds = [...new Set(merges.map((m) => m.lake.tableId))].sort((a, b) => a - b);
      for (const m of merges) {
        const w = m.written!;
        const ids = m.sources.map((f) => f.id);
        // The sources' paths for the deletion schedule, read before their rows go; each must still be live
        // and unchanged (another writer could have merged or deleted from it meanwhile).
        const src = await o.catalog.query(
          `SELECT data_file_id, path FROM ${s}.ducklake_data_file
           WHERE data_file_id = ANY($1::bigint[]) AND end_snapshot IS NULL
             AND NOT EXISTS (SELECT 1 FROM ${s}.ducklake_delete_file d WHERE d.data_file_id = ducklake_data_file.data_file_id)
           FOR UPDATE`,
          [ids],
        );
        if (src.rows.length !== ids.length) {
          throw new LakeConflictError(
            `compaction of table '${m.table.name}': data files ${ids.join(",")} changed since they were read (another writer merged them or wrote a delete file for them); nothing committed`,
          );
        }
        // WriteMergeAdjacent: the sources leave the catalog entirely (with everything that hangs off them) …
        for (const t of [
          "ducklake_data_file",
          "ducklake_file_column_stats",
          "ducklake_delete_file",
          "ducklake_file_partition_value",
          "ducklake_file_variant_stats",
        ]) {
          await o.catalog.query(`DELETE FROM ${s}.${t} WHERE data_file_id = ANY($1::bigint[])`, [ids]);
        }
        // … and are scheduled for deletion, by their path relative to data_path (schema + table + file path).
        await o.catalog.query(
          `INSERT INTO ${s}.ducklake_files_scheduled_for_deletion
           SELECT id, $2 || p, true, now() FROM unnest($1::bigint[], $3::text[]) AS u(id, p)`,
          [
            src.rows.map((r) => r.data_file_id),
            `${o.lakeSchema}/${m.table.name}/`,
            src.rows.map((r) => r.path),
          ],
        );
        const id = fileId++;
        const span = mergedSnapshots(m.sources);
        await o.catalog.query(
          `INSERT INTO ${s}.ducklake_data_file VALUES ($1, $2, $3, NULL, NULL, $4, true, 'parquet', $5, $6, $7, $8, NULL, NULL, NULL, $9)`,
          [
            id,
            m.lake.tableId,
            span.begin,
            w.fileName,
            w.recordCount,
            w.fileSize,
            w.footerSize,
            m.sources[0]!.rowIdStart,
            span.partialMax,
          ],
        );
        await insertFileColumnStats(o.catalog, s, id, w);
        await moveInlinedDeletes(o.catalog, s, m.lake.tableId, m.sources, id);
        const before = liveCount.get(m.table.name) ?? 0;
        const r = result.tables[m.table.name] ?? { filesBefore: before, filesAfter: before, rows: 0 };
        result.tables[m.table.name] = r;
        r.filesAfter -= m.sources.length - 1;
        r.rows += w.recordCount;
      }
      // No table stats change: the extension's compaction commit writes none (same rows, same row ids, same
      // bounds; ducklake_table_stats.file_size_bytes keeps counting the replaced bytes, as it does there).
      const files = Object.values(result.tables);
      await o.catalog.query(
        `INSERT INTO ${s}.ducklake_snapshot_changes VALUES ($1, $2, 'stellar-lake', $3, $4)`,
        [
          S,
          tableIds.map((t) => `merge_adjacent:${t}`).join(","),
          `compact ${merges.length} merges: ${files.reduce((a, t) => a + t.filesBefore, 0)} → ${files.reduce((a, t) => a + t.filesAfter, 0)} files`,
          // The flush state carried forward: the newest snapshot still answers "what is in cold storage".
          flushState
            ? JSON.stringify(
                carriedFlushStateInfo(flushState, "compact", {
                  compacted: Object.fromEntries(
                    Object.entries(result.tables).map(([k, v]) => [k, [v.filesBefore, v.filesAfter]]),
                  ),
                }),
              )
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
  await fp("compact-after-commit");
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}
