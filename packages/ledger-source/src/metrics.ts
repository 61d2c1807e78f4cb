import { Counter, Gauge, Registry } from "prom-client";

export class SourceMetrics {
  readonly registry = new Registry();
  readonly ledgersSent = new Counter({
    name: "source_ledgers_sent_total",
    help: "Ledgers sent to clients",
    registers: [this.registry],
  });
  readonly bytesSent = new Counter({
    name: "source_bytes_sent_total",
    help: "LedgerCloseMeta bytes sent",
    registers: [this.registry],
  });
  readonly filesRead = new Counter({
    name: "source_files_read_total",
    help: "Datastore files read",
    registers: [this.registry],
  });
  readonly fileBytes = new Counter({
    name: "source_file_bytes_read_total",
    help: "Datastore bytes read (compressed)",
    registers: [this.registry],
  });
  readonly currentSequence = new Gauge({
    name: "source_current_sequence",
    help: "Last ledger sent to any client",
    registers: [this.registry],
  });
  readonly latestAvailable = new Gauge({
    name: "source_latest_available_ledger",
    help: "Newest ledger in the datastore",
    registers: [this.registry],
  });
  readonly clients = new Gauge({
    name: "source_clients",
    help: "Open StreamRawLedgers calls",
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "source_errors_total",
    help: "Streams ended by an error",
    labelNames: ["code"],
    registers: [this.registry],
  });
}
