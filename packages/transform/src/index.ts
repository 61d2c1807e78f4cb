export { type ChangeInput, changeInput } from "./changes/snapshot";
export { changeTables } from "./changes/tables";
export { decodeLedger, type HotLedger, hotRowsOf, hotTables, LedgerDecodeError } from "./hot-rows";
export { ledgersRows } from "./tables/ledgers";
export { operationsRows } from "./tables/operations";
export { transactionsRows } from "./tables/transactions";
