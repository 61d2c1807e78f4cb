export { datastoreBackend, type LedgerBackend } from "./backend";
export {
  type Ledger,
  LedgerGapError,
  SequenceMismatchError,
  SourceError,
  type StreamOptions,
  streamLedgers,
  UnreadableLedgersError,
} from "./client";
export { DirectoryDatastore } from "./datastore/directory";
export { HttpDatastore } from "./datastore/http";
export { fileKeyFor, type Manifest, ManifestError, parseManifest } from "./datastore/layout";
export {
  availableRange,
  CorruptFileError,
  GapError,
  type LedgerRange,
  readLedgers,
} from "./datastore/reader";
export type { Datastore } from "./datastore/store";
export { resequence, writeDatastore } from "./datastore/writer";
export { SourceMetrics } from "./metrics";
export { openDatastoreAt } from "./open";
export { MAX_MESSAGE_BYTES, METHOD_PATH, SERVICE_NAME } from "./proto";
export { RpcBackend, RpcError } from "./rpc-backend";
export { type SourceServer, startSourceServer } from "./server";
