/**
 * The XDR of an entry's LedgerKey, written straight from the entry (every change needs it as its identity,
 * and building a LedgerKey object to run the generic writer costs more than the rest of the change reader).
 * Tested for byte equality with stellar-base on every change of the fixtures.
 */
import type { xdr } from "@stellar/stellar-base";
import { Out, writeScVal } from "./scval-xdr";

const out = new Out();

function accountId(o: Out, id: xdr.AccountId): void {
  o.u32(0);
  o.fixed(id.ed25519());
}

function scAddress(o: Out, a: xdr.ScAddress): boolean {
  const t = a.switch().value;
  if (t === 0) {
    o.u32(0);
    accountId(o, a.accountId());
    return true;
  }
  if (t === 1) {
    o.u32(1);
    o.fixed(a.contractId() as unknown as Buffer);
    return true;
  }
  return false;
}

function trustLineAsset(o: Out, a: xdr.TrustLineAsset): void {
  const t = a.switch().value;
  o.u32(t);
  if (t === 1) {
    o.fixed(a.alphaNum4().assetCode());
    accountId(o, a.alphaNum4().issuer());
  } else if (t === 2) {
    o.fixed(a.alphaNum12().assetCode());
    accountId(o, a.alphaNum12().issuer());
  } else if (t === 3) {
    o.fixed(a.liquidityPoolId() as unknown as Buffer);
  }
}

/** Key XDR of the entry, or null when an unusual arm needs the generic writer. */
/** A fixed-size key: its 4-byte type, an optional 4-byte tag, then raw bytes, in one exact allocation. */
function fixedKey(type: number, tag: number | null, bytes: Uint8Array): Buffer {
  const head = tag === null ? 4 : 8;
  const b = Buffer.allocUnsafe(head + bytes.length);
  b.writeUInt32BE(type, 0);
  if (tag !== null) b.writeUInt32BE(tag, 4);
  b.set(bytes, head);
  return b;
}

export function entryKeyXdr(entry: xdr.LedgerEntry): Buffer | null {
  const d = entry.data();
  const t = d.switch().value;
  // The most frequent keys (accounts, TTLs, contract code) skip the general writer.
  if (t === 0) {
    const id = d.account().accountId();
    return fixedKey(0, 0, id.ed25519());
  }
  if (t === 9) return fixedKey(9, null, d.ttl().keyHash());
  if (t === 7) return fixedKey(7, null, d.contractCode().hash());
  out.len = 0;
  out.u32(t);
  // Types 0, 7 and 9 returned above.
  switch (t) {
    case 1:
      accountId(out, d.trustLine().accountId());
      trustLineAsset(out, d.trustLine().asset());
      break;
    case 2:
      accountId(out, d.offer().sellerId());
      out.u64(d.offer().offerId().toBigInt());
      break;
    case 3: {
      accountId(out, d.data().accountId());
      const name = d.data().dataName();
      out.opaque(typeof name === "string" ? Buffer.from(name, "utf8") : name);
      break;
    }
    case 4: {
      const id = d.claimableBalance().balanceId();
      out.u32(id.switch().value);
      out.fixed(id.v0());
      break;
    }
    case 5:
      out.fixed(d.liquidityPool().liquidityPoolId() as unknown as Buffer);
      break;
    case 6: {
      const cd = d.contractData();
      if (!scAddress(out, cd.contract())) return null;
      writeScVal(out, cd.key());
      out.u32(cd.durability().value);
      break;
    }
    case 8:
      out.u32(d.configSetting().switch().value);
      break;
    default:
      return null;
  }
  return out.take();
}

/** ContractDataEntry XDR (ext v0) written directly; null for unusual arms. */
export function contractDataEntryXdr(cd: xdr.ContractDataEntry): Buffer | null {
  out.len = 0;
  out.u32(0);
  if (!scAddress(out, cd.contract())) return null;
  writeScVal(out, cd.key());
  out.u32(cd.durability().value);
  writeScVal(out, cd.val());
  return out.take();
}
