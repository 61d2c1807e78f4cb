/** The ingester as a service: logs, /health + /metrics, signals, progress, and a summary at the end. */
import { readColdState } from "@stellar-lake/pipeline-state";
import {
  createLogger,
  HealthReasons,
  type HealthReport,
  shutdownSignal,
  sleep,
  startStatusServer,
} from "@stellar-lake/runtime";
import type { IngesterConfig } from "./config";
import { BehindProtocolError } from "./errors";
import {
  emptySummary,
  type IngestSummary,
  ingest,
  type LedgerSource,
  type LedgerTransformer,
} from "./ingester";
import { IngestMetrics } from "./metrics";
import { progressBar } from "./progress";
import type { ColdState } from "./recovery";
import { StartError } from "./recovery";

export interface IngesterDeps {
  databaseUrl: string;
  source: LedgerSource;
  transform: LedgerTransformer;
  /** The cold watermark read (default: from the configuration, see `coldStateReader`). */
  coldState?: () => Promise<ColdState | undefined>;
  pipelineVersion: string;
  /** Stops the service (default: the first SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** Health of a running ingester from what it last did; `now` in ms. */
export function ingesterHealth(
  s: {
    ready: boolean;
    readyAt: number | null;
    checkpoint: number;
    received: number;
    lastCommitAt: number | null;
    lastReceiveAt: number | null;
  },
  stallAfterMs: number,
  now: number,
  reasons: HealthReasons,
): { live: boolean } {
  if (!s.ready || s.readyAt === null) {
    reasons.clear("stalled");
    reasons.clear("source_silent");
    return { live: true };
  }
  const sinceCommit = now - Math.max(s.lastCommitAt ?? 0, s.readyAt);
  const sinceReceive = now - Math.max(s.lastReceiveAt ?? 0, s.readyAt);
  // Ledgers wait for the writer but none was committed for the whole window: the writer is wedged (a lock it
  // waits for, a hung connection). Not live: restarting is the cure.
  const stalled = s.received > s.checkpoint && sinceCommit > stallAfterMs;
  if (stalled)
    reasons.set(
      "stalled",
      `ledgers up to ${s.received} received but nothing committed for ${Math.round(sinceCommit / 1000)} s (checkpoint ${s.checkpoint})`,
    );
  else reasons.clear("stalled");
  // Nothing arrives: the ingester falls behind the network through no fault of its own (the source's health
  // says why); not ready, but restarting it would not help.
  if (sinceReceive > stallAfterMs)
    reasons.set(
      "source_silent",
      `no ledger from the source for ${Math.round(sinceReceive / 1000)} s (checkpoint ${s.checkpoint})`,
    );
  else reasons.clear("source_silent");
  return { live: !stalled };
}

/**
 * The cold watermark read the configuration asks for: the catalog at DUCKLAKE_CATALOG_URL, in the schema
 * DUCKLAKE_METADATA_SCHEMA (undefined without a catalog URL: no cold storage to rewind to).
 */
export function coldStateReader(
  cfg: Pick<IngesterConfig, "catalogUrl" | "catalogSchema">,
): (() => Promise<ColdState | undefined>) | undefined {
  const url = cfg.catalogUrl;
  return url ? () => readColdState(url, cfg.catalogSchema) : undefined;
}

export async function runIngesterService(cfg: IngesterConfig, deps: IngesterDeps): Promise<IngestSummary> {
  const log = createLogger("ingester");
  const metrics = new IngestMetrics();
  const signal =
    deps.signal ?? shutdownSignal((sig) => log.warn({ signal: sig }, "stopping: finishing the open batch"));
  const coldState = deps.coldState ?? coldStateReader(cfg);
  const state = {
    ready: false,
    readyAt: null as number | null,
    checkpoint: 0,
    received: 0,
    lastCommitAt: null as number | null,
    lastReceiveAt: null as number | null,
    resumeAt: null as number | null,
  };
  const reasons = new HealthReasons();
  reasons.set("starting", "taking the writer lock and planning where to resume");
  const status = await startStatusServer({
    port: cfg.healthPort,
    registry: metrics.registry,
    health: (): HealthReport => {
      const { live } = ingesterHealth(state, cfg.stallAfterMs, Date.now(), reasons);
      return {
        live,
        ready: state.ready,
        reasons: reasons.list(),
        checkpoint: state.checkpoint,
        received: state.received,
        resume_at: state.resumeAt,
        last_commit_at: state.lastCommitAt === null ? null : new Date(state.lastCommitAt).toISOString(),
        source: cfg.source,
        network: cfg.network,
      };
    },
  });
  log.info(
    { port: status.port, source: cfg.source, network: cfg.network },
    "ingester health on /health, /metrics",
  );
  let bar: ReturnType<typeof progressBar> | undefined;
  let done = 0;
  try {
    for (;;) {
      try {
        return await runOnce();
      } catch (err) {
        // A long-running ingester with nowhere to start (no checkpoint, no --start, no cold storage yet) stays
        // up, not ready, and tries again: the flusher may create the catalog, or an operator fix the config.
        if (err instanceof BehindProtocolError && !signal.aborted) {
          // Stay up, not ready: /health says why (behind_protocol) and the gauge which protocol; the checkpoint
          // is the ledger before it, so an upgraded build resumes there. Nothing to retry until then.
          state.ready = false;
          reasons.clear("starting");
          reasons.set("behind_protocol", err.message);
          metrics.unsupportedProtocol.set(err.protocol);
          log.error({ ledger: err.sequence, protocol: err.protocol }, err.message);
          if (cfg.end !== undefined) throw err;
          await new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true }));
          return emptySummary("signal");
        }
        if (!(err instanceof StartError) || cfg.end !== undefined || signal.aborted) throw err;
        reasons.clear("starting");
        reasons.set("start_error", err.message);
        log.error({ retry_in_s: 10 }, err.message);
        await sleep(10_000, signal);
        if (signal.aborted) return emptySummary("signal");
      }
    }
  } finally {
    bar?.finish();
    await status.close();
    log.flush();
  }

  async function runOnce(): Promise<IngestSummary> {
    const summary = await ingest(
      {
        databaseUrl: deps.databaseUrl,
        ...(cfg.start !== undefined ? { start: cfg.start } : {}),
        ...(cfg.end !== undefined ? { end: cfg.end } : {}),
        skipBadLedgers: cfg.skipBadLedgers,
        eraId: cfg.eraId,
        versionLabel: cfg.versionLabel,
        pipelineVersion: deps.pipelineVersion,
        network: cfg.network,
        maxBatchLedgers: cfg.maxBatchLedgers,
        queueBytes: cfg.queueMiB * 2 ** 20,
        ...(coldState ? { coldState } : {}),
        log,
        metrics,
        signal,
        onStandby: (detail) => {
          reasons.clear("starting");
          reasons.set("standby", detail);
        },
        onReceive: (sequence) => {
          state.received = sequence;
          state.lastReceiveAt = Date.now();
        },
        onReady: ({ resumeAt }) => {
          state.ready = true;
          state.readyAt = Date.now();
          for (const r of ["starting", "standby", "start_error"]) reasons.clear(r);
          state.resumeAt = resumeAt;
          state.checkpoint = resumeAt - 1;
          if (cfg.end !== undefined && process.stderr.isTTY) bar = progressBar(resumeAt, cfg.end);
        },
        onCommit: ({ first, last, rows }) => {
          state.checkpoint = last;
          state.lastCommitAt = Date.now();
          done += last - first + 1;
          if (bar) bar.update(done);
          else log.debug({ first, last, rows }, "committed");
        },
      },
      deps.source,
      deps.transform,
    );
    bar?.update(done, true);
    bar?.finish();
    log.info(
      {
        ledgers: summary.ledgers,
        first: summary.firstLedger ?? null,
        last: summary.lastLedger ?? null,
        rows: summary.rows,
        batches: summary.batches,
        seconds: summary.seconds,
        ledgers_per_s: summary.seconds > 0 ? +(summary.ledgers / summary.seconds).toFixed(1) : null,
        skipped: summary.skipped,
        stopped_by: summary.stoppedBy,
      },
      "ingestion finished",
    );
    return summary;
  }
}
