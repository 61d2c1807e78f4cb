import { parseArgs } from "node:util";
import { openDatastoreAt, RpcBackend, SourceMetrics, startSourceServer } from "@stellar-lake/ledger-source";
import {
  createLogger,
  HealthReasons,
  type HealthReport,
  listenHost,
  resolvePassphrase,
  shutdownSignal,
  sleep,
  startStatusServer,
} from "@stellar-lake/runtime";

export const summary = "serve ledgers from a Galexie datastore over gRPC (RawLedgerService, port 50053)";

const HELP = `usage: pnpm stellar-lake source --datastore DIR|URL | --rpc URL [options]

  --datastore DIR|URL   Galexie datastore: a directory or an http(s) S3-compatible URL [LEDGER_DATASTORE]
  --rpc URL             a Stellar RPC endpoint instead (getLedgers; its retention window) [STELLAR_RPC_URL]
  --port N              gRPC port (default 50053) [SOURCE_PORT]
  --http-port N         /health and /metrics (default 8087) [SOURCE_HTTP_PORT]
  --rate N              ledgers per second per client (e.g. 0.2 = mainnet pace; default: as fast as possible)
  --network NAME        refuse a datastore whose manifest is for another network [NETWORK_PASSPHRASE]
  --poll-ms N           live-tail poll interval (default 2000)
  --retry-datastore     a refused datastore (another network, a bad manifest) is retried until fixed, /health
                        saying why [SOURCE_RETRY_DATASTORE=1]; default: exit 1 at once. A datastore without
                        a manifest yet (a fresh volume) is always waited for.

HOST: the address both servers listen on (default 0.0.0.0, every interface).
SOURCE_AUTH_TOKEN, when set, must arrive as the 'authorization' metadata of every call.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      datastore: { type: "string" },
      rpc: { type: "string" },
      port: { type: "string" },
      "http-port": { type: "string" },
      rate: { type: "string" },
      network: { type: "string" },
      "poll-ms": { type: "string" },
      "retry-datastore": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const rpcUrl = values.rpc ?? process.env.STELLAR_RPC_URL;
  const location = values.datastore ?? process.env.LEDGER_DATASTORE ?? rpcUrl;
  if (!location) {
    console.error("source: --datastore DIR|URL (or LEDGER_DATASTORE), or --rpc URL, is required");
    return 2;
  }
  const auth = process.env.LEDGER_DATASTORE_AUTH ? { authorization: process.env.LEDGER_DATASTORE_AUTH } : {};
  const num = (v: string | undefined, name: string, dflt?: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
      throw new Error(`source: ${name} must be a non-negative number, got '${v}'`);
    return n;
  };
  const log = createLogger("source");
  const metrics = new SourceMetrics();
  const network = values.network ?? process.env.NETWORK_PASSPHRASE;
  const rate = num(values.rate, "--rate");
  const pollMs = num(values["poll-ms"], "--poll-ms", 2000);
  const retry = values["retry-datastore"] ?? process.env.SOURCE_RETRY_DATASTORE === "1";
  const datastore =
    rpcUrl && location === rpcUrl ? new RpcBackend(rpcUrl, auth) : openDatastoreAt(location, auth);
  let server: Awaited<ReturnType<typeof startSourceServer>> | undefined;
  let latest: number | undefined;
  const reasons = new HealthReasons();
  const status = await startStatusServer({
    port: num(values["http-port"] ?? process.env.SOURCE_HTTP_PORT, "--http-port", 8087)!,
    registry: metrics.registry,
    health: async (): Promise<HealthReport> => {
      if (server) {
        // A datastore that stops answering (object storage down, directory gone) is said, not hidden.
        try {
          latest = (await server.latest()) ?? latest;
          reasons.clear("datastore_unreadable");
        } catch (err) {
          reasons.set("datastore_unreadable", (err as Error).message);
        }
      }
      return {
        live: true,
        ready: Boolean(server),
        reasons: reasons.list(),
        datastore: datastore.location,
        current_sequence: latest ?? null,
      };
    },
  });
  const signal = shutdownSignal();
  try {
    // An empty datastore (a fresh volume Galexie has not written to yet) is waited for. Any other refusal (a
    // manifest for another network, an unreadable one) ends the process at once with its reason — unless
    // --retry-datastore says an operator will fix it in place: then it retries (capped backoff), not ready.
    let refusals = 0;
    while (!server && !signal.aborted) {
      try {
        server = await startSourceServer({
          datastore,
          port: num(values.port ?? process.env.SOURCE_PORT, "--port", 50053)!,
          host: listenHost(),
          ...(rate ? { rate } : {}),
          ...(pollMs !== undefined ? { pollMs } : {}),
          ...(network ? { networkPassphrase: resolvePassphrase(network) } : {}),
          metrics,
          ...(process.env.SOURCE_AUTH_TOKEN ? { authToken: process.env.SOURCE_AUTH_TOKEN } : {}),
          log: (obj, msg) => log.info(obj, msg),
          // One line per ledger at LOG_LEVEL=debug: when each ledger left the source (`pnpm bench freshness`).
          onSent: (sequence) => log.debug({ sequence }, "ledger sent"),
        });
        reasons.clear("no_datastore");
        reasons.clear("datastore_refused");
      } catch (err) {
        const msg = (err as Error).message;
        if (/no \.config\.json manifest/.test(msg)) {
          if (!reasons.has("no_datastore"))
            log.warn({ datastore: datastore.location }, `waiting for a Galexie datastore: ${msg}`);
          reasons.set("no_datastore", msg);
          await sleep(2000, signal);
          continue;
        }
        if (!retry) {
          log.error({ datastore: datastore.location }, `datastore refused: ${msg}`);
          console.error(`source: datastore refused: ${msg}`);
          return 1;
        }
        refusals += 1;
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(refusals - 1, 5));
        if (reasons.list().find((r) => r.reason === "datastore_refused")?.detail !== msg)
          log.error({ datastore: datastore.location, retry_in_ms: delay }, `datastore refused: ${msg}`);
        reasons.set("datastore_refused", msg);
        await sleep(delay, signal);
      }
    }
    if (server) {
      log.info(
        { grpc_port: server.port, http_port: status.port, datastore: datastore.location },
        "ledger source listening",
      );
      await new Promise<void>((r) => {
        if (signal.aborted) r();
        else signal.addEventListener("abort", () => r(), { once: true });
      });
    }
    log.info("stopping");
    return 0;
  } finally {
    await server?.close();
    await status.close();
    log.flush();
  }
}
