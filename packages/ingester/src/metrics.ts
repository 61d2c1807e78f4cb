import { Counter, Gauge, Histogram, Registry } from "prom-client";

export class IngestMetrics {
  readonly registry = new Registry();
  readonly ledgers = new Counter({
    name: "ingester_ledgers_total",
    help: "Ledgers committed to the hot buffer",
    registers: [this.registry],
  });
  readonly rows = new Counter({
    name: "ingester_rows_total",
    help: "Rows committed per table",
    labelNames: ["table"],
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: "ingester_copy_bytes_total",
    help: "COPY payload bytes",
    registers: [this.registry],
  });
  readonly batchLedgers = new Histogram({
    name: "ingester_batch_ledgers",
    help: "Ledgers per committed batch",
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
    registers: [this.registry],
  });
  readonly batchSeconds = new Histogram({
    name: "ingester_batch_duration_seconds",
    help: "Time to write and commit one batch",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly checkpoint = new Gauge({
    name: "ingester_checkpoint_ledger",
    help: "Last committed ledger",
    registers: [this.registry],
  });
  readonly sourceSequence = new Gauge({
    name: "ingester_source_ledger",
    help: "Newest ledger received from the source",
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: "ingester_lag_ledgers",
    help: "Newest ledger received from the source minus the checkpoint",
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "ingester_errors_total",
    help: "Errors by kind",
    labelNames: ["kind"],
    registers: [this.registry],
  });
  readonly unsupportedProtocol = new Gauge({
    name: "ingester_unsupported_protocol",
    help: "Protocol of the ledger the ingester stopped before because this build cannot read it (0: none)",
    registers: [this.registry],
  });
  readonly skipped = new Counter({
    name: "ingester_skipped_ledgers_total",
    help: "Poison ledgers skipped with --skip-bad-ledgers",
    registers: [this.registry],
  });
}
