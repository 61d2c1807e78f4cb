/**
 * Cleanup is the extension's `ducklake_cleanup_old_files`: files scheduled for deletion longer ago than
 * `olderThanMs` are deleted (compaction and expiry schedule them).
 */
import { ident } from "@stellar-lake/schema";
import type pg from "pg";
import { type LakeStorage, lakeStorage } from "./storage";

export interface CleanupResult {
  /** Locations (data path + lake path) of the files deleted. */
  deletedFiles: string[];
  /** Snapshots expired because they could still see a deleted file (only catalogs compacted the old way). */
  expiredSnapshots: number[];
}

/**
 * The extension's `ducklake_cleanup_old_files` (src/functions/ducklake_cleanup_files.cpp, `RemoveFilesScheduled
 * ForCleanup`): the files scheduled for deletion at least `olderThanMs` ago are deleted and their schedule rows
 * removed. A merge or an expiry has already taken their catalog rows, so no snapshot reads them any more.
 *
 * Unlike the extension (files first, then the rows), the rows go first, in one transaction, and the files after
 * the commit: a crash in between leaves unreferenced files, which the orphan sweep removes, never a schedule row
 * for a file that is gone. Files that an earlier version of this project compacted by ending them still have a
 * data-file row: those keep the old rule — the snapshots that could see them are expired with them (a reader
 * asking for one gets "no snapshot N", not partial data).
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
    // A scheduled file whose data-file row is still live is never deleted (cannot happen through the
    // extension or this writer; a guard against a hand-edited catalog).
    const due = await o.catalog.query(
      `SELECT sd.data_file_id, sd.path, sd.path_is_relative, f.data_file_id IS NOT NULL AS ended_row
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
    const ended = due.rows.filter((r) => r.ended_row).map((r) => Number(r.data_file_id));
    if (ended.length) {
      const expired = await o.catalog.query(
        `SELECT snapshot_id FROM ${s}.ducklake_snapshot sn WHERE EXISTS (
           SELECT 1 FROM ${s}.ducklake_data_file f WHERE f.data_file_id = ANY($1::bigint[])
             AND sn.snapshot_id >= f.begin_snapshot AND sn.snapshot_id < f.end_snapshot)
         ORDER BY snapshot_id`,
        [ended],
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
        await o.catalog.query(`DELETE FROM ${s}.${t} WHERE data_file_id = ANY($1::bigint[])`, [ended]);
      }
      await o.catalog.query(
        `DELETE FROM ${s}.ducklake_data_file WHERE data_file_id = ANY($1::bigint[]) AND end_snapshot IS NOT NULL`,
        [ended],
      );
    }
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
