/**
 * The table catalog: the single source of truth for the hot buffer (PostgreSQL) and the DuckLake bronze
 * tables. Column lists follow ../shared/reference/hot-buffer-schema.md (Part B for the 5 core tables, Part A
 * for the rest and for the metadata tables); every added column or relaxed constraint carries a `note`.
 * Migrations, COPY column lists, bronze DDL, API projections and the TypeScript row types derive from here.
 */
import { type ColumnDef, columns, type DatasetInfo, type TableDef, type TableKind } from "./catalog-dsl";

const INITIAL = "0001";

const ledgerEntryChange = {
  name: "ledger_entry_change",
  pg: "INTEGER",
  nullable: false,
  note: "Hubble's change type of the row (LedgerEntryChangeType): 0 created, 1 updated, 2 removed, 3 state, 4 restored",
} as const;
/** Hubble's removal flag and change type, for snapshot tables whose contract columns lack them. */
const removalCols = [
  {
    name: "deleted",
    pg: "BOOLEAN",
    nullable: false,
    note: "Hubble's removal flag: a removed entry is a row with deleted = true, never a live-looking row",
  } as const,
  ledgerEntryChange,
];

interface DataTableSpec {
  kind: TableKind;
  /** The migration that created the table (default: 0001). */
  since?: string;
  key: string[];
  keyNote: string;
  fillfactor?: number;
  dataset: DatasetInfo;
  columns: ColumnDef[];
}

function dataTable(name: string, spec: DataTableSpec): TableDef {
  return {
    name,
    kind: spec.kind,
    sequenceColumn: name === "ledgers_row_v2" ? "sequence" : "ledger_sequence",
    columns: spec.columns,
    key: spec.key,
    keyNote: spec.keyNote,
    unlogged: true,
    ...(spec.fillfactor ? { fillfactor: spec.fillfactor } : {}),
    dataset: spec.dataset,
    since: spec.since ?? INITIAL,
  };
}

/** Migration 0007: the token transfers table (issue 20). */
const TOKEN_TRANSFERS = "0007";

const bronze = (domain: string, grain: string, purpose: string): DatasetInfo => ({
  tier: "bronze",
  domain,
  grain,
  purpose,
});

export const dataTables: readonly TableDef[] = [
  dataTable("ledgers_row_v2", {
    kind: "stream",
    key: ["sequence"],
    keyNote: "one row per closed ledger",
    dataset: bronze("ledgers", "one row per ledger", "ledger headers with transaction and operation counts"),
    columns: columns(
      INITIAL,
      `
      sequence BIGINT NOT NULL
      ledger_hash TEXT NOT NULL
      previous_ledger_hash TEXT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      protocol_version INTEGER NOT NULL
      total_coins BIGINT NOT NULL
      fee_pool BIGINT NOT NULL
      base_fee INTEGER NOT NULL
      base_reserve INTEGER NOT NULL
      max_tx_set_size INTEGER NOT NULL
      successful_tx_count INTEGER NOT NULL
      failed_tx_count INTEGER NOT NULL
      ingestion_timestamp TIMESTAMPTZ
      ledger_range BIGINT NOT NULL
      transaction_count INTEGER NOT NULL
      operation_count INTEGER NOT NULL
      tx_set_operation_count INTEGER NOT NULL
      soroban_fee_write1kb BIGINT
      node_id TEXT
      signature TEXT
      ledger_header TEXT NOT NULL
      bucket_list_size BIGINT
      live_soroban_state_size BIGINT
      evicted_keys_count INTEGER
      era_id TEXT
      version_label TEXT
      `,
    ),
  }),
  dataTable("transactions_row_v2", {
    kind: "stream",
    key: ["ledger_sequence", "transaction_hash"],
    keyNote:
      "a transaction hash is unique on a network, but re-sequenced test data repeats hashes across ledgers",
    dataset: bronze(
      "transactions",
      "one row per transaction",
      "transactions with envelopes, results and fees",
    ),
    columns: columns(
      INITIAL,
      `
      ledger_sequence BIGINT NOT NULL
      transaction_hash TEXT NOT NULL
      source_account TEXT NOT NULL
      fee_charged BIGINT NOT NULL
      max_fee BIGINT NOT NULL
      successful BOOLEAN NOT NULL
      transaction_result_code TEXT NOT NULL
      operation_count INTEGER NOT NULL
      memo_type TEXT NOT NULL
      memo TEXT
      created_at TIMESTAMPTZ NOT NULL
      account_sequence BIGINT NOT NULL
      ledger_range BIGINT NOT NULL
      source_account_muxed TEXT
      fee_account_muxed TEXT
      inner_transaction_hash TEXT
      fee_bump_fee BIGINT
      max_fee_bid BIGINT
      inner_source_account TEXT
      timebounds_min_time BIGINT
      timebounds_max_time BIGINT
      ledgerbounds_min BIGINT
      ledgerbounds_max BIGINT
      min_sequence_number BIGINT
      min_sequence_age BIGINT
      soroban_resources_instructions BIGINT
      soroban_resources_read_bytes BIGINT
      soroban_resources_write_bytes BIGINT
      soroban_data_size_bytes INTEGER
      soroban_data_resources TEXT
      soroban_fee_base BIGINT
      soroban_fee_resources BIGINT
      soroban_fee_refund BIGINT
      soroban_fee_charged BIGINT
      soroban_fee_wasted BIGINT
      soroban_host_function_type TEXT
      soroban_contract_id TEXT
      soroban_contract_events_count INTEGER
      signatures_count INTEGER NOT NULL
      new_account BOOLEAN NOT NULL
      tx_envelope TEXT NOT NULL
      tx_result TEXT NOT NULL
      tx_meta TEXT NOT NULL
      tx_fee_meta TEXT NOT NULL
      tx_signers TEXT
      extra_signers TEXT
      era_id TEXT
      version_label TEXT
      `,
      {
        add: [
          {
            name: "transaction_id",
            pg: "BIGINT",
            nullable: false,
            note: "Hubble's transaction TOID: stable cursor order and joins with Hubble data",
          },
        ],
      },
    ),
  }),
  dataTable("operations_row_v2", {
    kind: "stream",
    key: ["ledger_sequence", "transaction_hash", "operation_index"],
    keyNote: "an operation is its transaction plus its index in it",
    dataset: bronze(
      "operations",
      "one row per operation",
      "operations with typed columns and Hubble details",
    ),
    columns: columns(
      INITIAL,
      `
      transaction_hash TEXT NOT NULL
      operation_index INTEGER NOT NULL
      ledger_sequence BIGINT NOT NULL
      source_account TEXT NOT NULL
      type INTEGER NOT NULL
      type_string TEXT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      transaction_successful BOOLEAN NOT NULL
      operation_result_code TEXT
      operation_trace_code TEXT
      ledger_range BIGINT NOT NULL
      source_account_muxed TEXT
      asset TEXT
      asset_type TEXT
      asset_code TEXT
      asset_issuer TEXT
      source_asset TEXT
      source_asset_type TEXT
      source_asset_code TEXT
      source_asset_issuer TEXT
      amount BIGINT
      source_amount BIGINT
      destination_min BIGINT
      starting_balance BIGINT
      destination TEXT
      trustline_limit BIGINT
      trustor TEXT
      authorize BOOLEAN
      authorize_to_maintain_liabilities BOOLEAN
      trust_line_flags INTEGER
      balance_id TEXT
      claimants_count INTEGER
      sponsored_id TEXT
      offer_id BIGINT
      price TEXT
      price_r TEXT
      buying_asset TEXT
      buying_asset_type TEXT
      buying_asset_code TEXT
      buying_asset_issuer TEXT
      selling_asset TEXT
      selling_asset_type TEXT
      selling_asset_code TEXT
      selling_asset_issuer TEXT
      soroban_operation TEXT
      soroban_function TEXT
      soroban_contract_id TEXT
      soroban_auth_required BOOLEAN
      bump_to BIGINT
      set_flags INTEGER
      clear_flags INTEGER
      home_domain TEXT
      master_weight INTEGER
      low_threshold INTEGER
      medium_threshold INTEGER
      high_threshold INTEGER
      data_name TEXT
      data_value TEXT
      era_id TEXT
      version_label TEXT
      `,
      {
        add: [
          { name: "operation_id", pg: "BIGINT", nullable: false, note: "Hubble's operation TOID" },
          {
            name: "details",
            pg: "TEXT",
            nullable: true,
            note: "the full Hubble details object as JSON text: lossless for every operation type",
          },
        ],
      },
    ),
  }),
  dataTable("effects_row_v1", {
    kind: "stream",
    key: ["ledger_sequence", "effect_id"],
    keyNote: "Hubble's effect id is '<operation TOID>-<index>'",
    dataset: bronze("effects", "one row per effect", "every Hubble/Horizon effect of successful operations"),
    columns: columns(
      INITIAL,
      `
      ledger_sequence BIGINT NOT NULL
      transaction_hash TEXT NOT NULL
      operation_index INTEGER NOT NULL
      effect_index INTEGER NOT NULL
      effect_type INTEGER NOT NULL
      effect_type_string TEXT NOT NULL
      account_id TEXT
      amount TEXT
      asset_code TEXT
      asset_issuer TEXT
      asset_type TEXT
      trustline_limit TEXT
      authorize_flag BOOLEAN
      clawback_flag BOOLEAN
      signer_account TEXT
      signer_weight INTEGER
      offer_id BIGINT
      seller_account TEXT
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      {
        add: [
          {
            name: "effect_id",
            pg: "TEXT",
            nullable: false,
            note: "Hubble's effect id '<operation TOID>-<index>'",
          },
          { name: "operation_id", pg: "BIGINT", nullable: false, note: "Hubble's operation TOID" },
          {
            name: "details",
            pg: "TEXT",
            nullable: true,
            note: "the full Hubble details object as JSON text",
          },
        ],
      },
    ),
  }),
  dataTable("trades_row_v1", {
    kind: "stream",
    key: ["ledger_sequence", "transaction_hash", "operation_index", "trade_index"],
    keyNote: "a trade is one claim atom of an operation's result, in result order",
    dataset: bronze("dex", "one row per claimed offer or pool swap", "order book and liquidity pool trades"),
    columns: columns(
      INITIAL,
      `
      ledger_sequence BIGINT NOT NULL
      transaction_hash TEXT NOT NULL
      operation_index INTEGER NOT NULL
      trade_index INTEGER NOT NULL
      trade_type TEXT NOT NULL
      trade_timestamp TIMESTAMPTZ NOT NULL
      seller_account TEXT
      selling_asset_code TEXT
      selling_asset_issuer TEXT
      selling_amount TEXT NOT NULL
      buyer_account TEXT
      buying_asset_code TEXT
      buying_asset_issuer TEXT
      buying_amount TEXT NOT NULL
      price TEXT
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      {
        add: [
          { name: "history_operation_id", pg: "BIGINT", nullable: false, note: "Hubble's operation TOID" },
          {
            name: "selling_asset_type",
            pg: "TEXT",
            nullable: false,
            note: "native assets have no code/issuer",
          },
          {
            name: "buying_asset_type",
            pg: "TEXT",
            nullable: false,
            note: "native assets have no code/issuer",
          },
          { name: "selling_offer_id", pg: "BIGINT", nullable: true, note: "the claimed offer (order book)" },
          { name: "buying_offer_id", pg: "BIGINT", nullable: true, note: "the taker's offer id (Hubble)" },
          { name: "liquidity_pool_id", pg: "TEXT", nullable: true, note: "pool of a liquidity pool trade" },
          { name: "liquidity_pool_fee", pg: "BIGINT", nullable: true, note: "pool fee in basis points" },
          { name: "price_n", pg: "BIGINT", nullable: true, note: "exact price numerator" },
          { name: "price_d", pg: "BIGINT", nullable: true, note: "exact price denominator" },
        ],
      },
    ),
  }),
  dataTable("accounts_snapshot_v1", {
    kind: "snapshot",
    key: ["account_id", "ledger_sequence"],
    keyNote: "the post-state of an account as of a ledger (last change within the ledger wins)",
    fillfactor: 90,
    dataset: bronze("accounts", "one row per changed account per ledger", "account state changes"),
    columns: columns(
      INITIAL,
      `
      account_id TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      balance TEXT NOT NULL
      sequence_number BIGINT NOT NULL
      num_subentries INTEGER NOT NULL
      num_sponsoring INTEGER NOT NULL
      num_sponsored INTEGER NOT NULL
      home_domain TEXT
      master_weight INTEGER NOT NULL
      low_threshold INTEGER NOT NULL
      med_threshold INTEGER NOT NULL
      high_threshold INTEGER NOT NULL
      flags INTEGER NOT NULL
      auth_required BOOLEAN NOT NULL
      auth_revocable BOOLEAN NOT NULL
      auth_immutable BOOLEAN NOT NULL
      auth_clawback_enabled BOOLEAN NOT NULL
      signers TEXT
      sponsor_account TEXT
      created_at TIMESTAMPTZ NOT NULL
      updated_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: removalCols },
    ),
  }),
  dataTable("trustlines_snapshot_v1", {
    kind: "snapshot",
    key: ["account_id", "asset_code", "asset_issuer", "liquidity_pool_id", "ledger_sequence"],
    keyNote:
      "a trust line is its account plus its asset, or plus its pool for pool-share trust lines (which have no asset code/issuer)",
    fillfactor: 90,
    dataset: bronze("accounts", "one row per changed trust line per ledger", "trust line state changes"),
    columns: columns(
      INITIAL,
      `
      account_id TEXT NOT NULL
      asset_code TEXT NOT NULL
      asset_issuer TEXT NOT NULL
      asset_type TEXT NOT NULL
      balance TEXT NOT NULL
      trust_limit TEXT NOT NULL
      buying_liabilities TEXT NOT NULL
      selling_liabilities TEXT NOT NULL
      authorized BOOLEAN NOT NULL
      authorized_to_maintain_liabilities BOOLEAN NOT NULL
      clawback_enabled BOOLEAN NOT NULL
      ledger_sequence BIGINT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      {
        relaxNotNull: ["asset_code", "asset_issuer"],
        add: [
          {
            name: "liquidity_pool_id",
            pg: "TEXT",
            nullable: true,
            note: "pool-share trust lines are identified by their pool (hex id)",
          },
          ...removalCols,
        ],
      },
    ),
  }),
  dataTable("native_balances_snapshot_v1", {
    kind: "snapshot",
    key: ["account_id", "ledger_sequence"],
    keyNote: "the native balance of an account as of a ledger",
    fillfactor: 90,
    dataset: bronze(
      "accounts",
      "one row per changed account per ledger",
      "native XLM balances and liabilities",
    ),
    columns: columns(
      INITIAL,
      `
      account_id TEXT NOT NULL
      balance BIGINT NOT NULL
      buying_liabilities BIGINT NOT NULL
      selling_liabilities BIGINT NOT NULL
      num_subentries INTEGER NOT NULL
      num_sponsoring INTEGER NOT NULL
      num_sponsored INTEGER NOT NULL
      sequence_number BIGINT
      last_modified_ledger BIGINT NOT NULL
      ledger_sequence BIGINT NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: removalCols },
    ),
  }),
  dataTable("account_signers_snapshot_v1", {
    kind: "snapshot",
    key: ["account_id", "signer", "ledger_sequence"],
    keyNote: "one signer of one account as of a ledger",
    dataset: bronze(
      "accounts",
      "one row per changed signer per ledger",
      "account signers and their sponsors",
    ),
    columns: columns(
      INITIAL,
      `
      account_id TEXT NOT NULL
      signer TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      weight INTEGER NOT NULL
      sponsor TEXT
      deleted BOOLEAN NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: [ledgerEntryChange] },
    ),
  }),
  dataTable("offers_snapshot_v1", {
    kind: "snapshot",
    key: ["offer_id", "ledger_sequence"],
    keyNote: "an offer id is unique on a network",
    fillfactor: 90,
    dataset: bronze("dex", "one row per changed offer per ledger", "order book offers"),
    columns: columns(
      INITIAL,
      `
      offer_id BIGINT NOT NULL
      seller_account TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      selling_asset_type TEXT NOT NULL
      selling_asset_code TEXT
      selling_asset_issuer TEXT
      buying_asset_type TEXT NOT NULL
      buying_asset_code TEXT
      buying_asset_issuer TEXT
      amount TEXT NOT NULL
      price TEXT NOT NULL
      flags INTEGER NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: removalCols },
    ),
  }),
  dataTable("claimable_balances_snapshot_v1", {
    kind: "snapshot",
    key: ["balance_id", "ledger_sequence"],
    keyNote: "a claimable balance id is unique on a network",
    fillfactor: 90,
    dataset: bronze("accounts", "one row per changed claimable balance per ledger", "claimable balances"),
    columns: columns(
      INITIAL,
      `
      balance_id TEXT NOT NULL
      sponsor TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      asset_type TEXT NOT NULL
      asset_code TEXT
      asset_issuer TEXT
      amount BIGINT NOT NULL
      claimants_count INTEGER NOT NULL
      flags INTEGER NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: removalCols },
    ),
  }),
  dataTable("liquidity_pools_snapshot_v1", {
    kind: "snapshot",
    key: ["liquidity_pool_id", "ledger_sequence"],
    keyNote: "a pool id is the hash of its parameters",
    fillfactor: 90,
    dataset: bronze("dex", "one row per changed pool per ledger", "liquidity pool reserves and shares"),
    columns: columns(
      INITIAL,
      `
      liquidity_pool_id TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      pool_type TEXT NOT NULL
      fee INTEGER NOT NULL
      trustline_count INTEGER NOT NULL
      total_pool_shares BIGINT NOT NULL
      asset_a_type TEXT NOT NULL
      asset_a_code TEXT
      asset_a_issuer TEXT
      asset_a_amount BIGINT NOT NULL
      asset_b_type TEXT NOT NULL
      asset_b_code TEXT
      asset_b_issuer TEXT
      asset_b_amount BIGINT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: removalCols },
    ),
  }),
  dataTable("contract_events_stream_v1", {
    kind: "stream",
    key: ["ledger_sequence", "event_id"],
    keyNote:
      "event_id is '<tx hash>:<operation index>:<event index>'; the sequence guards against repeated hashes",
    dataset: bronze("soroban", "one row per contract event", "contract, system and diagnostic events"),
    columns: columns(
      INITIAL,
      `
      event_id TEXT NOT NULL
      contract_id TEXT
      ledger_sequence BIGINT NOT NULL
      transaction_hash TEXT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      event_type TEXT NOT NULL
      in_successful_contract_call BOOLEAN NOT NULL
      topics_json TEXT NOT NULL
      topics_decoded TEXT NOT NULL
      data_xdr TEXT NOT NULL
      data_decoded TEXT NOT NULL
      topic_count INTEGER NOT NULL
      operation_index INTEGER NOT NULL
      event_index INTEGER NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
    ),
  }),
  dataTable("contract_data_snapshot_v1", {
    kind: "snapshot",
    key: ["contract_id", "ledger_key_hash", "ledger_sequence"],
    keyNote: "a contract data entry is identified by the hash of its ledger key",
    fillfactor: 90,
    dataset: bronze(
      "soroban",
      "one row per changed contract data entry per ledger",
      "contract storage incl. SAC balances",
    ),
    columns: columns(
      INITIAL,
      `
      contract_id TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      ledger_key_hash TEXT NOT NULL
      contract_key_type TEXT NOT NULL
      contract_durability TEXT NOT NULL
      asset_code TEXT
      asset_issuer TEXT
      asset_type TEXT
      balance_holder TEXT
      balance TEXT
      last_modified_ledger INTEGER NOT NULL
      ledger_entry_change INTEGER NOT NULL
      deleted BOOLEAN NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      contract_data_xdr TEXT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
    ),
  }),
  dataTable("contract_code_snapshot_v1", {
    kind: "snapshot",
    key: ["contract_code_hash", "ledger_sequence"],
    keyNote: "contract code is content-addressed by its hash",
    dataset: bronze(
      "soroban",
      "one row per changed contract code entry per ledger",
      "uploaded WASM and its metrics",
    ),
    columns: columns(
      INITIAL,
      `
      contract_code_hash TEXT NOT NULL
      ledger_key_hash TEXT NOT NULL
      contract_code_ext_v INTEGER NOT NULL
      last_modified_ledger INTEGER NOT NULL
      ledger_entry_change INTEGER NOT NULL
      deleted BOOLEAN NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      ledger_sequence BIGINT NOT NULL
      n_instructions BIGINT
      n_functions BIGINT
      n_globals BIGINT
      n_table_entries BIGINT
      n_types BIGINT
      n_data_segments BIGINT
      n_elem_segments BIGINT
      n_imports BIGINT
      n_exports BIGINT
      n_data_segment_bytes BIGINT
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
    ),
  }),
  dataTable("config_settings_snapshot_v1", {
    kind: "snapshot",
    key: ["config_setting_id", "ledger_sequence"],
    keyNote: "one network configuration setting as of a ledger",
    dataset: bronze("network", "one row per changed config setting per ledger", "Soroban network settings"),
    columns: columns(
      INITIAL,
      `
      config_setting_id INTEGER NOT NULL
      ledger_sequence BIGINT NOT NULL
      last_modified_ledger INTEGER NOT NULL
      deleted BOOLEAN NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      ledger_max_instructions BIGINT
      tx_max_instructions BIGINT
      fee_rate_per_instructions_increment BIGINT
      tx_memory_limit BIGINT
      ledger_max_read_ledger_entries BIGINT
      ledger_max_read_bytes BIGINT
      ledger_max_write_ledger_entries BIGINT
      ledger_max_write_bytes BIGINT
      tx_max_read_ledger_entries BIGINT
      tx_max_read_bytes BIGINT
      tx_max_write_ledger_entries BIGINT
      tx_max_write_bytes BIGINT
      contract_max_size_bytes BIGINT
      config_setting_xdr TEXT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: [ledgerEntryChange] },
    ),
  }),
  dataTable("ttl_snapshot_v1", {
    kind: "snapshot",
    key: ["key_hash", "ledger_sequence"],
    keyNote: "a TTL entry is identified by the hash of the key it extends",
    fillfactor: 90,
    dataset: bronze("soroban", "one row per changed TTL entry per ledger", "time-to-live of Soroban entries"),
    columns: columns(
      INITIAL,
      `
      key_hash TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      live_until_ledger_seq BIGINT NOT NULL
      ttl_remaining BIGINT NOT NULL
      expired BOOLEAN NOT NULL
      last_modified_ledger INTEGER NOT NULL
      deleted BOOLEAN NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { add: [ledgerEntryChange] },
    ),
  }),
  dataTable("evicted_keys_state_v1", {
    kind: "stream",
    key: ["key_hash", "ledger_sequence"],
    keyNote: "a key is evicted at most once per ledger",
    dataset: bronze("soroban", "one row per evicted key", "state archival evictions"),
    columns: columns(
      INITIAL,
      `
      key_hash TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      contract_id TEXT NOT NULL
      key_type TEXT NOT NULL
      durability TEXT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { relaxNotNull: ["contract_id"] },
    ),
  }),
  dataTable("restored_keys_state_v1", {
    kind: "stream",
    key: ["key_hash", "ledger_sequence"],
    keyNote: "a key is restored at most once per ledger",
    dataset: bronze("soroban", "one row per restored key", "state archival restorations"),
    columns: columns(
      INITIAL,
      `
      key_hash TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      contract_id TEXT NOT NULL
      key_type TEXT NOT NULL
      durability TEXT NOT NULL
      restored_from_ledger BIGINT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      ledger_range BIGINT NOT NULL
      created_at TIMESTAMPTZ NOT NULL
      era_id TEXT
      version_label TEXT
      `,
      { relaxNotNull: ["contract_id"] },
    ),
  }),
  dataTable("token_transfers_row_v1", {
    kind: "stream",
    since: TOKEN_TRANSFERS,
    key: ["ledger_sequence", "event_index"],
    keyNote:
      "event_index is the movement's position in the ledger's token transfer stream (go-stellar-sdk's order: fees, operation events, then protocol-23 refunds); Hubble's rows have no unique key",
    dataset: bronze(
      "tokens",
      "one row per token movement (fee, transfer, mint, burn, clawback)",
      "every asset movement from CAP-67 unified events (SEP-41), Hubble token_transfers_raw",
    ),
    columns: columns(
      TOKEN_TRANSFERS,
      `
      transaction_hash TEXT NOT NULL
      transaction_id BIGINT NOT NULL
      operation_id BIGINT
      event_topic TEXT NOT NULL
      from TEXT
      to TEXT
      asset TEXT NOT NULL
      asset_type TEXT NOT NULL
      asset_code TEXT
      asset_issuer TEXT
      amount TEXT NOT NULL
      amount_raw TEXT NOT NULL
      contract_id TEXT NOT NULL
      ledger_sequence BIGINT NOT NULL
      closed_at TIMESTAMPTZ NOT NULL
      to_muxed TEXT
      to_muxed_id TEXT
      `,
      {
        add: [
          {
            name: "event_index",
            pg: "INTEGER",
            nullable: false,
            note: "0-based position in the ledger's token transfer stream: the row's key (as Allium's event index)",
          },
          {
            name: "created_at",
            pg: "TIMESTAMPTZ",
            nullable: false,
            note: "the ledger's close time (bookkeeping)",
          },
          { name: "ledger_range", pg: "BIGINT", nullable: false, note: "the 10,000-ledger flush bucket" },
          { name: "era_id", pg: "TEXT", nullable: true, note: "set by the ingester" },
          { name: "version_label", pg: "TEXT", nullable: true, note: "set by the ingester" },
        ],
        notes: {
          amount:
            "exact decimal amount_raw / 10^7 (Hubble's FLOAT loses digits past 2^53; the Hubble export writes stellar-etl's float)",
          asset:
            '"native", "<asset_type>:<code>:<issuer>", or "" for a token that is not a Stellar Asset Contract',
        },
      },
    ),
  }),
];

const META = "0002";

function metaTable(name: string, key: string[], keyNote: string, cols: ColumnDef[]): TableDef {
  return {
    name,
    kind: "meta",
    sequenceColumn: null,
    columns: cols,
    key,
    keyNote,
    unlogged: false,
    since: META,
  };
}

export const metaTables: readonly TableDef[] = [
  metaTable(
    "_meta_datasets",
    ["dataset", "major_version"],
    "one row per dataset and major version",
    columns(
      META,
      `
      dataset TEXT NOT NULL
      tier TEXT NOT NULL
      domain TEXT NOT NULL
      major_version INTEGER NOT NULL
      current_minor_version INTEGER NOT NULL
      owner TEXT
      purpose TEXT
      grain TEXT
      created_at TIMESTAMPTZ NOT NULL
      updated_at TIMESTAMPTZ NOT NULL
      era_id TEXT
      version_label TEXT
      schema_hash TEXT
      compatibility TEXT
      `,
      { defaults: { created_at: "now()", updated_at: "now()" } },
    ),
  ),
  metaTable(
    "_meta_lineage",
    ["id"],
    "one row per committed batch and dataset",
    columns(
      META,
      `
      id INTEGER NOT NULL
      dataset TEXT NOT NULL
      partition TEXT
      source_ledger_start INTEGER NOT NULL
      source_ledger_end INTEGER NOT NULL
      pipeline_version TEXT NOT NULL
      processor_name TEXT NOT NULL
      checksum TEXT
      row_count INTEGER
      created_at TIMESTAMPTZ NOT NULL
      era_id TEXT
      version_label TEXT
      pas_event_id TEXT
      pas_event_hash TEXT
      pas_verified BOOLEAN
      `,
      { identity: ["id"], defaults: { created_at: "now()" } },
    ),
  ),
  metaTable(
    "_meta_quality",
    ["id"],
    "one row per check run",
    columns(
      META,
      `
      id BIGINT NOT NULL
      dataset TEXT NOT NULL
      partition TEXT
      check_name TEXT NOT NULL
      check_type TEXT NOT NULL
      passed BOOLEAN NOT NULL
      details TEXT
      row_count INTEGER
      null_anomalies INTEGER
      created_at TIMESTAMPTZ NOT NULL
      `,
      { identity: ["id"], defaults: { created_at: "now()" } },
    ),
  ),
  metaTable(
    "_meta_changes",
    ["id"],
    "one row per applied schema change",
    columns(
      META,
      `
      id INTEGER NOT NULL
      dataset TEXT NOT NULL
      from_version TEXT
      to_version TEXT NOT NULL
      change_type TEXT NOT NULL
      summary TEXT
      migration_sql TEXT
      applied_at TIMESTAMPTZ NOT NULL
      `,
      { identity: ["id"], defaults: { applied_at: "now()" } },
    ),
  ),
  metaTable(
    "_meta_eras",
    ["era_id"],
    "one row per network era",
    columns(
      META,
      `
      era_id TEXT NOT NULL
      network TEXT NOT NULL
      version_label TEXT NOT NULL
      ledger_start BIGINT NOT NULL
      ledger_end BIGINT
      protocol_min INTEGER
      protocol_max INTEGER
      status TEXT NOT NULL
      schema_epoch TEXT
      pas_chain_head TEXT
      created_at TIMESTAMPTZ
      frozen_at TIMESTAMPTZ
      `,
      { defaults: { created_at: "now()" } },
    ),
  ),
];

/** The schema of the pipeline's own state (outside `public`, which holds exactly the contract tables). */
export const STATE_SCHEMA = "stellar_lake";

/**
 * The pipeline's state tables in `STATE_SCHEMA` (LOGGED: they survive a crash that empties the hot tables). Not
 * part of `allTables` (no row types, not in `public`); migration 0005 created them as released, a test compares
 * the two, and `@stellar-lake/pipeline-state` reads and writes them.
 */
export const stateTables = {
  ingestCheckpoint: {
    name: "ingest_checkpoint",
    kind: "meta",
    sequenceColumn: null,
    columns: columns(
      "0005",
      `
      pipeline TEXT NOT NULL
      last_ledger BIGINT NOT NULL
      last_ledger_hash TEXT NOT NULL
      total_ledgers BIGINT NOT NULL
      updated_at TIMESTAMPTZ NOT NULL
      `,
      { defaults: { total_ledgers: "0", updated_at: "now()" } },
    ),
    key: ["pipeline"],
    keyNote: "one row per ingesting pipeline (the ingester: 'ingester')",
    unlogged: false,
    since: "0005",
  },
} as const satisfies Record<string, TableDef>;

export const allTables: readonly TableDef[] = [...dataTables, ...metaTables];

export const tables: Readonly<Record<string, TableDef>> = Object.fromEntries(
  allTables.map((t) => [t.name, t]),
);

export const dataTableNames: readonly string[] = dataTables.map((t) => t.name);

/**
 * The data tables that existed once `migration` had run (`since` ≤ it). A released migration reads its tables
 * through this, never the whole catalog, so a table added by a later migration leaves its SQL unchanged.
 */
export function dataTablesAsOf(migration: string, all: readonly TableDef[] = dataTables): TableDef[] {
  return all.filter((t) => t.since <= migration);
}

/** The table definition of `name`, or an error naming the unknown table. */
export function table(name: string): TableDef {
  const t = tables[name];
  if (!t) throw new Error(`unknown table '${name}'`);
  return t;
}

/** Column names in catalog order (the COPY column list, the bronze column order). */
export function columnNames(t: TableDef): string[] {
  return t.columns.map((c) => c.name);
}

/** `ledger_range` of a ledger sequence: its 10,000-ledger bucket. */
export function ledgerRangeOf(sequence: number | bigint): bigint {
  const s = BigInt(sequence);
  return (s / 10000n) * 10000n;
}
