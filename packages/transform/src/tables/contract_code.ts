import type { xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { base64, hex, keyXdrHash } from "../changes/format";
import { dataOf } from "../changes/ledger";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_CONTRACT_CODE,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
} from "../changes/snapshot";
import { type WasmMetrics, wasmMetrics } from "../changes/wasm";
import { ContractCodeEntryExtArm } from "../xdr-arms";

const metricsCache = new Map<string, WasmMetrics | null>();

/** Section counts of the uploaded WASM (parsed, cached by code hash); null when the code does not parse. */
function metricsOf(cc: xdr.ContractCodeEntry): WasmMetrics | null {
  const id = hex(cc.hash);
  let m = metricsCache.get(id);
  if (m === undefined) {
    try {
      m = wasmMetrics(cc.code);
    } catch {
      m = null;
    }
    if (metricsCache.size > 10_000) metricsCache.clear();
    metricsCache.set(id, m);
  }
  return m;
}

/** The cost inputs core stored with the code (ext v1, protocol 21+), Hubble's n_* source. */
function costInputsOf(cc: xdr.ContractCodeEntry): WasmMetrics | null {
  const ext = cc.ext;
  if (ext.type !== "v1") return null;
  const ci = ext.v1.costInputs;
  return {
    nInstructions: ci.nInstructions,
    nFunctions: ci.nFunctions,
    nGlobals: ci.nGlobals,
    nTableEntries: ci.nTableEntries,
    nTypes: ci.nTypes,
    nDataSegments: ci.nDataSegments,
    nElemSegments: ci.nElemSegments,
    nImports: ci.nImports,
    nExports: ci.nExports,
    nDataSegmentBytes: ci.nDataSegmentBytes,
  };
}

const big = (v: number | undefined) => (v === undefined ? null : BigInt(v));

/**
 * contract_code_snapshot_v1. The n_* columns are parsed from the WASM itself (so they exist for code uploaded
 * before protocol 21 too); a removal row carries the metrics of the removed code.
 */
export function contractCodeRows(ctx: ChangeInput): Rows["contract_code_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_CODE).map((c) => {
    const entry = entryOf(c);
    const cc = dataOf(entry, "contractCode").contractCode;
    const m = metricsOf(cc);
    return {
      contract_code_hash: hex(cc.hash),
      ledger_key_hash: keyXdrHash(c.keyXdr),
      contract_code_ext_v: ContractCodeEntryExtArm[cc.ext.type],
      last_modified_ledger: entry.lastModifiedLedgerSeq,
      ledger_entry_change: c.type,
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      ledger_sequence: base.ledger_sequence,
      n_instructions: big(m?.nInstructions),
      n_functions: big(m?.nFunctions),
      n_globals: big(m?.nGlobals),
      n_table_entries: big(m?.nTableEntries),
      n_types: big(m?.nTypes),
      n_data_segments: big(m?.nDataSegments),
      n_elem_segments: big(m?.nElemSegments),
      n_imports: big(m?.nImports),
      n_exports: big(m?.nExports),
      n_data_segment_bytes: big(m?.nDataSegmentBytes),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
    };
  });
}

/** Hubble `contract_code` records: n_* from the entry's cost inputs, 0 without them (stellar-etl). */
export function contractCodeRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_CODE).map((c) => {
    const entry = entryOf(c);
    const cc = dataOf(entry, "contractCode").contractCode;
    const ci = costInputsOf(cc);
    return {
      contract_code_hash: hex(cc.hash),
      contract_code_ext_v: ContractCodeEntryExtArm[cc.ext.type],
      ledger_key_hash: keyXdrHash(c.keyXdr),
      ledger_key_hash_base_64: base64(c.keyXdr),
      n_instructions: ci?.nInstructions ?? 0,
      n_functions: ci?.nFunctions ?? 0,
      n_globals: ci?.nGlobals ?? 0,
      n_table_entries: ci?.nTableEntries ?? 0,
      n_types: ci?.nTypes ?? 0,
      n_data_segments: ci?.nDataSegments ?? 0,
      n_elem_segments: ci?.nElemSegments ?? 0,
      n_imports: ci?.nImports ?? 0,
      n_exports: ci?.nExports ?? 0,
      n_data_segment_bytes: ci?.nDataSegmentBytes ?? 0,
      ...hubbleChangeFields(ctx, c),
    };
  });
}

export { costInputsOf };
