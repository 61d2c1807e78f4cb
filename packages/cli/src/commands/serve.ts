import { parseArgs } from "node:util";
import { normalizeDataPath } from "@stellar-lake/lake";
import { API_NODE_OPTIONS, ApiConfigError, apiConfigFromEnv, startApi } from "@stellar-lake/query-api";
import { createLogger, shutdownSignal } from "@stellar-lake/runtime";
import { redactUrl } from "@stellar-lake/schema";
import { UsageError } from "../command";
import { resolveCatalogUrl, resolveDatabase } from "../local-postgres";

export const summary =
  "the query API over hot + cold (Fastify on :8092; /docs, /openapi.json, status page at /)";

const HELP = `usage: pnpm stellar-lake serve [--port 8092] [--host 0.0.0.0]

environment: DATABASE_URL (hot buffer; default: the embedded dev database), DUCKLAKE_CATALOG_URL (default: database
stellar_lake_catalog on the hot buffer's server), DUCKLAKE_DATA_PATH (default: the catalog's data_path; s3://… reads
through a local cache: the S3 settings of \`flush --help\`),
DUCKLAKE_METADATA_SCHEMA (bronze_meta), DUCKLAKE_SCHEMA (bronze), API_PORT (8092), API_HOST (else HOST, else 0.0.0.0), API_DEFAULT_LIMIT (100),
API_MAX_LIMIT (10000), API_KEYS (comma-separated; data routes then need X-API-Key), RATE_LIMIT_MAX (requests per
RATE_LIMIT_WINDOW per client on data routes; 0 = off), RATE_LIMIT_WINDOW ("1 minute"), CORS_ORIGINS (* or a list),
API_STATEMENT_TIMEOUT_MS (30000), API_HOT_POOL_SIZE (10), API_POOL_KEEP (hot and catalog connections opened at start and
kept open while idle; default API_HOT_POOL_SIZE), API_DUCKDB_CONNECTIONS (4), API_DUCKDB_MEMORY (512MB),
SOURCE_STATUS_URL (the ledger source's :8087, for the status page).
SIGINT/SIGTERM: stop accepting requests, finish the running ones, exit.
Run it with NODE_OPTIONS=${API_NODE_OPTIONS} (as the image and \`pnpm dev\` do): less time in GC under load.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.port !== undefined && !/^[0-9]+$/.test(values.port))
    throw new UsageError(`serve: --port must be a port number, got '${values.port}'`);
  const log = createLogger("query-api");
  const db = await resolveDatabase((l) => log.info(l));
  const catalogUrl = await resolveCatalogUrl(db.url);
  let config: ReturnType<typeof apiConfigFromEnv>;
  try {
    config = apiConfigFromEnv(
      {
        ...process.env,
        ...(values.port !== undefined ? { API_PORT: values.port } : {}),
        ...(values.host ? { API_HOST: values.host } : {}),
      },
      {
        databaseUrl: db.url,
        catalogUrl,
        ...(process.env.DUCKLAKE_DATA_PATH
          ? { dataPath: normalizeDataPath(process.env.DUCKLAKE_DATA_PATH) }
          : {}),
      },
    );
  } catch (err) {
    if (err instanceof ApiConfigError) throw new UsageError(`serve: ${err.message}`);
    throw err;
  }
  const signal = shutdownSignal((sig) => log.warn({ signal: sig }, "stopping"));
  const api = await startApi(config, log);
  log.info(
    {
      port: api.port,
      hot: redactUrl(config.databaseUrl),
      catalog: config.catalogUrl ? redactUrl(config.catalogUrl) : null,
      auth: config.apiKeys.length > 0,
      rate_limit: config.rateLimitMax || null,
    },
    `query API on http://127.0.0.1:${api.port} (docs: /docs, status page: /)`,
  );
  await new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true }));
  await api.close();
  if (db.started) await db.stop();
  log.flush();
  return 0;
}
