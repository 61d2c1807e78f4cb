import type { xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { base64, hex } from "../changes/format";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_CONFIG_SETTING,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
} from "../changes/snapshot";
import { ConfigSettingEntryArm, ExtensionPointArm } from "../xdr-arms";

type Fields = Record<string, number | bigint | unknown[]>;

/** Every Hubble config_settings field at its zero value (stellar-etl emits them all for every setting). */
function zeroFields(): Fields {
  const f: Fields = {};
  for (const k of [
    "contract_max_size_bytes",
    "ledger_max_instructions",
    "tx_max_instructions",
    "fee_rate_per_instructions_increment",
    "tx_memory_limit",
    "ledger_max_read_ledger_entries",
    "ledger_max_disk_read_entries",
    "ledger_max_read_bytes",
    "ledger_max_disk_read_bytes",
    "ledger_max_write_ledger_entries",
    "ledger_max_write_bytes",
    "tx_max_read_ledger_entries",
    "tx_max_disk_read_entries",
    "tx_max_read_bytes",
    "tx_max_disk_read_bytes",
    "tx_max_write_ledger_entries",
    "tx_max_write_bytes",
    "fee_read_ledger_entry",
    "fee_disk_read_ledger_entry",
    "fee_write_ledger_entry",
    "fee_read_1kb",
    "fee_disk_read_1kb",
    "fee_write_1kb",
    "bucket_list_target_size_bytes",
    "soroban_state_target_size_bytes",
    "write_fee_1kb_bucket_list_low",
    "rent_fee_1kb_soroban_state_size_low",
    "write_fee_1kb_bucket_list_high",
    "rent_fee_1kb_soroban_state_size_high",
    "bucket_list_write_fee_growth_factor",
    "soroban_state_rent_fee_growth_factor",
    "fee_historical_1kb",
    "tx_max_contract_events_size_bytes",
    "fee_contract_events_1kb",
    "ledger_max_txs_size_bytes",
    "tx_max_size_bytes",
    "fee_tx_size_1kb",
    "contract_data_key_size_bytes",
    "contract_data_entry_size_bytes",
    "max_entry_ttl",
    "min_temporary_ttl",
    "min_persistent_ttl",
    "auto_bump_ledgers",
    "persistent_rent_rate_denominator",
    "temp_rent_rate_denominator",
    "max_entries_to_archive",
    "bucket_list_size_window_sample_size",
    "live_soroban_state_size_window_sample_size",
    "live_soroban_state_size_window_sample_period",
    "eviction_scan_size",
    "starting_eviction_scan_level",
    "ledger_max_tx_count",
    "ledger_max_dependent_tx_clusters",
    "tx_max_footprint_entries",
    "ledger_target_close_time_milliseconds",
    "nomination_timeout_initial_milliseconds",
    "nomination_timeout_increment_milliseconds",
    "ballot_timeout_initial_milliseconds",
    "ballot_timeout_increment_milliseconds",
  ])
    f[k] = 0;
  for (const k of [
    "contract_cost_params_cpu_insns",
    "contract_cost_params_mem_bytes",
    "bucket_list_size_window",
    "live_soroban_state_size_window",
    "frozen_ledger_keys",
    "frozen_ledger_keys_to_freeze",
    "frozen_ledger_keys_to_unfreeze",
    "freeze_bypass_txs",
    "freeze_bypass_txs_to_add",
    "freeze_bypass_txs_to_remove",
  ])
    f[k] = [];
  return f;
}

const i64 = (v: bigint) => v;

function costParams(list: xdr.ContractCostParamEntry[]) {
  return list.map((p) => ({
    ExtV: String(ExtensionPointArm[p.ext.type]),
    ConstTerm: p.constTerm.toString(),
    LinearTerm: p.linearTerm.toString(),
  }));
}

/** The non-zero Hubble fields of one setting, keyed by stellar-etl's names (old and new names both filled). */
export function configSettingFields(s: xdr.ConfigSettingEntry): Fields {
  const f: Fields = {};
  switch (s.type) {
    case "configSettingContractMaxSizeBytes":
      f.contract_max_size_bytes = s.contractMaxSizeBytes;
      break;
    case "configSettingContractComputeV0": {
      const c = s.contractCompute;
      f.ledger_max_instructions = i64(c.ledgerMaxInstructions);
      f.tx_max_instructions = i64(c.txMaxInstructions);
      f.fee_rate_per_instructions_increment = i64(c.feeRatePerInstructionsIncrement);
      f.tx_memory_limit = c.txMemoryLimit;
      break;
    }
    case "configSettingContractLedgerCostV0": {
      const c = s.contractLedgerCost;
      f.ledger_max_read_ledger_entries = f.ledger_max_disk_read_entries = c.ledgerMaxDiskReadEntries;
      f.ledger_max_read_bytes = f.ledger_max_disk_read_bytes = c.ledgerMaxDiskReadBytes;
      f.ledger_max_write_ledger_entries = c.ledgerMaxWriteLedgerEntries;
      f.ledger_max_write_bytes = c.ledgerMaxWriteBytes;
      f.tx_max_read_ledger_entries = f.tx_max_disk_read_entries = c.txMaxDiskReadEntries;
      f.tx_max_read_bytes = f.tx_max_disk_read_bytes = c.txMaxDiskReadBytes;
      f.tx_max_write_ledger_entries = c.txMaxWriteLedgerEntries;
      f.tx_max_write_bytes = c.txMaxWriteBytes;
      f.fee_read_ledger_entry = f.fee_disk_read_ledger_entry = i64(c.feeDiskReadLedgerEntry);
      f.fee_write_ledger_entry = i64(c.feeWriteLedgerEntry);
      f.fee_read_1kb = f.fee_disk_read_1kb = i64(c.feeDiskRead1Kb);
      f.bucket_list_target_size_bytes = f.soroban_state_target_size_bytes = i64(
        c.sorobanStateTargetSizeBytes,
      );
      f.write_fee_1kb_bucket_list_low = f.rent_fee_1kb_soroban_state_size_low = i64(
        c.rentFee1KbSorobanStateSizeLow,
      );
      f.write_fee_1kb_bucket_list_high = f.rent_fee_1kb_soroban_state_size_high = i64(
        c.rentFee1KbSorobanStateSizeHigh,
      );
      f.bucket_list_write_fee_growth_factor = f.soroban_state_rent_fee_growth_factor =
        c.sorobanStateRentFeeGrowthFactor;
      break;
    }
    case "configSettingContractHistoricalDataV0":
      f.fee_historical_1kb = i64(s.contractHistoricalData.feeHistorical1Kb);
      break;
    case "configSettingContractEventsV0": {
      const c = s.contractEvents;
      f.tx_max_contract_events_size_bytes = c.txMaxContractEventsSizeBytes;
      f.fee_contract_events_1kb = i64(c.feeContractEvents1Kb);
      break;
    }
    case "configSettingContractBandwidthV0": {
      const c = s.contractBandwidth;
      f.ledger_max_txs_size_bytes = c.ledgerMaxTxsSizeBytes;
      f.tx_max_size_bytes = c.txMaxSizeBytes;
      f.fee_tx_size_1kb = i64(c.feeTxSize1Kb);
      break;
    }
    case "configSettingContractCostParamsCpuInstructions":
      f.contract_cost_params_cpu_insns = costParams(s.contractCostParamsCpuInsns);
      break;
    case "configSettingContractCostParamsMemoryBytes":
      f.contract_cost_params_mem_bytes = costParams(s.contractCostParamsMemBytes);
      break;
    case "configSettingContractDataKeySizeBytes":
      f.contract_data_key_size_bytes = s.contractDataKeySizeBytes;
      break;
    case "configSettingContractDataEntrySizeBytes":
      f.contract_data_entry_size_bytes = s.contractDataEntrySizeBytes;
      break;
    case "configSettingStateArchival": {
      const c = s.stateArchivalSettings;
      f.max_entry_ttl = c.maxEntryTtl;
      f.min_temporary_ttl = c.minTemporaryTtl;
      f.min_persistent_ttl = c.minPersistentTtl;
      f.persistent_rent_rate_denominator = i64(c.persistentRentRateDenominator);
      f.temp_rent_rate_denominator = i64(c.tempRentRateDenominator);
      f.max_entries_to_archive = c.maxEntriesToArchive;
      f.bucket_list_size_window_sample_size = f.live_soroban_state_size_window_sample_size =
        c.liveSorobanStateSizeWindowSampleSize;
      f.live_soroban_state_size_window_sample_period = c.liveSorobanStateSizeWindowSamplePeriod;
      f.eviction_scan_size = c.evictionScanSize;
      f.starting_eviction_scan_level = c.startingEvictionScanLevel;
      break;
    }
    case "configSettingContractExecutionLanes":
      f.ledger_max_tx_count = s.contractExecutionLanes.ledgerMaxTxCount;
      break;
    case "configSettingLiveSorobanStateSizeWindow": {
      const w = s.liveSorobanStateSizeWindow.map((v) => v);
      f.bucket_list_size_window = w;
      f.live_soroban_state_size_window = [...w];
      break;
    }
    case "configSettingContractParallelComputeV0":
      f.ledger_max_dependent_tx_clusters = s.contractParallelCompute.ledgerMaxDependentTxClusters;
      break;
    case "configSettingContractLedgerCostExtV0": {
      const c = s.contractLedgerCostExt;
      f.tx_max_footprint_entries = c.txMaxFootprintEntries;
      f.fee_write_1kb = i64(c.feeWrite1Kb);
      break;
    }
    case "configSettingScpTiming": {
      const c = s.contractScpTiming;
      f.ledger_target_close_time_milliseconds = c.ledgerTargetCloseTimeMilliseconds;
      f.nomination_timeout_initial_milliseconds = c.nominationTimeoutInitialMilliseconds;
      f.nomination_timeout_increment_milliseconds = c.nominationTimeoutIncrementMilliseconds;
      f.ballot_timeout_initial_milliseconds = c.ballotTimeoutInitialMilliseconds;
      f.ballot_timeout_increment_milliseconds = c.ballotTimeoutIncrementMilliseconds;
      break;
    }
    case "configSettingFrozenLedgerKeys":
      f.frozen_ledger_keys = s.frozenLedgerKeys.keys.map(base64);
      break;
    case "configSettingFrozenLedgerKeysDelta": {
      const d = s.frozenLedgerKeysDelta;
      f.frozen_ledger_keys_to_freeze = d.keysToFreeze.map(base64);
      f.frozen_ledger_keys_to_unfreeze = d.keysToUnfreeze.map(base64);
      break;
    }
    case "configSettingFreezeBypassTxs":
      f.freeze_bypass_txs = s.freezeBypassTxs.txHashes.map(hex);
      break;
    case "configSettingFreezeBypassTxsDelta": {
      const d = s.freezeBypassTxsDelta;
      f.freeze_bypass_txs_to_add = d.addTxs.map(hex);
      f.freeze_bypass_txs_to_remove = d.removeTxs.map(hex);
      break;
    }
    default:
      break;
  }
  return f;
}

function configSettingOf(entry: xdr.LedgerEntry): xdr.ConfigSettingEntry {
  const d = entry.data;
  if (d.type !== "configSetting") throw new Error(`config setting change holds a ${d.type} entry`);
  return d.configSetting;
}

const bigOrNull = (v: unknown) => (typeof v === "bigint" ? v : typeof v === "number" ? BigInt(v) : null);

/** config_settings_snapshot_v1: the contract's columns where the setting has them, the full entry as XDR. */
export function configSettingsRows(ctx: ChangeInput): Rows["config_settings_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CONFIG_SETTING).map((c) => {
    const entry = entryOf(c);
    const s = configSettingOf(entry);
    const f = configSettingFields(s);
    return {
      config_setting_id: ConfigSettingEntryArm[s.type],
      ledger_sequence: base.ledger_sequence,
      last_modified_ledger: entry.lastModifiedLedgerSeq,
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      ledger_max_instructions: bigOrNull(f.ledger_max_instructions),
      tx_max_instructions: bigOrNull(f.tx_max_instructions),
      fee_rate_per_instructions_increment: bigOrNull(f.fee_rate_per_instructions_increment),
      tx_memory_limit: bigOrNull(f.tx_memory_limit),
      ledger_max_read_ledger_entries: bigOrNull(f.ledger_max_read_ledger_entries),
      ledger_max_read_bytes: bigOrNull(f.ledger_max_read_bytes),
      ledger_max_write_ledger_entries: bigOrNull(f.ledger_max_write_ledger_entries),
      ledger_max_write_bytes: bigOrNull(f.ledger_max_write_bytes),
      tx_max_read_ledger_entries: bigOrNull(f.tx_max_read_ledger_entries),
      tx_max_read_bytes: bigOrNull(f.tx_max_read_bytes),
      tx_max_write_ledger_entries: bigOrNull(f.tx_max_write_ledger_entries),
      tx_max_write_bytes: bigOrNull(f.tx_max_write_bytes),
      contract_max_size_bytes: bigOrNull(f.contract_max_size_bytes),
      config_setting_xdr: s.toXdr("base64"),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `config_settings` records (stellar-etl ConfigSettingOutput: every field, zero when not this setting). */
export function configSettingsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_CONFIG_SETTING).map((c) => {
    const s = configSettingOf(entryOf(c));
    return {
      config_setting_id: ConfigSettingEntryArm[s.type],
      ...zeroFields(),
      ...configSettingFields(s),
      ...hubbleChangeFields(ctx, c),
    };
  });
}
