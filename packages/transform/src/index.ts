export { type ChangeInput, changeInput } from "./changes/snapshot";
export { changeTables } from "./changes/tables";
export { type LedgerEffect, ledgerEffects } from "./effects/index";
export { decodeLedger, type HotLedger, hotRowsOf, hotTables, LedgerDecodeError } from "./hot-rows";
export { toJson } from "./ndjson";
export { effectsRecords, effectsRows } from "./tables/effects";
export { ledgersRows } from "./tables/ledgers";
export { operationsRows } from "./tables/operations";
export { transactionsRows } from "./tables/transactions";
export {
  type OutputFormat,
  TransformInputError,
  type TransformSummary,
  transformFiles,
} from "./transform-files";
