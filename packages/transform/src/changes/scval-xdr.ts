/**
 * ScVal → XDR bytes for the common arms, written directly (stellar-base's generic writer costs several µs
 * per value, and every event carries several). Other arms use the generic writer. Tested for byte equality
 * against stellar-base on every event of the fixtures.
 */
import type { xdr } from "@stellar/stellar-base";

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

function bytesOf(v: string | Buffer): Buffer {
  return typeof v === "string" ? Buffer.from(v, "utf8") : v;
}

export function writeScVal(o: Out, v: xdr.ScVal): void {
  const t = v.switch().value;
  switch (t) {
    case 0:
      o.u32(t);
      o.u32(v.b() ? 1 : 0);
      return;
    case 1:
    case 20:
      o.u32(t);
      return;
    case 3:
      o.u32(t);
      o.u32(v.u32());
      return;
    case 4:
      o.u32(t);
      o.i32(v.i32());
      return;
    case 5:
      o.u32(t);
      o.u64(v.u64().toBigInt());
      return;
    case 6:
      o.u32(t);
      o.u64(v.i64().toBigInt());
      return;
    case 7:
      o.u32(t);
      o.u64(v.timepoint().toBigInt());
      return;
    case 8:
      o.u32(t);
      o.u64(v.duration().toBigInt());
      return;
    case 9: {
      const p = v.u128();
      o.u32(t);
      o.u64(p.hi().toBigInt());
      o.u64(p.lo().toBigInt());
      return;
    }
    case 10: {
      const p = v.i128();
      o.u32(t);
      o.u64(p.hi().toBigInt());
      o.u64(p.lo().toBigInt());
      return;
    }
    case 11:
    case 12: {
      const p = t === 11 ? v.u256() : v.i256();
      o.u32(t);
      o.u64(p.hiHi().toBigInt());
      o.u64(p.hiLo().toBigInt());
      o.u64(p.loHi().toBigInt());
      o.u64(p.loLo().toBigInt());
      return;
    }
    case 13:
      o.u32(t);
      o.opaque(v.bytes());
      return;
    case 14:
      o.u32(t);
      o.opaque(bytesOf(v.str()));
      return;
    case 15:
      o.u32(t);
      o.opaque(bytesOf(v.sym()));
      return;
    case 16: {
      const vec = v.vec();
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
    case 17: {
      const map = v.map();
      o.u32(t);
      if (!map) {
        o.u32(0);
        return;
      }
      o.u32(1);
      o.u32(map.length);
      for (const e of map) {
        writeScVal(o, e.key());
        writeScVal(o, e.val());
      }
      return;
    }
    case 18: {
      const a = v.address();
      const at = a.switch().value;
      if (at === 0) {
        o.u32(t);
        o.u32(0);
        o.u32(a.accountId().switch().value);
        o.fixed(a.accountId().ed25519());
        return;
      }
      if (at === 1) {
        o.u32(t);
        o.u32(1);
        o.fixed(a.contractId() as unknown as Buffer);
        return;
      }
      o.fixed(v.toXDR());
      return;
    }
    case 21:
      o.u32(t);
      o.u64(v.nonceKey().nonce().toBigInt());
      return;
    default:
      o.fixed(v.toXDR());
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
