/**
 * The cold watermark W from the DuckLake catalog: the newest snapshot this project wrote carries the
 * flush-state JSON in `ducklake_snapshot_changes.commit_extra_info` (at least `watermark`, the highest ledger
 * in cold storage). No catalog yet → undefined.
 */
import pg from "pg";
import type { ColdState } from "./recovery";

export async function readColdState(
  catalogUrl: string,
  metadataSchema = "bronze_meta",
): Promise<ColdState | undefined> {
  const client = new pg.Client({ connectionString: catalogUrl });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "3D000") return undefined; // the catalog database does not exist yet
    throw err;
  }
  try {
    const schema = `"${metadataSchema.replaceAll('"', '""')}"`;
    const exists = await client.query("SELECT to_regclass($1) AS t", [`${schema}.ducklake_snapshot_changes`]);
    if (!exists.rows[0].t) return undefined;
    const r = await client.query(
      `SELECT commit_extra_info FROM ${schema}.ducklake_snapshot_changes
       WHERE commit_extra_info IS NOT NULL ORDER BY snapshot_id DESC LIMIT 20`,
    );
    for (const row of r.rows) {
      let info: Record<string, unknown>;
      try {
        info = JSON.parse(row.commit_extra_info);
      } catch {
        continue;
      }
      const w = info.watermark ?? (info.flush_state as Record<string, unknown> | undefined)?.watermark;
      if (w !== undefined && w !== null) {
        const hash = info.watermark_hash ?? info.watermarkHash;
        return { watermark: Number(w), ...(typeof hash === "string" ? { watermarkHash: hash } : {}) };
      }
    }
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}
