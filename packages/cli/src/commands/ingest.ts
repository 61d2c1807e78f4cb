import { fileURLToPath } from "node:url";
import {
  ConfigError,
  createTransformer,
  INGEST_HELP,
  parseIngesterConfig,
  runIngesterService,
  TransformPool,
} from "@stellar-lake/ingester";
import { streamLedgers } from "@stellar-lake/ledger-source";
import { migrationStatus } from "@stellar-lake/schema";
import { resolveDatabase } from "../local-postgres";

export const summary = "stream ledgers from a RawLedgerService source into the hot buffer (exactly once)";

const PIPELINE_VERSION = "stellar-lake/0.1.0";

export async function run(argv: string[]): Promise<number> {
  let cfg: ReturnType<typeof parseIngesterConfig>;
  try {
    cfg = parseIngesterConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`ingest: ${(err as Error).message}\n\n${INGEST_HELP}`);
      return 2;
    }
    throw err;
  }
  if (cfg === "help") {
    console.log(INGEST_HELP);
    return 0;
  }
  const db = await resolveDatabase((l) => console.error(l));
  const status = await migrationStatus(db.url);
  if (status.pending.length) {
    console.error(
      `ingest: the hot buffer has pending migrations (${status.pending.join(", ")}): run 'pnpm stellar-lake migrate up'`,
    );
    return 1;
  }
  const conf = cfg;
  const pool =
    conf.workers > 0
      ? new TransformPool({
          module: fileURLToPath(import.meta.resolve("@stellar-lake/ingester/hot-transformer")),
          config: {
            passphrase: conf.passphrase,
            copy: { eraId: conf.eraId, versionLabel: conf.versionLabel },
          },
          size: conf.workers,
        })
      : undefined;
  const inline = createTransformer({ passphrase: conf.passphrase });
  try {
    const summary = await runIngesterService(conf, {
      databaseUrl: db.url,
      pipelineVersion: PIPELINE_VERSION,
      source: (start, signal) =>
        streamLedgers({
          endpoint: conf.source,
          startLedger: start,
          signal,
          tls: conf.sourceTls,
          ...(conf.sourceAuthHeader ? { metadata: { authorization: conf.sourceAuthHeader } } : {}),
        }),
      transform: pool ? (raw) => pool.transform(raw) : inline,
    });
    if (conf.end !== undefined && summary.stoppedBy === "end") {
      console.log(
        `ingested ledgers ${summary.firstLedger ?? "-"}..${summary.lastLedger ?? "-"}: ${summary.ledgers} ledgers, ${summary.rows} rows in ${summary.seconds.toFixed(1)}s`,
      );
    }
    return 0;
  } catch (err) {
    console.error(`ingest: ${(err as Error).message}`);
    return 1;
  } finally {
    await pool?.close();
    if (db.started) await db.stop();
  }
}
