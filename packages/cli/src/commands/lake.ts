import { parseArgs } from "node:util";
import { redactUrl } from "@stellar-lake/schema";
import pg from "pg";

export const summary = "inspect the DuckLake bronze catalog: lake info (snapshots, files, rows per table)";

const HELP = `usage: pnpm stellar-lake lake info

  info   the latest snapshots with their flush state, and files / rows / bytes per bronze table

environment: DUCKLAKE_CATALOG_URL (PostgreSQL), DUCKLAKE_METADATA_SCHEMA (default bronze_meta).
(lake compact is not implemented yet.)`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help || positionals[0] !== "info") {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const url = process.env.DUCKLAKE_CATALOG_URL;
  if (!url) {
    console.error("lake info: set DUCKLAKE_CATALOG_URL (the catalog's PostgreSQL URL)");
    return 2;
  }
  const schema = `"${(process.env.DUCKLAKE_METADATA_SCHEMA ?? "bronze_meta").replaceAll('"', '""')}"`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const exists = await c.query("SELECT to_regclass($1) AS t", [`${schema}.ducklake_snapshot`]);
    if (!exists.rows[0].t) {
      console.log(`no DuckLake catalog in ${schema} at ${redactUrl(url)}`);
      return 0;
    }
    const snaps = await c.query(
      `SELECT s.snapshot_id, s.snapshot_time, s.schema_version, c.changes_made, c.commit_extra_info
       FROM ${schema}.ducklake_snapshot s JOIN ${schema}.ducklake_snapshot_changes c USING (snapshot_id)
       ORDER BY s.snapshot_id DESC LIMIT 10`,
    );
    console.log(`catalog ${redactUrl(url)} (${schema}); latest snapshots:`);
    for (const r of snaps.rows) {
      const changes = String(r.changes_made ?? "");
      console.log(
        `  ${String(r.snapshot_id).padStart(6)}  ${new Date(r.snapshot_time).toISOString()}  schema v${r.schema_version}  ${r.commit_extra_info ?? (changes.length > 60 ? `${changes.slice(0, 57)}...` : changes)}`,
      );
    }
    const tables = await c.query(
      `SELECT t.table_name, COUNT(f.data_file_id)::int AS files, COALESCE(SUM(f.record_count), 0)::bigint AS rows,
              COALESCE(SUM(f.file_size_bytes), 0)::bigint AS bytes
       FROM ${schema}.ducklake_table t
       LEFT JOIN ${schema}.ducklake_data_file f ON f.table_id = t.table_id AND f.end_snapshot IS NULL
       WHERE t.end_snapshot IS NULL GROUP BY t.table_name ORDER BY t.table_name`,
    );
    console.log("tables:");
    for (const r of tables.rows) {
      console.log(
        `  ${String(r.table_name).padEnd(32)} ${String(r.files).padStart(6)} files ${String(r.rows).padStart(12)} rows ${String(r.bytes).padStart(14)} bytes`,
      );
    }
    return 0;
  } finally {
    await c.end();
  }
}
