export {
  type ContainerKind,
  detectContainer,
  encodeBatch,
  encodeFramed,
  type LedgerBlob,
  readLedgerFile,
  splitLedgers,
} from "./containers";
export { LedgerFileError } from "./errors";
export {
  HeaderPeekError,
  type LedgerHeaderLayout,
  type LedgerHeaderPeek,
  ledgerHeaderLayout,
  peekLedgerHeader,
  peekLedgerSequence,
  withHeaderProtocol,
} from "./header";
export { compressZstd, decompressZstd, isZstd } from "./zstd";
