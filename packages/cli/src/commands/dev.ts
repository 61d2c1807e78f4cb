import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { availableRange, DirectoryDatastore, resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { API_NODE_OPTIONS } from "@stellar-lake/query-api/node-options";
import { migrateUp, redactUrl } from "@stellar-lake/schema";
import { resolveDatabase } from "../local-postgres";
import { type ServiceSpec, Supervisor } from "../supervisor";

export const summary =
  "run the whole local pipeline (PostgreSQL, migrations, source, ingester, flusher, query API) until Ctrl-C";

const HELP = `usage: pnpm dev   (or pnpm stellar-lake dev)

Starts the pipeline and keeps it running until Ctrl-C (which stops every service cleanly; a second
'pnpm dev' resumes where it stopped):
  postgres  DATABASE_URL, else an embedded PostgreSQL 16 on 127.0.0.1:5434 (data in .data/postgres)
  migrate   applied on start
  source    the ledger source (gRPC :50053, /health + /metrics :8087) over LEDGER_DATASTORE; without it, the
            public Stellar data lake when reachable, else a local datastore of re-sequenced real mainnet ledgers
            built from ../shared/fixtures into .data/datastore and replayed at mainnet pace (LEDGER_REPLAY_RATE
            ledgers/s, default 0.2)
  ingester  streams into the hot buffer (/health + /metrics :8088)
  flusher   moves ledgers older than FLUSH_MIN_AGE (30s) to DuckLake bronze every FLUSH_INTERVAL (20s)
            (/health + /metrics :8089; Parquet under .data/lake/)
  api       the query API on :8092 (API_PORT): hot + cold as one store; docs /docs, status page /

Every service listens on 127.0.0.1 only, unless HOST says otherwise (HOST=0.0.0.0: every interface). Ports:
SOURCE_PORT (50053), SOURCE_HTTP_PORT (8087), INGESTER_HEALTH_PORT (8088), FLUSHER_HEALTH_PORT (8089), API_PORT
(8092). Ctrl-C (SIGINT) or SIGTERM stops the services in order and exits 0.`;

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const PUBLIC_LAKE = "https://aws-public-blockchain.s3.us-east-2.amazonaws.com/v1.1/stellar/ledgers/pubnet/";
const PUBNET = "Public Global Stellar Network ; September 2015";

async function reachable(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { method: "GET", signal: AbortSignal.timeout(3000) });
    await r.body?.cancel();
    return r.ok;
  } catch {
    return false;
  }
}

/** A local datastore of re-sequenced mainnet ledgers (derived data), built once and reused. */
async function localDatastore(say: (l: string) => void): Promise<string | undefined> {
  const dir = join(repoRoot, ".data", "datastore");
  if (existsSync(join(dir, ".config.json"))) return dir;
  const fixtures = process.env.STELLAR_LAKE_FIXTURES ?? join(repoRoot, "..", "shared", "fixtures");
  const mainnet = join(fixtures, "lcm-real", "pubnet-53312000.FCD285FF--53312000.xdr.zstd");
  if (!existsSync(mainnet)) return undefined;
  say(`building ${dir}: 720 re-sequenced real mainnet ledgers (derived test data) from ${mainnet}`);
  const base = await readLedgerFile(mainnet);
  const start = 60_000_000;
  await writeDatastore(
    dir,
    resequence(
      base.map((b) => b.xdr),
      { start, count: 720 },
    ),
    {
      networkPassphrase: PUBNET,
      ledgersPerBatch: 1,
    },
  );
  return dir;
}

/** Where a service on `host` is reached from this machine (a wildcard address is reached on loopback). */
function reachAt(host: string): string {
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return h.includes(":") ? `[${h}]` : h;
}

function port(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535)
    throw new Error(`${name} must be a port number, got '${v}'`);
  return Number(v);
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const say = (service: string, line: string) => console.log(`[${service.padEnd(8)}] ${line}`);
  // Ctrl-C is taken from the start: a signal during the start-up stops what has started so far (services run in
  // their own process groups and would otherwise outlive this process). The terminal's SIGINT and the copy
  // `pnpm run` forwards arrive together: both mean one stop.
  let stopRequested = false;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((r) => {
    wake = r;
  });
  const onSignal = () => {
    if (!stopRequested) say("dev", "stopping (the services finish their work first)");
    stopRequested = true;
    wake();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await runPipeline(say, () => stopRequested, stopped);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function runPipeline(
  say: (service: string, line: string) => void,
  stopRequested: () => boolean,
  stopped: Promise<void>,
): Promise<number> {
  // Every service listens on loopback only unless HOST says otherwise (a laptop's pipeline is nobody else's).
  const host = process.env.HOST || "127.0.0.1";
  const at = reachAt(host);
  const ports = {
    grpc: port("SOURCE_PORT", 50053),
    source: port("SOURCE_HTTP_PORT", 8087),
    ingester: port("INGESTER_HEALTH_PORT", 8088),
    flusher: port("FLUSHER_HEALTH_PORT", 8089),
    api: port("API_PORT", 8092),
  };
  const db = await resolveDatabase((l) => say("postgres", l));
  say("postgres", `hot buffer at ${redactUrl(db.url)}`);
  const sup = new Supervisor(
    { command: process.execPath, args: ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts")] },
    say,
  );
  // The ingester finishes its batch first, then the flusher makes its final flush, then the source stops.
  // The API goes first: it only reads.
  const stopOrder = ["api", "ingester", "flusher", "source"];
  try {
    if (stopRequested()) return 0;
    const applied = await migrateUp(db.url);
    say("migrate", applied.length ? `applied ${applied.join(", ")}` : "schema up to date");

    let datastore = process.env.LEDGER_DATASTORE;
    let rate = process.env.LEDGER_REPLAY_RATE;
    if (!datastore) {
      if (await reachable(`${PUBLIC_LAKE}.config.json`)) {
        datastore = PUBLIC_LAKE;
        say("source", `public Stellar data lake: ${PUBLIC_LAKE}`);
      } else {
        say(
          "source",
          "the public Stellar data lake is unreachable from here; set LEDGER_DATASTORE=<dir> for your own Galexie datastore",
        );
        datastore = await localDatastore((l) => say("source", l));
        rate ??= "0.2";
      }
    }
    const specs: ServiceSpec[] = [];
    const hostEnv = { HOST: host };
    if (datastore) {
      const range = datastore.startsWith("http")
        ? undefined
        : await availableRange(new DirectoryDatastore(datastore));
      specs.push({
        name: "source",
        args: [
          "source",
          "--datastore",
          datastore,
          "--port",
          String(ports.grpc),
          "--http-port",
          String(ports.source),
          ...(rate ? ["--rate", rate] : []),
        ],
        env: hostEnv,
        healthUrl: `http://${at}:${ports.source}/health`,
        banner: [
          `gRPC RawLedgerService on ${at}:${ports.grpc}`,
          `health http://${at}:${ports.source}/health, metrics /metrics`,
        ],
      });
      specs.push({
        name: "ingester",
        args: [
          "ingest",
          "--source",
          `${at}:${ports.grpc}`,
          "--health-port",
          String(ports.ingester),
          ...(range ? ["--start", String(range.oldest)] : []),
        ],
        env: {
          ...hostEnv,
          DATABASE_URL: db.url,
          NETWORK_PASSPHRASE: process.env.NETWORK_PASSPHRASE ?? PUBNET,
        },
        healthUrl: `http://${at}:${ports.ingester}/health/live`,
        banner: [`health http://${at}:${ports.ingester}/health, metrics /metrics`],
      });
    } else {
      say(
        "source",
        "no datastore: set LEDGER_DATASTORE=<dir> (a Galexie datastore) to run the source and the ingester",
      );
    }
    specs.push({
      name: "flusher",
      // Short interval and minimum age so cold data appears within a minute.
      args: [
        "flush",
        "--interval",
        process.env.FLUSH_INTERVAL ?? "20s",
        "--min-age",
        process.env.FLUSH_MIN_AGE ?? "30s",
        "--health-port",
        String(ports.flusher),
      ],
      env: { ...hostEnv, DATABASE_URL: db.url },
      healthUrl: `http://${at}:${ports.flusher}/health/live`,
      banner: [
        `DuckLake bronze in ${process.env.DUCKLAKE_DATA_PATH ?? ".data/lake/"} (catalog: ${process.env.DUCKLAKE_CATALOG_URL ? "DUCKLAKE_CATALOG_URL" : "database stellar_lake_catalog"}); health http://${at}:${ports.flusher}/health`,
      ],
    });
    specs.push({
      name: "api",
      args: ["serve", "--port", String(ports.api), "--host", host],
      env: {
        ...hostEnv,
        // As the image runs it (API_NODE_OPTIONS: a larger young generation).
        NODE_OPTIONS: [process.env.NODE_OPTIONS, API_NODE_OPTIONS].filter(Boolean).join(" "),
        DATABASE_URL: db.url,
        SOURCE_STATUS_URL: process.env.SOURCE_STATUS_URL ?? `http://${at}:${ports.source}`,
      },
      healthUrl: `http://${at}:${ports.api}/health`,
      banner: [
        `query API http://${at}:${ports.api}/ledgers?start=<ledger> (every table: /openapi.json)`,
        `API docs http://${at}:${ports.api}/docs`,
        `status page http://${at}:${ports.api}/`,
      ],
    });
    for (const [i, spec] of specs.entries()) {
      if (stopRequested()) break;
      sup.start(spec, i);
      const healthy = await Promise.race([sup.waitHealthy(spec), stopped.then(() => undefined)]);
      if (healthy === undefined) break;
      if (healthy) for (const line of spec.banner ?? []) say(spec.name, line);
      else say(spec.name, "did not become healthy; see its log lines above");
    }
    if (!stopRequested()) say("dev", "running; press Ctrl-C to stop");
    await stopped;
    await sup.stop(stopOrder);
  } finally {
    // Whatever failed, nothing started here outlives this process.
    if (sup.running.length) await sup.stop(stopOrder);
    if (db.started) await db.stop();
  }
  say("dev", "stopped cleanly");
  return 0;
}
