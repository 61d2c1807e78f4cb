// Generated from packages/schema/src/catalog.ts by `pnpm --filter @stellar-lake/schema gen`. Do not edit.
import type { Generated } from "kysely";

/** ledgers_row_v2 (stream; key sequence) */
export interface LedgersRowV2 {
  sequence: bigint;
  ledger_hash: string;
  previous_ledger_hash: string;
  closed_at: Date;
  protocol_version: number;
  total_coins: bigint;
  fee_pool: bigint;
  base_fee: number;
  base_reserve: number;
  max_tx_set_size: number;
  successful_tx_count: number;
  failed_tx_count: number;
  ingestion_timestamp: Date | null;
  ledger_range: bigint;
  transaction_count: number;
  operation_count: number;
  tx_set_operation_count: number;
  soroban_fee_write1kb: bigint | null;
  node_id: string | null;
  signature: string | null;
  ledger_header: string;
  bucket_list_size: bigint | null;
  live_soroban_state_size: bigint | null;
  evicted_keys_count: number | null;
  era_id: string | null;
  version_label: string | null;
}

/** transactions_row_v2 (stream; key ledger_sequence, transaction_hash) */
export interface TransactionsRowV2 {
  ledger_sequence: bigint;
  transaction_hash: string;
  source_account: string;
  fee_charged: bigint;
  max_fee: bigint;
  successful: boolean;
  transaction_result_code: string;
  operation_count: number;
  memo_type: string;
  memo: string | null;
  created_at: Date;
  account_sequence: bigint;
  ledger_range: bigint;
  source_account_muxed: string | null;
  fee_account_muxed: string | null;
  inner_transaction_hash: string | null;
  fee_bump_fee: bigint | null;
  max_fee_bid: bigint | null;
  inner_source_account: string | null;
  timebounds_min_time: bigint | null;
  timebounds_max_time: bigint | null;
  ledgerbounds_min: bigint | null;
  ledgerbounds_max: bigint | null;
  min_sequence_number: bigint | null;
  min_sequence_age: bigint | null;
  soroban_resources_instructions: bigint | null;
  soroban_resources_read_bytes: bigint | null;
  soroban_resources_write_bytes: bigint | null;
  soroban_data_size_bytes: number | null;
  soroban_data_resources: string | null;
  soroban_fee_base: bigint | null;
  soroban_fee_resources: bigint | null;
  soroban_fee_refund: bigint | null;
  soroban_fee_charged: bigint | null;
  soroban_fee_wasted: bigint | null;
  soroban_host_function_type: string | null;
  soroban_contract_id: string | null;
  soroban_contract_events_count: number | null;
  signatures_count: number;
  new_account: boolean;
  tx_envelope: string;
  tx_result: string;
  tx_meta: string;
  tx_fee_meta: string;
  tx_signers: string | null;
  extra_signers: string | null;
  era_id: string | null;
  version_label: string | null;
  transaction_id: bigint;
}

/** operations_row_v2 (stream; key ledger_sequence, transaction_hash, operation_index) */
export interface OperationsRowV2 {
  transaction_hash: string;
  operation_index: number;
  ledger_sequence: bigint;
  source_account: string;
  type: number;
  type_string: string;
  created_at: Date;
  transaction_successful: boolean;
  operation_result_code: string | null;
  operation_trace_code: string | null;
  ledger_range: bigint;
  source_account_muxed: string | null;
  asset: string | null;
  asset_type: string | null;
  asset_code: string | null;
  asset_issuer: string | null;
  source_asset: string | null;
  source_asset_type: string | null;
  source_asset_code: string | null;
  source_asset_issuer: string | null;
  amount: bigint | null;
  source_amount: bigint | null;
  destination_min: bigint | null;
  starting_balance: bigint | null;
  destination: string | null;
  trustline_limit: bigint | null;
  trustor: string | null;
  authorize: boolean | null;
  authorize_to_maintain_liabilities: boolean | null;
  trust_line_flags: number | null;
  balance_id: string | null;
  claimants_count: number | null;
  sponsored_id: string | null;
  offer_id: bigint | null;
  price: string | null;
  price_r: string | null;
  buying_asset: string | null;
  buying_asset_type: string | null;
  buying_asset_code: string | null;
  buying_asset_issuer: string | null;
  selling_asset: string | null;
  selling_asset_type: string | null;
  selling_asset_code: string | null;
  selling_asset_issuer: string | null;
  soroban_operation: string | null;
  soroban_function: string | null;
  soroban_contract_id: string | null;
  soroban_auth_required: boolean | null;
  bump_to: bigint | null;
  set_flags: number | null;
  clear_flags: number | null;
  home_domain: string | null;
  master_weight: number | null;
  low_threshold: number | null;
  medium_threshold: number | null;
  high_threshold: number | null;
  data_name: string | null;
  data_value: string | null;
  era_id: string | null;
  version_label: string | null;
  operation_id: bigint;
  details: string | null;
}

/** effects_row_v1 (stream; key ledger_sequence, effect_id) */
export interface EffectsRowV1 {
  ledger_sequence: bigint;
  transaction_hash: string;
  operation_index: number;
  effect_index: number;
  effect_type: number;
  effect_type_string: string;
  account_id: string | null;
  amount: string | null;
  asset_code: string | null;
  asset_issuer: string | null;
  asset_type: string | null;
  trustline_limit: string | null;
  authorize_flag: boolean | null;
  clawback_flag: boolean | null;
  signer_account: string | null;
  signer_weight: number | null;
  offer_id: bigint | null;
  seller_account: string | null;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  effect_id: string;
  operation_id: bigint;
  details: string | null;
}

/** trades_row_v1 (stream; key ledger_sequence, transaction_hash, operation_index, trade_index) */
export interface TradesRowV1 {
  ledger_sequence: bigint;
  transaction_hash: string;
  operation_index: number;
  trade_index: number;
  trade_type: string;
  trade_timestamp: Date;
  seller_account: string | null;
  selling_asset_code: string | null;
  selling_asset_issuer: string | null;
  selling_amount: string;
  buyer_account: string | null;
  buying_asset_code: string | null;
  buying_asset_issuer: string | null;
  buying_amount: string;
  price: string | null;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  history_operation_id: bigint;
  selling_asset_type: string;
  buying_asset_type: string;
  selling_offer_id: bigint | null;
  buying_offer_id: bigint | null;
  liquidity_pool_id: string | null;
  liquidity_pool_fee: bigint | null;
  price_n: bigint | null;
  price_d: bigint | null;
}

/** accounts_snapshot_v1 (snapshot; key account_id, ledger_sequence) */
export interface AccountsSnapshotV1 {
  account_id: string;
  ledger_sequence: bigint;
  closed_at: Date;
  balance: string;
  sequence_number: bigint;
  num_subentries: number;
  num_sponsoring: number;
  num_sponsored: number;
  home_domain: string | null;
  master_weight: number;
  low_threshold: number;
  med_threshold: number;
  high_threshold: number;
  flags: number;
  auth_required: boolean;
  auth_revocable: boolean;
  auth_immutable: boolean;
  auth_clawback_enabled: boolean;
  signers: string | null;
  sponsor_account: string | null;
  created_at: Date;
  updated_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  deleted: boolean;
  ledger_entry_change: number;
}

/** trustlines_snapshot_v1 (snapshot; key account_id, asset_code, asset_issuer, liquidity_pool_id, ledger_sequence) */
export interface TrustlinesSnapshotV1 {
  account_id: string;
  asset_code: string | null;
  asset_issuer: string | null;
  asset_type: string;
  balance: string;
  trust_limit: string;
  buying_liabilities: string;
  selling_liabilities: string;
  authorized: boolean;
  authorized_to_maintain_liabilities: boolean;
  clawback_enabled: boolean;
  ledger_sequence: bigint;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  liquidity_pool_id: string | null;
  deleted: boolean;
  ledger_entry_change: number;
}

/** native_balances_snapshot_v1 (snapshot; key account_id, ledger_sequence) */
export interface NativeBalancesSnapshotV1 {
  account_id: string;
  balance: bigint;
  buying_liabilities: bigint;
  selling_liabilities: bigint;
  num_subentries: number;
  num_sponsoring: number;
  num_sponsored: number;
  sequence_number: bigint | null;
  last_modified_ledger: bigint;
  ledger_sequence: bigint;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  deleted: boolean;
  ledger_entry_change: number;
}

/** account_signers_snapshot_v1 (snapshot; key account_id, signer, ledger_sequence) */
export interface AccountSignersSnapshotV1 {
  account_id: string;
  signer: string;
  ledger_sequence: bigint;
  weight: number;
  sponsor: string | null;
  deleted: boolean;
  closed_at: Date;
  ledger_range: bigint;
  created_at: Date;
  era_id: string | null;
  version_label: string | null;
  ledger_entry_change: number;
}

/** offers_snapshot_v1 (snapshot; key offer_id, ledger_sequence) */
export interface OffersSnapshotV1 {
  offer_id: bigint;
  seller_account: string;
  ledger_sequence: bigint;
  closed_at: Date;
  selling_asset_type: string;
  selling_asset_code: string | null;
  selling_asset_issuer: string | null;
  buying_asset_type: string;
  buying_asset_code: string | null;
  buying_asset_issuer: string | null;
  amount: string;
  price: string;
  flags: number;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  deleted: boolean;
  ledger_entry_change: number;
}

/** claimable_balances_snapshot_v1 (snapshot; key balance_id, ledger_sequence) */
export interface ClaimableBalancesSnapshotV1 {
  balance_id: string;
  sponsor: string;
  ledger_sequence: bigint;
  closed_at: Date;
  asset_type: string;
  asset_code: string | null;
  asset_issuer: string | null;
  amount: bigint;
  claimants_count: number;
  flags: number;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  deleted: boolean;
  ledger_entry_change: number;
}

/** liquidity_pools_snapshot_v1 (snapshot; key liquidity_pool_id, ledger_sequence) */
export interface LiquidityPoolsSnapshotV1 {
  liquidity_pool_id: string;
  ledger_sequence: bigint;
  closed_at: Date;
  pool_type: string;
  fee: number;
  trustline_count: number;
  total_pool_shares: bigint;
  asset_a_type: string;
  asset_a_code: string | null;
  asset_a_issuer: string | null;
  asset_a_amount: bigint;
  asset_b_type: string;
  asset_b_code: string | null;
  asset_b_issuer: string | null;
  asset_b_amount: bigint;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  deleted: boolean;
  ledger_entry_change: number;
}

/** contract_events_stream_v1 (stream; key ledger_sequence, event_id) */
export interface ContractEventsStreamV1 {
  event_id: string;
  contract_id: string | null;
  ledger_sequence: bigint;
  transaction_hash: string;
  closed_at: Date;
  event_type: string;
  in_successful_contract_call: boolean;
  topics_json: string;
  topics_decoded: string;
  data_xdr: string;
  data_decoded: string;
  topic_count: number;
  operation_index: number;
  event_index: number;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
}

/** contract_data_snapshot_v1 (snapshot; key contract_id, ledger_key_hash, ledger_sequence) */
export interface ContractDataSnapshotV1 {
  contract_id: string;
  ledger_sequence: bigint;
  ledger_key_hash: string;
  contract_key_type: string;
  contract_durability: string;
  asset_code: string | null;
  asset_issuer: string | null;
  asset_type: string | null;
  balance_holder: string | null;
  balance: string | null;
  last_modified_ledger: number;
  ledger_entry_change: number;
  deleted: boolean;
  closed_at: Date;
  contract_data_xdr: string;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
}

/** contract_code_snapshot_v1 (snapshot; key contract_code_hash, ledger_sequence) */
export interface ContractCodeSnapshotV1 {
  contract_code_hash: string;
  ledger_key_hash: string;
  contract_code_ext_v: number;
  last_modified_ledger: number;
  ledger_entry_change: number;
  deleted: boolean;
  closed_at: Date;
  ledger_sequence: bigint;
  n_instructions: bigint | null;
  n_functions: bigint | null;
  n_globals: bigint | null;
  n_table_entries: bigint | null;
  n_types: bigint | null;
  n_data_segments: bigint | null;
  n_elem_segments: bigint | null;
  n_imports: bigint | null;
  n_exports: bigint | null;
  n_data_segment_bytes: bigint | null;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
}

/** config_settings_snapshot_v1 (snapshot; key config_setting_id, ledger_sequence) */
export interface ConfigSettingsSnapshotV1 {
  config_setting_id: number;
  ledger_sequence: bigint;
  last_modified_ledger: number;
  deleted: boolean;
  closed_at: Date;
  ledger_max_instructions: bigint | null;
  tx_max_instructions: bigint | null;
  fee_rate_per_instructions_increment: bigint | null;
  tx_memory_limit: bigint | null;
  ledger_max_read_ledger_entries: bigint | null;
  ledger_max_read_bytes: bigint | null;
  ledger_max_write_ledger_entries: bigint | null;
  ledger_max_write_bytes: bigint | null;
  tx_max_read_ledger_entries: bigint | null;
  tx_max_read_bytes: bigint | null;
  tx_max_write_ledger_entries: bigint | null;
  tx_max_write_bytes: bigint | null;
  contract_max_size_bytes: bigint | null;
  config_setting_xdr: string;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  ledger_entry_change: number;
}

/** ttl_snapshot_v1 (snapshot; key key_hash, ledger_sequence) */
export interface TtlSnapshotV1 {
  key_hash: string;
  ledger_sequence: bigint;
  live_until_ledger_seq: bigint;
  ttl_remaining: bigint;
  expired: boolean;
  last_modified_ledger: number;
  deleted: boolean;
  closed_at: Date;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
  ledger_entry_change: number;
}

/** evicted_keys_state_v1 (stream; key key_hash, ledger_sequence) */
export interface EvictedKeysStateV1 {
  key_hash: string;
  ledger_sequence: bigint;
  contract_id: string | null;
  key_type: string;
  durability: string;
  closed_at: Date;
  ledger_range: bigint;
  created_at: Date;
  era_id: string | null;
  version_label: string | null;
}

/** restored_keys_state_v1 (stream; key key_hash, ledger_sequence) */
export interface RestoredKeysStateV1 {
  key_hash: string;
  ledger_sequence: bigint;
  contract_id: string | null;
  key_type: string;
  durability: string;
  restored_from_ledger: bigint;
  closed_at: Date;
  ledger_range: bigint;
  created_at: Date;
  era_id: string | null;
  version_label: string | null;
}

/** token_transfers_row_v1 (stream; key ledger_sequence, event_index) */
export interface TokenTransfersRowV1 {
  transaction_hash: string;
  transaction_id: bigint;
  operation_id: bigint | null;
  event_topic: string;
  from: string | null;
  to: string | null;
  asset: string;
  asset_type: string;
  asset_code: string | null;
  asset_issuer: string | null;
  amount: string;
  amount_raw: string;
  contract_id: string;
  ledger_sequence: bigint;
  closed_at: Date;
  to_muxed: string | null;
  to_muxed_id: string | null;
  event_index: number;
  created_at: Date;
  ledger_range: bigint;
  era_id: string | null;
  version_label: string | null;
}

/** _meta_datasets (meta; key dataset, major_version) */
export interface MetaMetaDatasets {
  dataset: string;
  tier: string;
  domain: string;
  major_version: number;
  current_minor_version: number;
  owner: string | null;
  purpose: string | null;
  grain: string | null;
  created_at: Date;
  updated_at: Date;
  era_id: string | null;
  version_label: string | null;
  schema_hash: string | null;
  compatibility: string | null;
}

/** _meta_lineage (meta; key id) */
export interface MetaMetaLineage {
  id: number;
  dataset: string;
  partition: string | null;
  source_ledger_start: number;
  source_ledger_end: number;
  pipeline_version: string;
  processor_name: string;
  checksum: string | null;
  row_count: number | null;
  created_at: Date;
  era_id: string | null;
  version_label: string | null;
  pas_event_id: string | null;
  pas_event_hash: string | null;
  pas_verified: boolean | null;
}

/** _meta_quality (meta; key id) */
export interface MetaMetaQuality {
  id: bigint;
  dataset: string;
  partition: string | null;
  check_name: string;
  check_type: string;
  passed: boolean;
  details: string | null;
  row_count: number | null;
  null_anomalies: number | null;
  created_at: Date;
}

/** _meta_changes (meta; key id) */
export interface MetaMetaChanges {
  id: number;
  dataset: string;
  from_version: string | null;
  to_version: string;
  change_type: string;
  summary: string | null;
  migration_sql: string | null;
  applied_at: Date;
}

/** _meta_eras (meta; key era_id) */
export interface MetaMetaEras {
  era_id: string;
  network: string;
  version_label: string;
  ledger_start: bigint;
  ledger_end: bigint | null;
  protocol_min: number | null;
  protocol_max: number | null;
  status: string;
  schema_epoch: string | null;
  pas_chain_head: string | null;
  created_at: Date | null;
  frozen_at: Date | null;
}

/** Row type of every table by name. */
export interface Rows {
  ledgers_row_v2: LedgersRowV2;
  transactions_row_v2: TransactionsRowV2;
  operations_row_v2: OperationsRowV2;
  effects_row_v1: EffectsRowV1;
  trades_row_v1: TradesRowV1;
  accounts_snapshot_v1: AccountsSnapshotV1;
  trustlines_snapshot_v1: TrustlinesSnapshotV1;
  native_balances_snapshot_v1: NativeBalancesSnapshotV1;
  account_signers_snapshot_v1: AccountSignersSnapshotV1;
  offers_snapshot_v1: OffersSnapshotV1;
  claimable_balances_snapshot_v1: ClaimableBalancesSnapshotV1;
  liquidity_pools_snapshot_v1: LiquidityPoolsSnapshotV1;
  contract_events_stream_v1: ContractEventsStreamV1;
  contract_data_snapshot_v1: ContractDataSnapshotV1;
  contract_code_snapshot_v1: ContractCodeSnapshotV1;
  config_settings_snapshot_v1: ConfigSettingsSnapshotV1;
  ttl_snapshot_v1: TtlSnapshotV1;
  evicted_keys_state_v1: EvictedKeysStateV1;
  restored_keys_state_v1: RestoredKeysStateV1;
  token_transfers_row_v1: TokenTransfersRowV1;
  _meta_datasets: MetaMetaDatasets;
  _meta_lineage: MetaMetaLineage;
  _meta_quality: MetaMetaQuality;
  _meta_changes: MetaMetaChanges;
  _meta_eras: MetaMetaEras;
}

/** Kysely's view of the hot buffer: generated/defaulted columns are optional on insert. */
export interface Database {
  ledgers_row_v2: LedgersRowV2;
  transactions_row_v2: TransactionsRowV2;
  operations_row_v2: OperationsRowV2;
  effects_row_v1: EffectsRowV1;
  trades_row_v1: TradesRowV1;
  accounts_snapshot_v1: AccountsSnapshotV1;
  trustlines_snapshot_v1: TrustlinesSnapshotV1;
  native_balances_snapshot_v1: NativeBalancesSnapshotV1;
  account_signers_snapshot_v1: AccountSignersSnapshotV1;
  offers_snapshot_v1: OffersSnapshotV1;
  claimable_balances_snapshot_v1: ClaimableBalancesSnapshotV1;
  liquidity_pools_snapshot_v1: LiquidityPoolsSnapshotV1;
  contract_events_stream_v1: ContractEventsStreamV1;
  contract_data_snapshot_v1: ContractDataSnapshotV1;
  contract_code_snapshot_v1: ContractCodeSnapshotV1;
  config_settings_snapshot_v1: ConfigSettingsSnapshotV1;
  ttl_snapshot_v1: TtlSnapshotV1;
  evicted_keys_state_v1: EvictedKeysStateV1;
  restored_keys_state_v1: RestoredKeysStateV1;
  token_transfers_row_v1: TokenTransfersRowV1;
  _meta_datasets: {
    dataset: string;
    tier: string;
    domain: string;
    major_version: number;
    current_minor_version: number;
    owner: string | null;
    purpose: string | null;
    grain: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    era_id: string | null;
    version_label: string | null;
    schema_hash: string | null;
    compatibility: string | null;
  };
  _meta_lineage: {
    id: Generated<number>;
    dataset: string;
    partition: string | null;
    source_ledger_start: number;
    source_ledger_end: number;
    pipeline_version: string;
    processor_name: string;
    checksum: string | null;
    row_count: number | null;
    created_at: Generated<Date>;
    era_id: string | null;
    version_label: string | null;
    pas_event_id: string | null;
    pas_event_hash: string | null;
    pas_verified: boolean | null;
  };
  _meta_quality: {
    id: Generated<bigint>;
    dataset: string;
    partition: string | null;
    check_name: string;
    check_type: string;
    passed: boolean;
    details: string | null;
    row_count: number | null;
    null_anomalies: number | null;
    created_at: Generated<Date>;
  };
  _meta_changes: {
    id: Generated<number>;
    dataset: string;
    from_version: string | null;
    to_version: string;
    change_type: string;
    summary: string | null;
    migration_sql: string | null;
    applied_at: Generated<Date>;
  };
  _meta_eras: {
    era_id: string;
    network: string;
    version_label: string;
    ledger_start: bigint;
    ledger_end: bigint | null;
    protocol_min: number | null;
    protocol_max: number | null;
    status: string;
    schema_epoch: string | null;
    pas_chain_head: string | null;
    created_at: Generated<Date | null>;
    frozen_at: Date | null;
  };
}
