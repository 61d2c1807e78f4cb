/**
 * The ingestion loop: source → transform (+ integrity checks) → bounded queue → batch writer. Batches take
 * whatever is queued, so they are one ledger when following the live tip (queryable as soon as it arrives) and
 * large during a backfill. Commits stay in sequence order; each is one transaction with the checkpoint.
 */

import { acquireWriterLock } from "@stellar-lake/pipeline-state";
import pg from "pg";
import {
  BehindProtocolError,
  ChainError,
  HotConnectionLost,
  PoisonLedgerError,
  SequenceError,
} from "./errors";
import { type BatchContext, type LedgerRows, writeBatch } from "./hot-writer";
import type { IngestMetrics } from "./metrics";
import { type ColdState, planStart, type StartPlan, WATERMARK_MOVED } from "./recovery";

export interface RawLedger {
  sequence: number;
  xdr: Uint8Array;
}

/** Opens the ledger stream at `startLedger`; ends or throws on `signal`. */
export type LedgerSource = (startLedger: number, signal: AbortSignal) => AsyncIterable<RawLedger>;

/** Decodes and transforms one ledger; throws for a ledger that cannot be decoded or transformed. */
export type LedgerTransformer = (raw: RawLedger) => LedgerRows | Promise<LedgerRows>;

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface IngestOptions {
  databaseUrl: string;
  start?: number;
  /** Inclusive last ledger of a bounded backfill; undefined follows the source forever. */
  end?: number;
  skipBadLedgers?: boolean;
  eraId: string | null;
  versionLabel: string | null;
  pipelineVersion: string;
  network?: string;
  maxBatchLedgers?: number;
  /** Ledgers transformed ahead of the writer (bounds memory). */
  queueLedgers?: number;
  /**
   * Raw XDR bytes transformed ahead of the writer: busy ledgers are large (a mainnet ledger is ~0.4 MB raw and
   * several times that as rows), so a ledger count alone does not bound memory.
   */
  queueBytes?: number;
  coldState?: () => Promise<ColdState | undefined>;
  log: Logger;
  metrics?: IngestMetrics;
  signal?: AbortSignal;
  /** Called after each commit (progress bars, tests). */
  onCommit?: (info: { first: number; last: number; rows: number }) => void;
  /** Called once the writer lock is held and the start plan is made. */
  onReady?: (plan: { resumeAt: number }) => void;
  /** Called when another ingester holds the writer lock and this one stands by (health: not ready, why). */
  onStandby?: (detail: string) => void;
  /** Called for every ledger the source sends, before it is transformed (health: is the source still sending?). */
  onReceive?: (sequence: number) => void;
}

export interface IngestSummary {
  firstLedger?: number;
  lastLedger?: number;
  ledgers: number;
  rows: number;
  rowsPerTable: Record<string, number>;
  batches: number;
  skipped: number[];
  seconds: number;
  stoppedBy: "end" | "signal" | "source-ended";
}

/**
 * Ledgers a source says it cannot read (`err.unreadable = { first, last, file }`, e.g. the ledger source
 * client's UnreadableLedgersError): what --skip-bad-ledgers skips when a whole file is damaged.
 */
function unreadableLedgers(err: unknown): { first: number; last: number } | undefined {
  const u = (err as { unreadable?: { first?: unknown; last?: unknown } } | null)?.unreadable;
  return u && Number.isInteger(u.first) && Number.isInteger(u.last)
    ? { first: u.first as number, last: u.last as number }
    : undefined;
}

export function emptySummary(stoppedBy: IngestSummary["stoppedBy"]): IngestSummary {
  return { ledgers: 0, rows: 0, rowsPerTable: {}, batches: 0, skipped: [], seconds: 0, stoppedBy };
}

export async function ingest(opts: IngestOptions, source: LedgerSource, transform: LedgerTransformer) {
  const started = Date.now();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const lock = await acquireWriterLock(opts.databaseUrl, {
    log: (m) => opts.log.warn(m),
    ...(opts.onStandby ? { onStandby: opts.onStandby } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const client = new pg.Client({
    connectionString: opts.databaseUrl,
    application_name: "stellar-lake-ingester",
  });
  // A lost hot-buffer connection ends the run with an error (the process exits non-zero and its supervisor
  // restarts it): reconnecting here would mean re-taking the writer lock and re-planning the start anyway.
  client.on("error", (err) =>
    stop.abort(new HotConnectionLost(`hot buffer connection lost: ${err.message}`)),
  );
  const summary = emptySummary("source-ended");
  try {
    await client.connect();
    // The flusher commits a new cold watermark before deleting those ledgers from hot: if one committed while the
    // plan read the hot tables, the plan could take the flusher's delete for lost rows. A rewind is confirmed
    // against the watermark read again under locks the flusher's delete waits for (planStart: WATERMARK_MOVED
    // otherwise, nothing deleted); and any plan is made again until the watermark read after it equals the one used.
    let cold = await opts.coldState?.();
    let plan: StartPlan;
    for (;;) {
      const p = await planStart(client, {
        ...(opts.start !== undefined ? { start: opts.start } : {}),
        ...(cold ? { cold } : {}),
        ...(opts.coldState ? { coldNow: opts.coldState } : {}),
        log: (m) => opts.log.warn(m),
      });
      const again = await opts.coldState?.();
      if (p !== WATERMARK_MOVED && (again?.watermark ?? null) === (cold?.watermark ?? null)) {
        plan = p;
        break;
      }
      cold = again;
    }
    opts.log.info(
      { resumeAt: plan.resumeAt, coldWatermark: cold?.watermark ?? null, end: opts.end ?? null },
      "ingestion starting",
    );
    opts.onReady?.({ resumeAt: plan.resumeAt });
    if (opts.end !== undefined && plan.resumeAt > opts.end) {
      summary.stoppedBy = "end";
      return summary;
    }
    await run(opts, plan, source, transform, client, stop, lock.lost, summary);
    return summary;
  } finally {
    summary.seconds = (Date.now() - started) / 1000;
    opts.signal?.removeEventListener("abort", onAbort);
    await client.end().catch(() => {});
    await lock.release();
  }
}

async function run(
  opts: IngestOptions,
  plan: { resumeAt: number; expectedPreviousHash?: string; highestPresent: number },
  source: LedgerSource,
  transform: LedgerTransformer,
  client: pg.Client,
  stop: AbortController,
  lockLost: Promise<never>,
  summary: IngestSummary,
): Promise<void> {
  const maxBatch = opts.maxBatchLedgers ?? 256;
  const queueLimit = opts.queueLedgers ?? 512;
  const queueBytes = opts.queueBytes ?? 32 * 2 ** 20;
  let queued = 0;
  // Transforms start as ledgers arrive (a worker pool runs them in parallel); the writer consumes them in order.
  const queue: { raw: RawLedger; result: Promise<LedgerRows | Error> }[] = [];
  let readerDone = false;
  let readerError: unknown;
  let wake: () => void = () => {};
  let space: () => void = () => {};
  const notify = () => wake();

  const enqueue = (raw: RawLedger, result: Promise<LedgerRows | Error>) => {
    queue.push({ raw, result });
    queued += raw.xdr.byteLength;
    notify();
  };
  const reader = (async () => {
    let expected = plan.resumeAt;
    try {
      for (let reachedEnd = false; !reachedEnd && !stop.signal.aborted; ) {
        try {
          reachedEnd = await readFrom(expected);
          break;
        } catch (err) {
          // Ledgers the source cannot read (an unreadable file) are bad ledgers like undecodable ones: with
          // --skip-bad-ledgers each is recorded as skipped, naming the file and the reason, and the stream
          // resumes after them.
          const u = unreadableLedgers(err);
          if (!u || !opts.skipBadLedgers || u.first !== expected || stop.signal.aborted) throw err;
          const last = opts.end !== undefined ? Math.min(u.last, opts.end) : u.last;
          const why = new Error(`unreadable in the source: ${(err as Error).message}`);
          for (let seq = u.first; seq <= last; seq++)
            enqueue({ sequence: seq, xdr: new Uint8Array() }, Promise.resolve(why));
          expected = last + 1;
          reachedEnd = opts.end !== undefined && last >= opts.end;
          if (reachedEnd) break;
        }
      }
    } catch (err) {
      if (!stop.signal.aborted) readerError = err;
    } finally {
      readerDone = true;
      notify();
    }

    /** Reads from `from` until the source ends (false) or `opts.end` is queued (true). */
    async function readFrom(from: number): Promise<boolean> {
      for await (const raw of source(from, stop.signal)) {
        if (stop.signal.aborted) return false;
        opts.metrics?.sourceSequence.set(raw.sequence);
        opts.onReceive?.(raw.sequence);
        if (raw.sequence !== expected) {
          throw new SequenceError(
            `source sent ledger ${raw.sequence} where ${expected} was expected (${raw.sequence > expected ? "gap" : "repeat"})`,
            expected,
          );
        }
        const result = Promise.resolve()
          .then(() => transform(raw))
          .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
        enqueue(raw, result);
        expected += 1;
        if (opts.end !== undefined && raw.sequence >= opts.end) return true;
        while ((queue.length >= queueLimit || queued >= queueBytes) && !stop.signal.aborted) {
          await new Promise<void>((r) => {
            space = r;
          });
        }
      }
      return false;
    }
  })();

  let previousHash = plan.expectedPreviousHash;
  /** The ledger just skipped as bad, if the previous one was. */
  let skippedBefore: number | undefined;
  /** Checks one transformed ledger in order; returns the rows to write and the batch's quality records. */
  const accept = (raw: RawLedger, result: LedgerRows | Error, checks: BatchContext["checks"]): LedgerRows => {
    if (result instanceof Error && result.name === "UnsupportedProtocolError") {
      opts.metrics?.errors.inc({ kind: "behind_protocol" });
      throw new BehindProtocolError(
        result.message,
        raw.sequence,
        (result as Error & { protocol?: number }).protocol ?? 0,
      );
    }
    if (result instanceof Error) {
      opts.metrics?.errors.inc({ kind: "poison" });
      if (!opts.skipBadLedgers) {
        throw new PoisonLedgerError(
          `ledger ${raw.sequence} cannot be decoded or transformed: ${result.message}`,
          raw.sequence,
        );
      }
      opts.log.error(
        { ledger: raw.sequence, reason: result.message },
        "skipping a ledger that cannot be transformed",
      );
      summary.skipped.push(raw.sequence);
      opts.metrics?.skipped.inc();
      checks.push({
        name: "poison_ledger",
        type: "decode",
        passed: false,
        details: `ledger ${raw.sequence}: ${result.message}`,
      });
      previousHash = undefined;
      skippedBefore = raw.sequence;
      return { sequence: raw.sequence, hash: "", previousHash: "", protocolVersion: 0, rows: {} };
    }
    if (result.sequence !== raw.sequence) {
      throw new SequenceError(
        `RawLedger.sequence ${raw.sequence} but its header says ledger ${result.sequence} (corrupt source?)`,
        raw.sequence,
      );
    }
    if (previousHash && result.previousHash !== previousHash) {
      throw new ChainError(
        `ledger ${raw.sequence}: previous_ledger_hash ${result.previousHash} does not match the hash ${previousHash} of ledger ${raw.sequence - 1} (wrong network, corrupt or reordered source)`,
        raw.sequence,
      );
    }
    // After a skipped ledger the chain cannot be checked: recorded as a failed check, so the gap stays visible.
    const afterSkip = skippedBefore === raw.sequence - 1;
    checks.push({
      name: "hash_chain",
      type: "integrity",
      passed: !afterSkip,
      details: afterSkip
        ? `ledger ${raw.sequence}: previous ledger ${raw.sequence - 1} skipped (bad ledger), the link to it is unchecked`
        : previousHash
          ? `ledger ${raw.sequence} links to ${raw.sequence - 1}`
          : `ledger ${raw.sequence}: no previous hash known`,
    });
    skippedBefore = undefined;
    previousHash = result.hash;
    for (const c of result.checks ?? []) checks.push(c);
    return result;
  };

  let mayOverlapUpTo = plan.highestPresent;
  const commit = async (ledgers: LedgerRows[], checks: BatchContext["checks"]) => {
    const t0 = performance.now();
    const result = await Promise.race([
      writeBatch(client, ledgers, {
        eraId: opts.eraId,
        versionLabel: opts.versionLabel,
        pipelineVersion: opts.pipelineVersion,
        processor: "stellar-lake-ingester",
        checks,
        mayOverlap: ledgers[0]!.sequence <= mayOverlapUpTo,
        ...(opts.network ? { network: opts.network } : {}),
      }),
      lockLost,
    ]);
    const secs = (performance.now() - t0) / 1000;
    const rows = Object.values(result.rowsPerTable).reduce((a, b) => a + b, 0);
    summary.firstLedger ??= result.first;
    summary.lastLedger = result.last;
    summary.ledgers += ledgers.length;
    summary.rows += rows;
    summary.batches += 1;
    for (const [t, n] of Object.entries(result.rowsPerTable)) {
      summary.rowsPerTable[t] = (summary.rowsPerTable[t] ?? 0) + n;
    }
    const m = opts.metrics;
    if (m) {
      m.ledgers.inc(ledgers.length);
      for (const [t, n] of Object.entries(result.rowsPerTable)) if (n) m.rows.inc({ table: t }, n);
      m.bytes.inc(result.bytes);
      m.batchLedgers.observe(ledgers.length);
      m.batchSeconds.observe(secs);
      m.checkpoint.set(result.last);
      m.lag.set(Math.max(0, ((await m.sourceSequence.get()).values[0]?.value ?? 0) - result.last));
    }
    if (mayOverlapUpTo <= result.last) mayOverlapUpTo = 0;
    opts.onCommit?.({ first: result.first, last: result.last, rows });
    return result;
  };

  try {
    for (;;) {
      if (stop.signal.aborted) break;
      if (queue.length === 0) {
        if (readerDone) break;
        await Promise.race([
          new Promise<void>((r) => {
            wake = r;
          }),
          lockLost,
        ]);
        continue;
      }
      const take = queue.splice(0, maxBatch);
      for (const t of take) queued -= t.raw.xdr.byteLength;
      space();
      const ledgers: LedgerRows[] = [];
      const checks: BatchContext["checks"] = [];
      let failure: unknown;
      for (const item of take) {
        try {
          ledgers.push(accept(item.raw, await item.result, checks));
        } catch (err) {
          failure = err;
          break;
        }
      }
      // Ledgers before a bad one are good: commit them, then stop with the error.
      if (ledgers.length > 0) {
        const result = await commit(ledgers, checks);
        if (failure) throw failure;
        if (opts.end !== undefined && result.last >= opts.end) {
          summary.stoppedBy = "end";
          break;
        }
      } else if (failure) {
        throw failure;
      }
    }
  } finally {
    stop.abort();
    space();
    await reader;
  }
  if (readerError) throw readerError;
  // Stopped by a lost connection, not by the caller: never a quiet success.
  if (stop.signal.reason instanceof HotConnectionLost) throw stop.signal.reason;
  if (summary.stoppedBy !== "end" && opts.signal?.aborted) summary.stoppedBy = "signal";
}
