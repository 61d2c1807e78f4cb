/** Describing bare ledger keys (evicted and restored keys carry no entry). */
import type { xdr } from "@stellar/stellar-sdk/base";
import { LedgerKeyArm } from "../xdr-arms";
import { hex, keyXdrHash, sha256Hex, view } from "./format";
import { addressString, durabilityName } from "./scval";

const ENTRY_TYPE_NAMES = [
  "LedgerEntryTypeAccount",
  "LedgerEntryTypeTrustline",
  "LedgerEntryTypeOffer",
  "LedgerEntryTypeData",
  "LedgerEntryTypeClaimableBalance",
  "LedgerEntryTypeLiquidityPool",
  "LedgerEntryTypeContractData",
  "LedgerEntryTypeContractCode",
  "LedgerEntryTypeConfigSetting",
  "LedgerEntryTypeTtl",
];

/** Go's LedgerEntryType name, as Hubble prints it (e.g. "LedgerEntryTypeContractData"). */
export function entryTypeName(type: number): string {
  return ENTRY_TYPE_NAMES[type] ?? `LedgerEntryType(${type})`;
}

export interface KeyInfo {
  readonly keyXdr: Buffer;
  /** sha256 of the key XDR, hex: the key of a TTL entry, and the key_hash of key tables. */
  readonly keyHash: string;
  readonly type: number;
  readonly contractId: string | null;
  readonly durability: string;
}

export function describeKey(key: xdr.LedgerKey, knownXdr?: Buffer): KeyInfo {
  const keyXdr = knownXdr ?? view(key.toXdr());
  const keyHash = knownXdr ? keyXdrHash(knownXdr) : sha256Hex(keyXdr);
  const type = LedgerKeyArm[key.type];
  if (key.type === "contractData") {
    const cd = key.contractData;
    return {
      keyXdr,
      keyHash,
      type,
      contractId: addressString(cd.contract),
      durability: durabilityName(cd.durability),
    };
  }
  if (key.type === "contractCode")
    return { keyXdr, keyHash, type, contractId: null, durability: "ContractDataDurabilityPersistent" };
  return { keyXdr, keyHash, type, contractId: null, durability: "unknown" };
}

/**
 * Describes a set of keys; a TTL key inherits contract id and durability from the data/code key it extends
 * when that key is in the same set (its keyHash is the sha256 of that key).
 */
export function describeKeys(
  keys: readonly xdr.LedgerKey[],
  knownXdr?: readonly (Buffer | undefined)[],
): KeyInfo[] {
  const infos = keys.map((k, i) => describeKey(k, knownXdr?.[i]));
  const byHash = new Map(infos.map((i) => [i.keyHash, i]));
  return infos.map((i, n) => {
    const key = keys[n] as xdr.LedgerKey;
    if (key.type !== "ttl") return i;
    const target = byHash.get(hex(key.ttl.keyHash));
    return target ? { ...i, contractId: target.contractId, durability: target.durability } : i;
  });
}
