/** The flusher's Prometheus metrics (names unchanged since the flush command defined them). */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export class FlushMetrics {
  readonly registry = new Registry();
  readonly flushes = new Counter({
    name: "flusher_flush_count",
    help: "Flushes that moved data",
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "flusher_errors_total",
    help: "Failed flushes",
    registers: [this.registry],
  });
  readonly watermark = new Gauge({
    name: "flusher_last_watermark",
    help: "Highest ledger in cold storage",
    registers: [this.registry],
  });
  readonly rows = new Counter({
    name: "flusher_rows_flushed_total",
    help: "Rows moved per table",
    labelNames: ["table"],
    registers: [this.registry],
  });
  readonly seconds = new Histogram({
    name: "flusher_flush_duration_seconds",
    help: "Flush duration",
    registers: [this.registry],
  });
  readonly compactions = new Counter({
    name: "flusher_compactions_total",
    help: "Compaction runs (with cleanup of replaced files)",
    registers: [this.registry],
  });
  readonly files = new Gauge({
    name: "flusher_lake_files",
    help: "Live data files per bronze table",
    labelNames: ["table"],
    registers: [this.registry],
  });
  readonly pending = new Gauge({
    name: "flusher_hot_rows_pending",
    help: "Rows in the hot buffer",
    labelNames: ["table"],
    registers: [this.registry],
  });
}
