/** The API's settings, from the environment the other services share (plus the API's own knobs). */
import { type LakeStorage, lakeStorage } from "@stellar-lake/lake";

export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /** Absent: the API serves the hot buffer alone (no cold storage configured). */
  catalogUrl?: string;
  metaSchema: string;
  lakeSchema: string;
  dataPath?: string;
  /** The storage of an s3:// data path, with the S3 settings of the same environment (kept out of the config's fields: secrets). */
  storageFor: (dataPath: string) => LakeStorage;
  defaultLimit: number;
  maxLimit: number;
  /** Accepted API keys (`API_KEYS`, comma-separated); empty: data routes are open. */
  apiKeys: string[];
  /** Requests per client per `rateLimitWindow` on data routes; 0: no rate limit. */
  rateLimitMax: number;
  rateLimitWindow: string;
  /** `CORS_ORIGINS`: `*` or a comma-separated origin list; empty: CORS disabled. */
  corsOrigins: string[];
  statementTimeoutMs: number;
  /** The ledger source's HTTP status URL, for the status page's tip/lag. */
  sourceStatusUrl?: string;
  hotPoolSize: number;
  /** Hot and catalog connections opened at start and kept open while idle (`API_POOL_KEEP`; capped by each pool's size). */
  poolKeep: number;
  duckConnections: number;
  duckMemoryLimit: string;
  /** Server-Sent Event streams open at once (`API_STREAM_MAX`); more are refused with 503. */
  streamMax: number;
  /** How often an idle stream looks for new rows (`API_STREAM_POLL_MS`). */
  streamPollMs: number;
  /** A comment line on an idle stream this often (`API_STREAM_HEARTBEAT_MS`), so proxies keep it open. */
  streamHeartbeatMs: number;
}

export class ApiConfigError extends Error {
  override readonly name = "ApiConfigError";
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return dflt;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min)
    throw new ApiConfigError(`${name} must be an integer ≥ ${min}, got '${raw}'`);
  return Number(raw);
}

const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export function apiConfigFromEnv(
  env: NodeJS.ProcessEnv,
  defaults: { databaseUrl?: string; catalogUrl?: string; dataPath?: string; port?: number } = {},
): ApiConfig {
  const databaseUrl = env.DATABASE_URL || defaults.databaseUrl;
  if (!databaseUrl) throw new ApiConfigError("DATABASE_URL is not set (the hot buffer's PostgreSQL URL)");
  const defaultLimit = int(env, "API_DEFAULT_LIMIT", 100, 1);
  const maxLimit = int(env, "API_MAX_LIMIT", 10_000, 1);
  if (defaultLimit > maxLimit)
    throw new ApiConfigError(`API_DEFAULT_LIMIT (${defaultLimit}) exceeds API_MAX_LIMIT (${maxLimit})`);
  const hotPoolSize = int(env, "API_HOT_POOL_SIZE", 10, 1);
  const catalogUrl = env.DUCKLAKE_CATALOG_URL || defaults.catalogUrl;
  const dataPath = env.DUCKLAKE_DATA_PATH || defaults.dataPath;
  return {
    port: int(env, "API_PORT", defaults.port ?? 8092, 0),
    host: env.API_HOST || env.HOST || "0.0.0.0",
    databaseUrl,
    ...(catalogUrl ? { catalogUrl } : {}),
    metaSchema: env.DUCKLAKE_METADATA_SCHEMA || "bronze_meta",
    lakeSchema: env.DUCKLAKE_SCHEMA || "bronze",
    ...(dataPath ? { dataPath } : {}),
    storageFor: (p) => lakeStorage(p, env),
    defaultLimit,
    maxLimit,
    apiKeys: list(env.API_KEYS),
    rateLimitMax: int(env, "RATE_LIMIT_MAX", 0, 0),
    rateLimitWindow: env.RATE_LIMIT_WINDOW || "1 minute",
    corsOrigins: list(env.CORS_ORIGINS),
    statementTimeoutMs: int(env, "API_STATEMENT_TIMEOUT_MS", 30_000, 1),
    ...(env.SOURCE_STATUS_URL ? { sourceStatusUrl: env.SOURCE_STATUS_URL } : {}),
    hotPoolSize,
    poolKeep: int(env, "API_POOL_KEEP", hotPoolSize, 0),
    duckConnections: int(env, "API_DUCKDB_CONNECTIONS", 4, 1),
    duckMemoryLimit: env.API_DUCKDB_MEMORY || "512MB",
    streamMax: int(env, "API_STREAM_MAX", 200, 0),
    streamPollMs: int(env, "API_STREAM_POLL_MS", 1_000, 10),
    streamHeartbeatMs: int(env, "API_STREAM_HEARTBEAT_MS", 15_000, 10),
  };
}
