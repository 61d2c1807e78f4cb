/**
 * The change, trade and event tables of this package in one list (hot-buffer table, Hubble export name,
 * row and record functions), for the transform registry and the CLI.
 */
import { accountSignersRecords, accountSignersRows } from "../tables/account_signers";
import { accountsRecords, accountsRows } from "../tables/accounts";
import { claimableBalancesRecords, claimableBalancesRows } from "../tables/claimable_balances";
import { configSettingsRecords, configSettingsRows } from "../tables/config_settings";
import { contractCodeRecords, contractCodeRows } from "../tables/contract_code";
import { contractDataRecords, contractDataRows } from "../tables/contract_data";
import { contractEventsRecords, contractEventsRows } from "../tables/contract_events";
import { evictedKeysRows } from "../tables/evicted_keys";
import { liquidityPoolsRecords, liquidityPoolsRows } from "../tables/liquidity_pools";
import { nativeBalancesRows } from "../tables/native_balances";
import { offersRecords, offersRows } from "../tables/offers";
import { restoredKeysRecords, restoredKeysRows } from "../tables/restored_keys";
import { tradesRecords, tradesRows } from "../tables/trades";
import { trustlinesRecords, trustlinesRows } from "../tables/trustlines";
import { ttlRecords, ttlRows } from "../tables/ttl";
import type { ChangeInput } from "./snapshot";

export interface ChangeTable {
  /** Hot-buffer table name (packages/schema catalog). */
  readonly table: string;
  readonly rows: (ctx: ChangeInput) => object[];
  /** stellar-etl export name for `--format hubble`, when Hubble has one. */
  readonly hubble?: string;
  readonly records?: (ctx: ChangeInput) => Record<string, unknown>[];
}

export const changeTables: readonly ChangeTable[] = [
  { table: "trades_row_v1", rows: tradesRows, hubble: "history_trades", records: tradesRecords },
  { table: "accounts_snapshot_v1", rows: accountsRows, hubble: "accounts", records: accountsRecords },
  {
    table: "trustlines_snapshot_v1",
    rows: trustlinesRows,
    hubble: "trust_lines",
    records: trustlinesRecords,
  },
  { table: "native_balances_snapshot_v1", rows: nativeBalancesRows },
  {
    table: "account_signers_snapshot_v1",
    rows: accountSignersRows,
    hubble: "account_signers",
    records: accountSignersRecords,
  },
  { table: "offers_snapshot_v1", rows: offersRows, hubble: "offers", records: offersRecords },
  {
    table: "claimable_balances_snapshot_v1",
    rows: claimableBalancesRows,
    hubble: "claimable_balances",
    records: claimableBalancesRecords,
  },
  {
    table: "liquidity_pools_snapshot_v1",
    rows: liquidityPoolsRows,
    hubble: "liquidity_pools",
    records: liquidityPoolsRecords,
  },
  {
    table: "contract_events_stream_v1",
    rows: contractEventsRows,
    hubble: "history_contract_events",
    records: contractEventsRecords,
  },
  {
    table: "contract_data_snapshot_v1",
    rows: contractDataRows,
    hubble: "contract_data",
    records: contractDataRecords,
  },
  {
    table: "contract_code_snapshot_v1",
    rows: contractCodeRows,
    hubble: "contract_code",
    records: contractCodeRecords,
  },
  {
    table: "config_settings_snapshot_v1",
    rows: configSettingsRows,
    hubble: "config_settings",
    records: configSettingsRecords,
  },
  { table: "ttl_snapshot_v1", rows: ttlRows, hubble: "ttl", records: ttlRecords },
  // Hubble has no evicted-keys table (they are history_ledgers.evicted_ledger_keys_*).
  { table: "evicted_keys_state_v1", rows: evictedKeysRows },
  {
    table: "restored_keys_state_v1",
    rows: restoredKeysRows,
    hubble: "restored_key",
    records: restoredKeysRecords,
  },
];
