/**
 * The typed client the ingester uses: an async iterator of ledgers that reconnects (exponential backoff with
 * jitter) after a dropped stream, resumes at the next expected ledger, and checks that every ledger is the
 * previous + 1 and that RawLedger.sequence matches the ledger's own header.
 */
import * as grpc from "@grpc/grpc-js";
import { peekLedgerSequence } from "@stellar-lake/lcm-io";
import { sleep } from "@stellar-lake/runtime";
import {
  MAX_MESSAGE_BYTES,
  type RawLedgerMessage,
  RawLedgerService,
  UNREADABLE_LEDGERS_TRAILERS,
} from "./proto";

export interface StreamOptions {
  /** host:port of a RawLedgerService (this project's server or the original Go one). */
  endpoint: string;
  startLedger: number;
  tls?: boolean | { rootCerts?: Buffer };
  /** Per-call metadata, e.g. `{ authorization: "Bearer …" }`. */
  metadata?: Record<string, string>;
  signal?: AbortSignal;
  /** Reconnect attempts in a row before giving up (default: forever). */
  maxRetries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onReconnect?: (info: { attempt: number; delayMs: number; nextLedger: number; reason: string }) => void;
}

export interface Ledger {
  sequence: number;
  xdr: Buffer;
}

export class SourceError extends Error {
  override readonly name: string = "SourceError";
  constructor(
    message: string,
    readonly code?: grpc.status,
  ) {
    super(message);
  }
}
export class LedgerGapError extends SourceError {
  override readonly name = "LedgerGapError";
}
export class SequenceMismatchError extends SourceError {
  override readonly name = "SequenceMismatchError";
}
/**
 * The source cannot read the file holding ledgers `unreadable.first..last` (it says so in DATA_LOSS trailers):
 * the ingester's --skip-bad-ledgers records them as bad and resumes after them.
 */
export class UnreadableLedgersError extends SourceError {
  override readonly name = "UnreadableLedgersError";
  constructor(
    message: string,
    readonly unreadable: { first: number; last: number; file: string },
  ) {
    super(message, grpc.status.DATA_LOSS);
  }
}

function unreadableOf(e: grpc.ServiceError): { first: number; last: number; file: string } | undefined {
  const get = (k: string) => e.metadata?.get(k)[0]?.toString();
  const first = Number(get(UNREADABLE_LEDGERS_TRAILERS.first));
  const last = Number(get(UNREADABLE_LEDGERS_TRAILERS.last));
  const file = get(UNREADABLE_LEDGERS_TRAILERS.file);
  if (!Number.isInteger(first) || !Number.isInteger(last) || last < first || !file) return undefined;
  return { first, last, file };
}

// Statuses that a new connection can cure; anything else (bad range, data loss, bad request) is final.
const RETRYABLE = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.INTERNAL,
  grpc.status.UNKNOWN,
  grpc.status.ABORTED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.DEADLINE_EXCEEDED,
]);

function credentials(tls: StreamOptions["tls"]): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(typeof tls === "object" ? tls.rootCerts : undefined);
}

export async function* streamLedgers(opts: StreamOptions): AsyncGenerator<Ledger> {
  const client = new RawLedgerService(opts.endpoint, credentials(opts.tls), {
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  let next = opts.startLedger;
  let attempt = 0;
  const initial = opts.initialBackoffMs ?? 200;
  const cap = opts.maxBackoffMs ?? 10_000;
  try {
    while (!opts.signal?.aborted) {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(opts.metadata ?? {})) md.set(k, v);
      const call = (
        client as unknown as {
          StreamRawLedgers: (req: object, md: grpc.Metadata) => grpc.ClientReadableStream<RawLedgerMessage>;
        }
      ).StreamRawLedgers({ start_ledger: next }, md);
      const onAbort = () => call.cancel();
      opts.signal?.addEventListener("abort", onAbort);
      let reason = "stream ended";
      try {
        for await (const msg of call as AsyncIterable<RawLedgerMessage>) {
          attempt = 0;
          if (msg.sequence !== next) {
            throw new LedgerGapError(
              `source ${opts.endpoint} sent ledger ${msg.sequence} where ${next} was expected (${msg.sequence > next ? "gap" : "repeat"})`,
            );
          }
          let header: number;
          try {
            header = peekLedgerSequence(msg.ledger_close_meta_xdr);
          } catch (err) {
            throw new SequenceMismatchError(
              `ledger ${msg.sequence} from ${opts.endpoint} is not a LedgerCloseMeta: ${(err as Error).message}`,
            );
          }
          if (header !== msg.sequence) {
            throw new SequenceMismatchError(
              `RawLedger.sequence ${msg.sequence} from ${opts.endpoint} carries ledger ${header} in its header`,
            );
          }
          yield { sequence: msg.sequence, xdr: msg.ledger_close_meta_xdr };
          next += 1;
        }
      } catch (err) {
        if (err instanceof SourceError) throw err;
        const e = err as grpc.ServiceError;
        if (opts.signal?.aborted) return;
        // CANCELLED without our own abort: the server went away mid-stream (shutdown); reconnect.
        if (e.code !== undefined && e.code !== grpc.status.CANCELLED && !RETRYABLE.has(e.code)) {
          const unreadable = e.code === grpc.status.DATA_LOSS ? unreadableOf(e) : undefined;
          if (unreadable && unreadable.first === next)
            throw new UnreadableLedgersError(
              `source ${opts.endpoint}: ${e.details || e.message}`,
              unreadable,
            );
          throw new SourceError(`source ${opts.endpoint}: ${e.details || e.message}`, e.code);
        }
        reason = e.details || e.message;
      } finally {
        opts.signal?.removeEventListener("abort", onAbort);
        call.cancel();
      }
      if (opts.signal?.aborted) return;
      attempt += 1;
      if (opts.maxRetries !== undefined && attempt > opts.maxRetries) {
        throw new SourceError(
          `source ${opts.endpoint} unreachable after ${opts.maxRetries} retries: ${reason}`,
          grpc.status.UNAVAILABLE,
        );
      }
      // Full jitter: spreads reconnecting clients after a server restart.
      const delayMs = Math.round(Math.random() * Math.min(cap, initial * 2 ** (attempt - 1)));
      opts.onReconnect?.({ attempt, delayMs, nextLedger: next, reason });
      await sleep(delayMs, opts.signal);
    }
  } finally {
    client.close();
  }
}
