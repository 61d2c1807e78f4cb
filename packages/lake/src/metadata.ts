/**
 * Queries over the catalog's `ducklake_*` tables that the services and commands ask (the role of the extension's
 * metadata manager for them): does a catalog exist, its data path, live files / rows / bytes per table, recent
 * snapshots, files awaiting cleanup, the snapshots' commit extra info. The library's own writes and the reader's
 * file listing keep their statements next to the code that depends on their exact shape.
 */
import { ident } from "@stellar-lake/schema/ident";

/** Anything with pg's `query` (pg.Client, pg.PoolClient, pg.Pool). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Whether `metaSchema` holds a DuckLake catalog (its `table`, default `ducklake_snapshot`, exists). */
export async function catalogExists(
  client: Queryable,
  metaSchema: string,
  table = "ducklake_snapshot",
): Promise<boolean> {
  const r = await client.query("SELECT to_regclass($1) AS t", [`${ident(metaSchema)}.${table}`]);
  return Boolean(r.rows[0]?.t);
}

/** The catalog's `data_path` (ducklake_metadata, global scope); "" when unset. */
export async function catalogDataPath(client: Queryable, metaSchema: string): Promise<string> {
  const r = await client.query(
    `SELECT value FROM ${ident(metaSchema)}.ducklake_metadata WHERE key = 'data_path' AND scope IS NULL`,
  );
  return String(r.rows[0]?.value ?? "");
}

export interface LiveTableFiles {
  table: string;
  files: number;
  rows: number;
  bytes: number;
}

/** Live data files, rows and bytes per live table, by table name (an error without a catalog). */
export async function liveTableFiles(client: Queryable, metaSchema: string): Promise<LiveTableFiles[]> {
  const s = ident(metaSchema);
  const r = await client.query(
    `SELECT t.table_name, COUNT(f.data_file_id)::int AS files, COALESCE(SUM(f.record_count), 0)::bigint AS rows,
            COALESCE(SUM(f.file_size_bytes), 0)::bigint AS bytes
     FROM ${s}.ducklake_table t
     LEFT JOIN ${s}.ducklake_data_file f ON f.table_id = t.table_id AND f.end_snapshot IS NULL
     WHERE t.end_snapshot IS NULL GROUP BY t.table_name ORDER BY t.table_name`,
  );
  return r.rows.map((x) => ({
    table: String(x.table_name),
    files: Number(x.files),
    rows: Number(x.rows),
    bytes: Number(x.bytes),
  }));
}

/** Live data files per bronze table (for /metrics and `lake info`); {} without a catalog. */
export async function lakeFileCounts(client: Queryable, metaSchema: string): Promise<Record<string, number>> {
  if (!(await catalogExists(client, metaSchema, "ducklake_data_file"))) return {};
  return Object.fromEntries((await liveTableFiles(client, metaSchema)).map((t) => [t.table, t.files]));
}

export interface SnapshotSummary {
  snapshotId: number;
  snapshotTime: Date;
  schemaVersion: number;
  changesMade: string;
  commitExtraInfo: string | null;
}

/** The newest `limit` snapshots with their changes. */
export async function recentSnapshots(
  client: Queryable,
  metaSchema: string,
  limit: number,
): Promise<SnapshotSummary[]> {
  const s = ident(metaSchema);
  const r = await client.query(
    `SELECT s.snapshot_id, s.snapshot_time, s.schema_version, c.changes_made, c.commit_extra_info
     FROM ${s}.ducklake_snapshot s JOIN ${s}.ducklake_snapshot_changes c USING (snapshot_id)
     ORDER BY s.snapshot_id DESC LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => ({
    snapshotId: Number(x.snapshot_id),
    snapshotTime: new Date(x.snapshot_time as string | Date),
    schemaVersion: Number(x.schema_version),
    changesMade: String(x.changes_made ?? ""),
    commitExtraInfo: x.commit_extra_info === null ? null : String(x.commit_extra_info),
  }));
}

/** Files compaction or expiry scheduled for deletion, awaiting cleanup. */
export async function scheduledFileCount(client: Queryable, metaSchema: string): Promise<number> {
  const r = await client.query(
    `SELECT COUNT(*)::int AS n FROM ${ident(metaSchema)}.ducklake_files_scheduled_for_deletion`,
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** A page of snapshots with commit extra info, newest first, below snapshot id `$1`. */
export function commitInfoPageSql(metaSchema: string, page: number): string {
  const s = ident(metaSchema);
  return `SELECT c.snapshot_id, s.snapshot_time, c.commit_extra_info FROM ${s}.ducklake_snapshot_changes c
       LEFT JOIN ${s}.ducklake_snapshot s USING (snapshot_id)
       WHERE c.commit_extra_info IS NOT NULL AND c.snapshot_id < $1 ORDER BY c.snapshot_id DESC LIMIT ${page}`;
}

/**
 * The latest snapshot id and the commit extra info of the newest `recent` snapshots carrying one, in one row
 * (`snapshot`, `infos`): what a reader needs to fix its snapshot and watermark in one round trip.
 */
export function latestSnapshotAndInfosSql(table: (name: string) => string, recent: number): string {
  return `SELECT (SELECT max(snapshot_id) FROM ${table("ducklake_snapshot")}) AS snapshot,
                ARRAY(SELECT commit_extra_info FROM ${table("ducklake_snapshot_changes")}
                  WHERE commit_extra_info IS NOT NULL ORDER BY snapshot_id DESC LIMIT ${recent}) AS infos`;
}
