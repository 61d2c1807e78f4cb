export { CopyEncodingError, copyStatement, encodeRows } from "@stellar-lake/schema";
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
export { copyRows, type LedgerRows, writeBatch } from "./hot-writer";
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
export { coldStateReader, ingesterHealth, runIngesterService } from "./service";
export { TransformPool } from "./transform-pool";
