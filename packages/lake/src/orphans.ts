/**
 * The orphan sweep: Parquet files written by a flush or compaction that crashed before its commit.
 */
import { ident } from "@stellar-lake/schema";
import type pg from "pg";
import { type LakeStorage, lakeStorage } from "./storage";

/**
 * Parquet files in the bronze tables' folders that the catalog does not reference (neither as a data or delete
 * file nor scheduled for deletion): left by a flush or compaction that died before its commit. Only files older
 * than `olderThanMs` (default 0: call while holding the flusher lock, when no one else writes). Returns the
 * deleted paths.
 */
/** How long an unregistered backfill file is left alone by any orphan sweep (6 hours, as `lake compact`'s). */
export const BACKFILL_ORPHAN_GRACE_MS = 6 * 3600_000;

/**
 * How old a file another writer put in a bronze folder must be before the orphan sweep removes it: a file the
 * ducklake extension is writing has no catalog row until its transaction commits, and deleting it would lose that
 * commit's rows. This project's own files (`ducklake-<random uuid v4>.parquet`) are swept without it; the
 * extension names its files with uuid v7 (and `-delete` for delete files).
 */
export const FOREIGN_ORPHAN_GRACE_MS = 6 * 60 * 60 * 1000;
const OWN_FILE = /^ducklake-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.parquet$/;

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
    // Backfill workers write while the flusher runs and register later, from other processes: their files
    // (`ducklake-backfill-…`, `ducklake-repair-…`) get the hand-run grace whatever the caller's. Another
    // writer's file (not named as this project names its files) may belong to a commit in flight.
    const name = rel.split("/")[1]!;
    const backfill = /^ducklake-(backfill|repair)-/.test(name);
    const grace = backfill ? BACKFILL_ORPHAN_GRACE_MS : OWN_FILE.test(name) ? 0 : FOREIGN_ORPHAN_GRACE_MS;
    if (f.mtimeMs > Math.min(cutoff, Date.now() - grace)) continue;
    await storage.delete(f.path);
    deleted.push(`${storage.dataPath}${f.path}`);
  }
  return deleted;
}
