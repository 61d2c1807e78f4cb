export { CopyEncodingError, copyStatement, encodeRows } from "@stellar-lake/schema";
export { readColdState } from "./cold-state";
export { ConfigError, INGEST_HELP, type IngesterConfig, parseIngesterConfig } from "./config";
export {
  BehindProtocolError,
  ChainError,
  HotConnectionLost,
  IngestError,
  PoisonLedgerError,
  SequenceError,
} from "./errors";
export { createTransformer } from "./hot-transformer";
export {
  type Checkpoint,
  copyRows,
  type LedgerRows,
  PIPELINE,
  readCheckpoint,
  writeBatch,
} from "./hot-writer";
export {
  type IngestOptions,
  type IngestSummary,
  ingest,
  type LedgerSource,
  type LedgerTransformer,
  type Logger,
  type RawLedger,
} from "./ingester";
export { IngestMetrics } from "./metrics";
export { type ColdState, planStart, StartError } from "./recovery";
export { ingesterHealth, runIngesterService } from "./service";
export { TransformPool } from "./transform-pool";
export { acquireWriterLock, FLUSHER_LOCK_KEY, INGESTER_LOCK_KEY } from "./writer-lock";
