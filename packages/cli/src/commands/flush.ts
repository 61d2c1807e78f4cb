import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, FLUSH_HELP, parseFlusherConfig, runFlusherService } from "@stellar-lake/flusher";
import { lakeStorage, normalizeDataPath } from "@stellar-lake/lake";
import { resolveCatalogUrl, resolveDatabase } from "../local-postgres";

export const summary =
  "flush closed ledgers from the hot buffer to DuckLake bronze (every FLUSH_INTERVAL, or --once)";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export async function run(argv: string[]): Promise<number> {
  let cfg: ReturnType<typeof parseFlusherConfig>;
  try {
    cfg = parseFlusherConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`flush: ${err.message}\n\n${FLUSH_HELP}`);
      return 2;
    }
    throw err;
  }
  if (cfg === "help") {
    console.log(FLUSH_HELP);
    return 0;
  }
  const db = await resolveDatabase((l) => console.error(l));
  try {
    const catalogUrl = cfg.catalogUrl ?? (await resolveCatalogUrl(db.url));
    const dataPath = normalizeDataPath(cfg.dataPath ?? join(repoRoot, ".data", "lake"));
    if (!lakeStorage(dataPath).remote) await mkdir(dataPath, { recursive: true });
    return await runFlusherService(cfg, { databaseUrl: db.url, catalogUrl, dataPath });
  } finally {
    if (db.started) await db.stop();
  }
}
