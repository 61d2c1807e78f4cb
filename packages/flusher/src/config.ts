/**
 * The flusher's typed configuration: flags override environment variables, which override defaults. Every
 * number is parsed strictly; a bad value is a ConfigError naming the variable (or flag) and the value — never a
 * NaN that silently turns a schedule off.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseDuration } from "@stellar-lake/runtime";

export interface FlusherConfig {
  once: boolean;
  intervalMs: number;
  minAgeMs: number;
  healthPort: number;
  /** Hot buffer (undefined: the caller resolves its default, the embedded dev database). */
  databaseUrl: string | undefined;
  /** DuckLake catalog (undefined: the caller's default, stellar_lake_catalog on the hot buffer's server). */
  catalogUrl: string | undefined;
  /** DUCKLAKE_DATA_PATH as given (undefined: the caller's default). */
  dataPath: string | undefined;
  metaSchema: string;
  lakeSchema: string;
  vacuumEvery: number;
  compactEvery: number;
  retentionMs: number;
  targetFileBytes: number;
  exportConnections: number;
  duckdbMemory: string;
  /** At most this many ledgers per flush (undefined: all that are ready). */
  maxLedgers: number | undefined;
  /** The directory the flusher owns for a flush's temporary files (swept on start). */
  tempDir: string | undefined;
  /** /health is unhealthy after this many consecutive failed flushes. */
  unhealthyAfter: number;
}

export const FLUSH_HELP = `usage: pnpm stellar-lake flush [--once] [--interval 10m] [--min-age 5m]

  --once          one flush, then exit
  --interval D    time between flushes [FLUSH_INTERVAL] (default 10m; e.g. 30s, 10m)
  --min-age D     only ledgers ingested at least this long ago [FLUSH_MIN_AGE] (default 0; e.g. 30s, 10m)
  --health-port N /health and /metrics [FLUSHER_HEALTH_PORT] (default 8089)

environment: DATABASE_URL (hot buffer; default: the embedded dev database), DUCKLAKE_CATALOG_URL (PostgreSQL;
default: database stellar_lake_catalog on the hot buffer's server), DUCKLAKE_DATA_PATH (local directory, default
.data/lake/, or s3://bucket/prefix/ with AWS_ENDPOINT_URL or DUCKLAKE_S3_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, DUCKLAKE_S3_PATH_STYLE, DUCKLAKE_CACHE_DIR, DUCKLAKE_CACHE_MB), DUCKLAKE_METADATA_SCHEMA (default bronze_meta), DUCKLAKE_SCHEMA (default bronze), FLUSH_VACUUM_EVERY (VACUUM ANALYZE the hot tables every N flushes; default 10, 0 = never),
FLUSH_COMPACT_EVERY (compact the bronze tables every N flushes; default 12, 0 = never), COMPACT_RETENTION (delete the
files compaction replaced after this long, expiring the snapshots that saw them; default 24h), COMPACT_TARGET_SIZE
(merged file size, bytes or 64MB; default 128MB), FLUSH_EXPORT_CONNECTIONS (hot connections exporting tables in parallel
in one snapshot; default 2), FLUSH_DUCKDB_MEMORY (DuckDB memory limit; default 512MB), FLUSH_MAX_LEDGERS (at most
this many ledgers per flush; default all that are ready), FLUSH_TEMP_DIR (the flusher's own directory for a flush's
CSV exports, swept on start; default <tmp>/stellar-lake-flusher-<hot buffer + catalog schema>),
FLUSH_UNHEALTHY_AFTER (/health answers 503 after this many consecutive failed flushes; default 3).
SIGINT/SIGTERM: finish the running flush, do a final one, exit.`;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** A non-negative integer written as digits only ("abc", "1e3", "0x10", " 5", "-1" are errors naming `what`). */
export function intSetting(value: string | undefined, what: string, min = 0): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value)))
    throw new ConfigError(`${what}: expected an integer >= ${min}, got '${value}'`);
  return Number(value);
}

/** "134217728", "64MB", "1.5GiB" → bytes. */
export function parseSize(v: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(v);
  if (!m) throw new ConfigError(`${what}: not a size: '${v}' (e.g. 134217728, 64MB, 1GiB)`);
  const unit = (m[2] ?? "").toLowerCase().replace(/i?b$/, "");
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit];
  if (mult === undefined) throw new ConfigError(`${what}: unknown unit in '${v}'`);
  return Math.round(Number(m[1]) * mult);
}

function duration(value: string, what: string): number {
  try {
    return parseDuration(value, what);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

export function parseFlusherConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): FlusherConfig | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        once: { type: "boolean" },
        interval: { type: "string" },
        "min-age": { type: "string" },
        "health-port": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (values.help) return "help";
  const str = (k: string) => values[k] as string | undefined;
  return {
    once: values.once === true,
    intervalMs: duration(str("interval") ?? env.FLUSH_INTERVAL ?? "10m", "FLUSH_INTERVAL"),
    minAgeMs: duration(str("min-age") ?? env.FLUSH_MIN_AGE ?? "0", "FLUSH_MIN_AGE"),
    healthPort:
      intSetting(
        str("health-port") ?? env.FLUSHER_HEALTH_PORT,
        str("health-port") !== undefined ? "--health-port" : "FLUSHER_HEALTH_PORT",
      ) ?? 8089,
    databaseUrl: env.DATABASE_URL || undefined,
    catalogUrl: env.DUCKLAKE_CATALOG_URL || undefined,
    dataPath: env.DUCKLAKE_DATA_PATH || undefined,
    metaSchema: env.DUCKLAKE_METADATA_SCHEMA || "bronze_meta",
    lakeSchema: env.DUCKLAKE_SCHEMA || "bronze",
    vacuumEvery: intSetting(env.FLUSH_VACUUM_EVERY, "FLUSH_VACUUM_EVERY") ?? 10,
    compactEvery: intSetting(env.FLUSH_COMPACT_EVERY, "FLUSH_COMPACT_EVERY") ?? 12,
    retentionMs: duration(env.COMPACT_RETENTION ?? "24h", "COMPACT_RETENTION"),
    targetFileBytes: parseSize(env.COMPACT_TARGET_SIZE ?? "128MB", "COMPACT_TARGET_SIZE"),
    exportConnections: intSetting(env.FLUSH_EXPORT_CONNECTIONS, "FLUSH_EXPORT_CONNECTIONS") ?? 2,
    duckdbMemory: env.FLUSH_DUCKDB_MEMORY || "512MB",
    maxLedgers: intSetting(env.FLUSH_MAX_LEDGERS, "FLUSH_MAX_LEDGERS", 1),
    tempDir: env.FLUSH_TEMP_DIR || undefined,
    unhealthyAfter: intSetting(env.FLUSH_UNHEALTHY_AFTER, "FLUSH_UNHEALTHY_AFTER", 1) ?? 3,
  };
}

/** The default temporary directory: one per hot buffer and catalog schema, stable across restarts (so swept). */
export function defaultTempDir(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) >>> 0;
  return join(tmpdir(), `stellar-lake-flusher-${h.toString(16).padStart(8, "0")}`);
}
