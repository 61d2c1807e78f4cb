/**
 * ScVal → XDR bytes for the common arms, written directly (the SDK's generic writer costs several µs
 * per value, and every event carries several). Other arms use the generic writer. Tested for byte equality
 * against the SDK on every event of the fixtures.
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import { PublicKeyArm, ScAddressArm, ScValArm } from "../xdr-arms";

export class Out {
  buf = Buffer.allocUnsafe(256);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
  }
  /** The bytes written so far, copied out; the writer can then be reset and reused. */
  take(): Buffer {
    // allocUnsafe + copy: Buffer.from(buffer) copies through the generic array-like path.
    const b = Buffer.allocUnsafe(this.len);
    this.buf.copy(b, 0, 0, this.len);
    this.len = 0;
    return b;
  }
  u64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.len);
    this.len += 8;
  }
  opaque(b: Uint8Array): void {
    const pad = (4 - (b.length % 4)) % 4;
    this.u32(b.length);
    this.ensure(b.length + pad);
    this.buf.set(b, this.len);
    this.len += b.length;
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }
  fixed(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

export function writeScVal(o: Out, v: xdr.ScVal): void {
  const t = ScValArm[v.type];
  switch (v.type) {
    case "scvBool":
      o.u32(t);
      o.u32(v.b ? 1 : 0);
      return;
    case "scvVoid":
    case "scvLedgerKeyContractInstance":
      o.u32(t);
      return;
    case "scvU32":
      o.u32(t);
      o.u32(v.u32);
      return;
    case "scvI32":
      o.u32(t);
      o.i32(v.i32);
      return;
    case "scvU64":
      o.u32(t);
      o.u64(v.u64);
      return;
    case "scvI64":
      o.u32(t);
      o.u64(v.i64);
      return;
    case "scvTimepoint":
      o.u32(t);
      o.u64(v.timepoint);
      return;
    case "scvDuration":
      o.u32(t);
      o.u64(v.duration);
      return;
    case "scvU128": {
      const p = v.u128;
      o.u32(t);
      o.u64(p.hi);
      o.u64(p.lo);
      return;
    }
    case "scvI128": {
      const p = v.i128;
      o.u32(t);
      o.u64(p.hi);
      o.u64(p.lo);
      return;
    }
    case "scvU256":
    case "scvI256": {
      const p = v.type === "scvU256" ? v.u256 : v.i256;
      o.u32(t);
      o.u64(p.hiHi);
      o.u64(p.hiLo);
      o.u64(p.loHi);
      o.u64(p.loLo);
      return;
    }
    case "scvBytes":
      o.u32(t);
      o.opaque(v.bytes.value);
      return;
    case "scvString":
      o.u32(t);
      o.opaque(v.str.bytes);
      return;
    case "scvSymbol":
      o.u32(t);
      o.opaque(v.sym.bytes);
      return;
    case "scvVec": {
      const vec = v.vec;
      o.u32(t);
      if (!vec) {
        o.u32(0);
        return;
      }
      o.u32(1);
      o.u32(vec.length);
      for (const item of vec) writeScVal(o, item);
      return;
    }
    case "scvMap": {
      const map = v.map;
      o.u32(t);
      if (!map) {
        o.u32(0);
        return;
      }
      o.u32(1);
      o.u32(map.length);
      for (const e of map) {
        writeScVal(o, e.key);
        writeScVal(o, e.val);
      }
      return;
    }
    case "scvAddress": {
      const a = v.address;
      if (a.type === "scAddressTypeAccount") {
        o.u32(t);
        o.u32(ScAddressArm.scAddressTypeAccount);
        o.u32(PublicKeyArm.publicKeyTypeEd25519);
        o.fixed(a.accountId.ed25519.value);
        return;
      }
      if (a.type === "scAddressTypeContract") {
        o.u32(t);
        o.u32(ScAddressArm.scAddressTypeContract);
        o.fixed(a.contractId.value);
        return;
      }
      o.fixed(v.toXdr());
      return;
    }
    case "scvLedgerKeyNonce":
      o.u32(t);
      o.u64(v.nonceKey.nonce);
      return;
    default:
      o.fixed(v.toXdr());
  }
}

const shared = new Out();

export function scValXdr(v: xdr.ScVal): Buffer {
  shared.len = 0;
  writeScVal(shared, v);
  return shared.take();
}

export function scValBase64(v: xdr.ScVal): string {
  shared.len = 0;
  writeScVal(shared, v);
  return shared.buf.toString("base64", 0, shared.len);
}
