/** The ingester as a service: logs, /health + /metrics, signals, progress, and a summary at the end. */
import { readColdState } from "@stellar-lake/pipeline-state";
import { createLogger, shutdownSignal, sleep, startStatusServer } from "@stellar-lake/runtime";
import type { IngesterConfig } from "./config";
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
  const signal = shutdownSignal((sig) => log.warn({ signal: sig }, "stopping: finishing the open batch"));
  const coldState = deps.coldState ?? coldStateReader(cfg);
  const state = {
    ready: false,
    checkpoint: 0,
    lastCommitAt: null as string | null,
    resumeAt: null as number | null,
    error: null as string | null,
  };
  const status = await startStatusServer({
    port: cfg.healthPort,
    registry: metrics.registry,
    health: () => ({
      live: true,
      ready: state.ready,
      checkpoint: state.checkpoint,
      resume_at: state.resumeAt,
      last_commit_at: state.lastCommitAt,
      source: cfg.source,
      network: cfg.network,
      error: state.error,
    }),
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
        if (!(err instanceof StartError) || cfg.end !== undefined || signal.aborted) throw err;
        state.error = err.message;
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
        onReady: ({ resumeAt }) => {
          state.ready = true;
          state.error = null;
          state.resumeAt = resumeAt;
          if (cfg.end !== undefined && process.stderr.isTTY) bar = progressBar(resumeAt, cfg.end);
        },
        onCommit: ({ first, last, rows }) => {
          state.checkpoint = last;
          state.lastCommitAt = new Date().toISOString();
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
