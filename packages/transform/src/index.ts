export { type ChangeInput, changeInput } from "./changes/snapshot";
export { changeTables } from "./changes/tables";
export { type LedgerEffect, ledgerEffects } from "./effects/index";
export { TRANSFORM_RESOURCE_LIMITS } from "./heap";
export {
  decodeLedger,
  type HotLedger,
  hotRowsOf,
  hotTables,
  type LedgerCheck,
  LedgerDecodeError,
  tokenTransferCheck,
} from "./hot-rows";
export { headerCorruption, ledgerCorruption } from "./integrity";
export { toGoJson, toJson } from "./ndjson";
export { SUPPORTED_PROTOCOL, UnsupportedProtocolError } from "./protocol";
export { effectsRecords, effectsRows } from "./tables/effects";
export { ledgersRecords, ledgersRows } from "./tables/ledgers";
export { operationsRecords, operationsRows } from "./tables/operations";
export { tokenTransfersRecords, tokenTransfersRows } from "./tables/token_transfers";
export { transactionsRecords, transactionsRows } from "./tables/transactions";
export { ledgerTokenTransfers, type TokenTransfer, TransferTopic } from "./token-transfers/index";
export { type BalanceMismatch, type Reconciliation, reconcileTokenTransfers } from "./token-transfers/verify";
export {
  type OutputFormat,
  TransformInputError,
  type TransformSummary,
  transformFiles,
} from "./transform-files";
