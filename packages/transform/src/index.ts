export { type ChangeInput, changeInput } from "./changes/snapshot";
export { changeTables } from "./changes/tables";
export { type LedgerEffect, ledgerEffects } from "./effects/index";
export { TRANSFORM_RESOURCE_LIMITS } from "./heap";
export { decodeLedger, type HotLedger, hotRowsOf, hotTables, LedgerDecodeError } from "./hot-rows";
export { ledgerCorruption } from "./integrity";
export { toGoJson, toJson } from "./ndjson";
export { effectsRecords, effectsRows } from "./tables/effects";
export { ledgersRecords, ledgersRows } from "./tables/ledgers";
export { operationsRecords, operationsRows } from "./tables/operations";
export { transactionsRecords, transactionsRows } from "./tables/transactions";
export {
  type OutputFormat,
  TransformInputError,
  type TransformSummary,
  transformFiles,
} from "./transform-files";
