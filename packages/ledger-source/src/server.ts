/**
 * The RawLedgerService server over a Galexie datastore: ordered streaming with gRPC flow control (never more
 * than the bounded prefetch in memory per client), live tail, optional pacing, errors as gRPC statuses, the
 * standard gRPC health service, and /health + /metrics over HTTP.
 */
import * as grpc from "@grpc/grpc-js";
import { datastoreBackend, type LedgerBackend } from "./backend";
import { CorruptFileError, GapError } from "./datastore/reader";
import type { Datastore } from "./datastore/store";
import { SourceMetrics } from "./metrics";
import {
  HealthService,
  MAX_MESSAGE_BYTES,
  type RawLedgerMessage,
  RawLedgerService,
  type StreamLedgersRequest,
  UNREADABLE_LEDGERS_TRAILERS,
} from "./proto";

export interface SourceServerOptions {
  /** A Galexie datastore, or any other backend (e.g. RpcBackend). */
  datastore: Datastore | LedgerBackend;
  /** gRPC port (0 = any free one). */
  port: number;
  host?: string;
  /** Ledgers per second per client; undefined = as fast as the client reads. */
  rate?: number;
  /** Live-tail poll interval at the end of the data. */
  pollMs?: number;
  prefetch?: number;
  /** Expected network passphrase; a datastore manifest for another network is refused. */
  networkPassphrase?: string;
  metrics?: SourceMetrics;
  /** When set, calls must carry `authorization: <token>` metadata (UNAUTHENTICATED otherwise). */
  authToken?: string;
  log?: (obj: Record<string, unknown>, msg: string) => void;
  /** Called as each ledger is handed to a client's stream (freshness is measured from here). */
  onSent?: (sequence: number) => void;
}

export interface SourceServer {
  readonly port: number;
  readonly metrics: SourceMetrics;
  /** Newest ledger seen in the datastore (refreshed while streaming and by health checks). */
  latest(): Promise<number | undefined>;
  close(): Promise<void>;
}

function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/**
 * DATA_LOSS for a file that cannot be read, with the ledgers it held and the file as trailing metadata, so a
 * client that skips bad ledgers knows which to skip and where to resume (`UNREADABLE_LEDGERS_TRAILERS`).
 */
function unreadableStatus(err: CorruptFileError): grpc.ServiceError {
  const e = statusError(grpc.status.DATA_LOSS, err.message);
  e.metadata.set(UNREADABLE_LEDGERS_TRAILERS.first, String(err.first));
  e.metadata.set(UNREADABLE_LEDGERS_TRAILERS.last, String(err.last));
  e.metadata.set(UNREADABLE_LEDGERS_TRAILERS.file, err.file);
  return e;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSourceServer(opts: SourceServerOptions): Promise<SourceServer> {
  const metrics = opts.metrics ?? new SourceMetrics();
  const log = opts.log ?? (() => {});
  const ds: LedgerBackend = "read" in opts.datastore ? opts.datastore : datastoreBackend(opts.datastore);
  const declared = await ds.networkPassphrase();
  if (opts.networkPassphrase && declared && declared !== opts.networkPassphrase) {
    throw new Error(`${ds.location}: manifest is for network '${declared}', not '${opts.networkPassphrase}'`);
  }
  const latest = async () => {
    const r = await ds.range();
    if (r) metrics.latestAvailable.set(r.latest);
    return r?.latest;
  };

  async function stream(call: grpc.ServerWritableStream<StreamLedgersRequest, RawLedgerMessage>) {
    const start = call.request.start_ledger;
    const abort = new AbortController();
    call.on("cancelled", () => abort.abort());
    call.on("close", () => abort.abort());
    metrics.clients.inc();
    const peer = call.getPeer();
    log({ peer, start }, "client streaming");
    try {
      if (opts.authToken && call.metadata.get("authorization")[0] !== opts.authToken) {
        throw statusError(grpc.status.UNAUTHENTICATED, "missing or wrong 'authorization' metadata");
      }
      const range = await ds.range();
      if (!start || start < 1) throw statusError(grpc.status.INVALID_ARGUMENT, "start_ledger must be >= 1");
      if (range && (start < range.oldest || start > range.latest + 1)) {
        throw statusError(
          grpc.status.OUT_OF_RANGE,
          `start_ledger ${start} is outside the available range ${range.oldest}-${range.latest} of ${ds.location}`,
        );
      }
      const minGapMs = opts.rate ? 1000 / opts.rate : 0;
      let lastSent = 0;
      for await (const blob of ds.read(start, {
        ...(opts.prefetch !== undefined ? { prefetch: opts.prefetch } : {}),
        pollMs: opts.pollMs ?? 2000,
        signal: abort.signal,
        onFile: (_key, bytes) => {
          metrics.filesRead.inc();
          metrics.fileBytes.inc(bytes);
        },
      })) {
        if (abort.signal.aborted) break;
        if (minGapMs) {
          const wait = lastSent + minGapMs - Date.now();
          if (wait > 0) await sleep(wait);
          lastSent = Date.now();
        }
        // Flow control: write() returns false once the transport buffer is full; wait for the client to read.
        const ok = call.write({ sequence: blob.sequence, ledger_close_meta_xdr: blob.xdr });
        metrics.ledgersSent.inc();
        metrics.bytesSent.inc(blob.xdr.length);
        metrics.currentSequence.set(blob.sequence);
        opts.onSent?.(blob.sequence);
        if (!ok) {
          await new Promise<void>((resolve) => {
            const done = () => {
              call.off("drain", done);
              abort.signal.removeEventListener("abort", done);
              resolve();
            };
            call.on("drain", done);
            abort.signal.addEventListener("abort", done);
          });
        }
      }
      if (!abort.signal.aborted) call.end();
    } catch (err) {
      const e =
        (err as grpc.ServiceError).code !== undefined && (err as grpc.ServiceError).details
          ? (err as grpc.ServiceError)
          : err instanceof GapError
            ? statusError(grpc.status.DATA_LOSS, err.message)
            : err instanceof CorruptFileError
              ? unreadableStatus(err)
              : statusError(grpc.status.UNAVAILABLE, `datastore error: ${(err as Error).message}`);
      metrics.errors.inc({ code: grpc.status[e.code] ?? String(e.code) });
      log({ peer, start, error: e.details }, "stream failed");
      // Emitting 'error' on a server stream ends the call with that status and details.
      if (!abort.signal.aborted) call.emit("error", e);
    } finally {
      abort.abort();
      metrics.clients.dec();
    }
  }

  const server = new grpc.Server({
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(RawLedgerService.service, { StreamRawLedgers: stream });
  const servingStatus = () => ({ status: "SERVING" });
  server.addService(HealthService.service, {
    Check: (
      call: grpc.ServerUnaryCall<{ service: string }, unknown>,
      cb: grpc.sendUnaryData<{ status: string }>,
    ) => {
      const svc = call.request.service;
      if (svc && svc !== "raw_ledger_service.RawLedgerService") {
        cb({ code: grpc.status.NOT_FOUND, details: `unknown service ${svc}` } as grpc.ServiceError);
        return;
      }
      cb(null, servingStatus());
    },
    Watch: (call: grpc.ServerWritableStream<{ service: string }, unknown>) => {
      call.write(servingStatus());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${opts.host ?? "0.0.0.0"}:${opts.port}`,
      grpc.ServerCredentials.createInsecure(),
      (err, p) =>
        err ? reject(new Error(`cannot listen on port ${opts.port}: ${err.message}`)) : resolve(p),
    ),
  );
  await latest().catch(() => undefined);
  return {
    port,
    metrics,
    latest,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Streams in a live tail never end by themselves.
        setTimeout(() => server.forceShutdown(), 2000).unref();
      }),
  };
}
