/**
 * The XDR of an entry's LedgerKey, written straight from the entry (every change needs it as its identity,
 * and building a LedgerKey object to run the generic writer costs more than the rest of the change reader).
 * Tested for byte equality with the SDK on every change of the fixtures.
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import {
  ClaimableBalanceIdArm,
  ConfigSettingEntryArm,
  LedgerEntryDataArm,
  PublicKeyArm,
  ScAddressArm,
  TrustLineAssetArm,
} from "../xdr-arms";
import { Out, writeScVal } from "./scval-xdr";

const out = new Out();

function accountId(o: Out, id: xdr.AccountId): void {
  o.u32(PublicKeyArm.publicKeyTypeEd25519);
  o.fixed(id.ed25519.value);
}

function scAddress(o: Out, a: xdr.ScAddress): boolean {
  if (a.type === "scAddressTypeAccount") {
    o.u32(ScAddressArm.scAddressTypeAccount);
    accountId(o, a.accountId);
    return true;
  }
  if (a.type === "scAddressTypeContract") {
    o.u32(ScAddressArm.scAddressTypeContract);
    o.fixed(a.contractId.value);
    return true;
  }
  return false;
}

function trustLineAsset(o: Out, a: xdr.TrustLineAsset): void {
  o.u32(TrustLineAssetArm[a.type]);
  if (a.type === "assetTypeCreditAlphanum4") {
    o.fixed(a.alphaNum4.assetCode.value);
    accountId(o, a.alphaNum4.issuer);
  } else if (a.type === "assetTypeCreditAlphanum12") {
    o.fixed(a.alphaNum12.assetCode.value);
    accountId(o, a.alphaNum12.issuer);
  } else if (a.type === "assetTypePoolShare") {
    o.fixed(a.liquidityPoolId.value);
  }
}

/** A fixed-size key: its 4-byte type, an optional 4-byte tag, then raw bytes, in one exact allocation. */
function fixedKey(type: number, tag: number | null, bytes: Uint8Array): Buffer {
  const head = tag === null ? 4 : 8;
  const b = Buffer.allocUnsafe(head + bytes.length);
  b.writeUInt32BE(type, 0);
  if (tag !== null) b.writeUInt32BE(tag, 4);
  b.set(bytes, head);
  return b;
}

/** Key XDR of the entry, or null when an unusual arm needs the generic writer. */
export function entryKeyXdr(entry: xdr.LedgerEntry): Buffer | null {
  const d = entry.data;
  // The most frequent keys (accounts, TTLs, contract code) skip the general writer.
  switch (d.type) {
    case "account":
      return fixedKey(
        LedgerEntryDataArm.account,
        PublicKeyArm.publicKeyTypeEd25519,
        d.account.accountId.ed25519.value,
      );
    case "ttl":
      return fixedKey(LedgerEntryDataArm.ttl, null, d.ttl.keyHash.value);
    case "contractCode":
      return fixedKey(LedgerEntryDataArm.contractCode, null, d.contractCode.hash.value);
  }
  out.len = 0;
  out.u32(LedgerEntryDataArm[d.type]);
  switch (d.type) {
    case "trustline":
      accountId(out, d.trustLine.accountId);
      trustLineAsset(out, d.trustLine.asset);
      break;
    case "offer":
      accountId(out, d.offer.sellerId);
      out.u64(d.offer.offerId);
      break;
    case "data":
      accountId(out, d.data.accountId);
      out.opaque(d.data.dataName.bytes);
      break;
    case "claimableBalance": {
      const id = d.claimableBalance.balanceId;
      out.u32(ClaimableBalanceIdArm[id.type]);
      out.fixed(id.v0.value);
      break;
    }
    case "liquidityPool":
      out.fixed(d.liquidityPool.liquidityPoolId.value);
      break;
    case "contractData": {
      const cd = d.contractData;
      if (!scAddress(out, cd.contract)) return null;
      writeScVal(out, cd.key);
      out.u32(cd.durability.value);
      break;
    }
    case "configSetting":
      out.u32(ConfigSettingEntryArm[d.configSetting.type]);
      break;
  }
  return out.take();
}

/** ContractDataEntry XDR (ext v0) written directly; null for unusual arms. */
export function contractDataEntryXdr(cd: xdr.ContractDataEntry): Buffer | null {
  out.len = 0;
  out.u32(0);
  if (!scAddress(out, cd.contract)) return null;
  writeScVal(out, cd.key);
  out.u32(cd.durability.value);
  writeScVal(out, cd.val);
  return out.take();
}
