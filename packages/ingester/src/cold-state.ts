/**
 * The cold watermark W from the DuckLake catalog (the flusher's flush-state contract, parsed by its shared
 * module). No catalog database or catalog yet → undefined.
 */
import { latestFlushState } from "@stellar-lake/lake/flush-state";
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
    const st = await latestFlushState(client, metadataSchema);
    if (!st) return undefined;
    return { watermark: st.watermark, ...(st.watermarkHash ? { watermarkHash: st.watermarkHash } : {}) };
  } finally {
    await client.end().catch(() => {});
  }
}
