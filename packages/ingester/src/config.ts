/** The ingester's typed configuration: flags override environment variables, which override defaults. */
import { parseArgs } from "node:util";
import { networkName, parseDuration, resolvePassphrase } from "@stellar-lake/runtime";

export interface IngesterConfig {
  databaseUrl: string | undefined;
  passphrase: string;
  network: string;
  source: string;
  sourceTls: boolean;
  sourceAuthHeader: string | undefined;
  start: number | undefined;
  end: number | undefined;
  skipBadLedgers: boolean;
  healthPort: number;
  /** No commit while ledgers wait (stalled: not live) or no ledger received (not ready) for this long. */
  stallAfterMs: number;
  eraId: string;
  versionLabel: string;
  catalogUrl: string | undefined;
  /** The catalog's metadata schema (DUCKLAKE_METADATA_SCHEMA, default bronze_meta), where the cold watermark is. */
  catalogSchema: string;
  maxBatchLedgers: number;
  /** Raw ledger bytes transformed ahead of the writer, in MiB (bounds memory on busy ledgers). */
  queueMiB: number;
  workers: number;
}

export const INGEST_HELP = `usage: pnpm stellar-lake ingest [options]

Streams ledgers from a RawLedgerService source into the PostgreSQL hot buffer, exactly once.

options (environment variable in brackets):
  --source HOST:PORT      ledger source gRPC endpoint [LEDGER_SOURCE] (default localhost:50053)
  --source-tls            connect with TLS [LEDGER_SOURCE_TLS=1]
  --network NAME|PHRASE   pubnet | testnet | futurenet | standalone | core-test | a passphrase
                          [NETWORK_PASSPHRASE] (default pubnet)
  --start N               first ledger when there is no checkpoint (resume is automatic)
  --end M                 stop after ledger M (bounded backfill; exits 0 with a summary)
  --skip-bad-ledgers      record undecodable ledgers in _meta_quality and continue (default: stop)
  --health-port N         /health and /metrics [INGESTER_HEALTH_PORT] (default 8088; 0 = any free port)
  --stall-after D         /health says stalled (not live) when ledgers wait but nothing commits for D, and not
                          ready when the source sends nothing for D [INGESTER_STALL_AFTER] (default 2m)
  --era-id ID             era_id column [ERA_ID] (default <network>)
  --version-label L       version_label column [VERSION_LABEL] (default v1)
  --max-batch N           most ledgers per transaction [INGESTER_MAX_BATCH] (default 256)
  --workers N             transform worker threads [INGESTER_WORKERS] (default 1; 0 = in the main thread)
  --queue-mb N            raw ledger MiB transformed ahead of the writer [INGESTER_QUEUE_MB] (default 32; bounds memory)
  -h, --help

environment: DATABASE_URL (hot buffer; default: the embedded dev database), DUCKLAKE_CATALOG_URL (cold watermark
for crash recovery), DUCKLAKE_METADATA_SCHEMA (the catalog's schema; default bronze_meta), LEDGER_SOURCE_AUTH_HEADER (sent as the 'authorization' metadata of the gRPC call).`;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function int(value: string | undefined, what: string, min = 0): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${what}: expected an integer >= ${min}, got '${value}'`);
  return n;
}

function duration(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  try {
    return parseDuration(value, what);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

export function parseIngesterConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): IngesterConfig | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: "string" },
      "source-tls": { type: "boolean" },
      network: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      "skip-bad-ledgers": { type: "boolean" },
      "health-port": { type: "string" },
      "stall-after": { type: "string" },
      "era-id": { type: "string" },
      "version-label": { type: "string" },
      "max-batch": { type: "string" },
      workers: { type: "string" },
      "queue-mb": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const passphrase = resolvePassphrase(values.network ?? env.NETWORK_PASSPHRASE ?? "pubnet");
  const network = networkName(passphrase);
  const start = int(values.start, "--start", 1);
  const end = int(values.end, "--end", 1);
  if (start !== undefined && end !== undefined && end < start) {
    throw new ConfigError(`--end ${end} is before --start ${start}`);
  }
  const source = values.source ?? env.LEDGER_SOURCE ?? "localhost:50053";
  if (!/^[^:\s]+:\d+$/.test(source.replace(/^(dns:|https?:\/\/)/, ""))) {
    throw new ConfigError(`--source: expected HOST:PORT, got '${source}'`);
  }
  return {
    databaseUrl: env.DATABASE_URL,
    passphrase,
    network,
    source,
    sourceTls: values["source-tls"] ?? env.LEDGER_SOURCE_TLS === "1",
    sourceAuthHeader: env.LEDGER_SOURCE_AUTH_HEADER,
    start,
    end,
    skipBadLedgers: values["skip-bad-ledgers"] ?? false,
    healthPort: int(values["health-port"] ?? env.INGESTER_HEALTH_PORT, "--health-port") ?? 8088,
    stallAfterMs: duration(values["stall-after"] ?? env.INGESTER_STALL_AFTER, "--stall-after") ?? 120_000,
    eraId: values["era-id"] ?? env.ERA_ID ?? network,
    versionLabel: values["version-label"] ?? env.VERSION_LABEL ?? "v1",
    catalogUrl: env.DUCKLAKE_CATALOG_URL,
    catalogSchema: env.DUCKLAKE_METADATA_SCHEMA || "bronze_meta",
    maxBatchLedgers: int(values["max-batch"] ?? env.INGESTER_MAX_BATCH, "--max-batch", 1) ?? 256,
    workers: int(values.workers ?? env.INGESTER_WORKERS, "--workers") ?? 1,
    queueMiB: int(values["queue-mb"] ?? env.INGESTER_QUEUE_MB, "--queue-mb", 1) ?? 32,
  };
}
