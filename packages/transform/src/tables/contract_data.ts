import type { xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { base64, keyXdrHash } from "../changes/format";
import { contractDataEntryXdr } from "../changes/key-xdr";
import { dataOf } from "../changes/ledger";
import { spanOf } from "../changes/raw-xdr";
import {
  addressString,
  contractBalanceOf,
  durabilityName,
  sacAssetOf,
  scValTypeName,
} from "../changes/scval";
import { scValJson } from "../changes/scval-json";
import { scValBase64 } from "../changes/scval-xdr";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_CONTRACT_DATA,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
} from "../changes/snapshot";

/** The entry's XDR: its bytes in the ledger when decoded from one, else written (or, for rare arms, encoded). */
function contractDataBase64(cd: xdr.ContractDataEntry): string {
  const s = spanOf(cd);
  if (s) return s.buffer.toString("base64", s.start, s.end);
  return base64(contractDataEntryXdr(cd) ?? cd.toXdr());
}

/**
 * contract_data_snapshot_v1, with Stellar Asset Contract detection: asset_* on a SAC's instance entry,
 * balance_holder/balance on a SAC balance held by a contract (G-account SAC balances live in trust lines).
 */
export function contractDataRows(ctx: ChangeInput): Rows["contract_data_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_DATA).map((c) => {
    const entry = entryOf(c);
    const cd = dataOf(entry, "contractData").contractData;
    const asset = sacAssetOf(cd, ctx.networkPassphrase);
    const bal = contractBalanceOf(cd, ctx.networkPassphrase);
    return {
      contract_id: addressString(cd.contract),
      ledger_sequence: base.ledger_sequence,
      ledger_key_hash: keyXdrHash(c.keyXdr),
      contract_key_type: scValTypeName(cd.key),
      contract_durability: durabilityName(cd.durability),
      asset_code: asset?.code ?? null,
      asset_issuer: asset?.issuer ?? null,
      asset_type: asset?.type ?? null,
      balance_holder: bal?.holder ?? null,
      balance: bal?.amount ?? null,
      last_modified_ledger: entry.lastModifiedLedgerSeq,
      ledger_entry_change: c.type,
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      contract_data_xdr: contractDataBase64(cd),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
    };
  });
}

/** Hubble `contract_data` records (stellar-etl ContractDataOutput). */
export function contractDataRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_DATA).map((c) => {
    const entry = entryOf(c);
    const cd = dataOf(entry, "contractData").contractData;
    const asset = sacAssetOf(cd, ctx.networkPassphrase);
    const bal = contractBalanceOf(cd, ctx.networkPassphrase);
    const key = scValBase64(cd.key);
    const val = scValBase64(cd.val);
    return {
      contract_id: addressString(cd.contract),
      contract_key_type: scValTypeName(cd.key),
      contract_durability: durabilityName(cd.durability),
      asset_code: asset?.code ?? "",
      asset_issuer: asset?.issuer ?? "",
      asset_type: asset?.type ?? "",
      balance_holder: bal?.holder ?? "",
      balance: bal?.amount ?? "",
      ledger_key_hash: keyXdrHash(c.keyXdr),
      ledger_key_hash_base_64: base64(c.keyXdr),
      key,
      key_decoded: scValJson(cd.key),
      val,
      val_decoded: scValJson(cd.val),
      contract_data_xdr: contractDataBase64(cd),
      ...hubbleChangeFields(ctx, c),
    };
  });
}
