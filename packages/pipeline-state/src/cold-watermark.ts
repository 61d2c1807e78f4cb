/**
 * The cold watermark W from the DuckLake catalog (the flush-state contract, parsed by `@stellar-lake/lake`'s
 * one parser). No catalog database or catalog yet → undefined. The query API reads the same contract through
 * the lake's `latestSnapshotAndInfosSql` + `parseFlushState` (in its per-request snapshot read).
 */
import { latestFlushState } from "@stellar-lake/lake/flush-state";
import pg from "pg";

export interface ColdState {
  /** Highest ledger sequence in cold storage. */
  watermark: number;
  /** Hash of ledger `watermark`, when the flush state records it (for the chain check on resume). */
  watermarkHash?: string;
}

/** The cold state of the catalog at `catalogUrl` in `metadataSchema` (DUCKLAKE_METADATA_SCHEMA; no default). */
export async function readColdState(
  catalogUrl: string,
  metadataSchema: string,
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
