/**
 * Expiry is the extension's `ducklake_expire_snapshots`: old snapshots deleted (never the latest), files that no
 * remaining snapshot can see dropped from the catalog and scheduled for deletion.
 */
import { ident } from "@stellar-lake/schema";
import type pg from "pg";

export interface ExpireResult {
  expiredSnapshots: number[];
  /** Data and delete files no remaining snapshot can see: dropped from the catalog, scheduled for deletion. */
  scheduledFiles: number;
}

/**
 * The extension's `ducklake_expire_snapshots` (src/functions/ducklake_expire_snapshots.cpp; the catalog part is
 * `DuckLakeMetadataManager::DeleteSnapshots`): the snapshots taken more than `olderThanMs` ago (or the listed
 * `versions`) are deleted with their changes rows — never the latest one — and every ended data or delete file
 * that no remaining snapshot can see loses its catalog rows and is scheduled for deletion (removed later by
 * `cleanupOldFiles`). A reader asking for an expired snapshot gets "no snapshot N". Ended tables, schemas and
 * views are not handled (this writer never ends them).
 */
export async function expireSnapshots(o: {
  catalog: pg.ClientBase;
  metaSchema: string;
  olderThanMs?: number;
  versions?: readonly number[];
}): Promise<ExpireResult> {
  if ((o.olderThanMs === undefined) === (o.versions === undefined)) {
    throw new Error("expireSnapshots: give either olderThanMs or versions");
  }
  const s = ident(o.metaSchema);
  await o.catalog.query("BEGIN");
  try {
    await o.catalog.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-writer:${o.metaSchema}`]);
    const picked = await o.catalog.query(
      `SELECT snapshot_id FROM ${s}.ducklake_snapshot
       WHERE snapshot_id <> (SELECT max(snapshot_id) FROM ${s}.ducklake_snapshot)
         AND ${o.versions ? "snapshot_id = ANY($1::bigint[])" : "snapshot_time < now() - make_interval(secs => $1::double precision / 1000)"}
       ORDER BY snapshot_id`,
      [o.versions ?? o.olderThanMs],
    );
    const expired = picked.rows.map((r) => Number(r.snapshot_id));
    let scheduled = 0;
    if (expired.length) {
      for (const t of ["ducklake_snapshot", "ducklake_snapshot_changes"]) {
        await o.catalog.query(`DELETE FROM ${s}.${t} WHERE snapshot_id = ANY($1::bigint[])`, [expired]);
      }
      const unseen = (t: string) => `${t}.end_snapshot IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM ${s}.ducklake_snapshot sn WHERE sn.snapshot_id >= ${t}.begin_snapshot AND sn.snapshot_id < ${t}.end_snapshot)`;
      // The path as the schedule keeps it: relative to data_path (schema + table + file path) when all three
      // are relative, else the absolute one the first absolute part starts.
      const rel = (t: string) =>
        `CASE WHEN NOT ${t}.path_is_relative THEN ${t}.path WHEN NOT tb.path_is_relative THEN tb.path || ${t}.path
              ELSE sc.path || tb.path || ${t}.path END`;
      const relative = (t: string) =>
        `(${t}.path_is_relative AND tb.path_is_relative AND sc.path_is_relative)`;
      const files = await o.catalog.query(
        `SELECT f.data_file_id AS id, ${rel("f")} AS path, ${relative("f")} AS relative FROM ${s}.ducklake_data_file f
           JOIN ${s}.ducklake_table tb USING (table_id) JOIN ${s}.ducklake_schema sc ON sc.schema_id = tb.schema_id
         WHERE ${unseen("f")}`,
      );
      const dels = await o.catalog.query(
        `SELECT d.delete_file_id AS id, ${rel("d")} AS path, ${relative("d")} AS relative FROM ${s}.ducklake_delete_file d
           JOIN ${s}.ducklake_table tb USING (table_id) JOIN ${s}.ducklake_schema sc ON sc.schema_id = tb.schema_id
         WHERE ${unseen("d")} OR d.data_file_id = ANY($1::bigint[])`,
        [files.rows.map((r) => r.id)],
      );
      const fileIds = files.rows.map((r) => r.id);
      if (fileIds.length) {
        for (const t of [
          "ducklake_data_file",
          "ducklake_file_column_stats",
          "ducklake_file_variant_stats",
          "ducklake_file_partition_value",
        ]) {
          await o.catalog.query(`DELETE FROM ${s}.${t} WHERE data_file_id = ANY($1::bigint[])`, [fileIds]);
        }
      }
      if (dels.rows.length) {
        await o.catalog.query(
          `DELETE FROM ${s}.ducklake_delete_file WHERE delete_file_id = ANY($1::bigint[])`,
          [dels.rows.map((r) => r.id)],
        );
      }
      const all = [...files.rows, ...dels.rows];
      if (all.length) {
        // (A file this project's earlier compactions ended is already scheduled: not twice.)
        await o.catalog.query(
          `INSERT INTO ${s}.ducklake_files_scheduled_for_deletion
           SELECT id, p, rel, now() FROM unnest($1::bigint[], $2::text[], $3::boolean[]) AS u(id, p, rel)
           WHERE NOT EXISTS (SELECT 1 FROM ${s}.ducklake_files_scheduled_for_deletion sd WHERE sd.data_file_id = u.id)`,
          [all.map((r) => r.id), all.map((r) => r.path), all.map((r) => r.relative)],
        );
      }
      scheduled = all.length;
    }
    await o.catalog.query("COMMIT");
    return { expiredSnapshots: expired, scheduledFiles: scheduled };
  } catch (err) {
    await o.catalog.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
