/**
 * ScVal → the JSON value stellar-xdr-json produces, built directly from the decoded ScVal for the common
 * arms (every event has several, so going through the WASM decoder per value would dominate the run time).
 * Rare arms (errors, contract instances, strings needing escapes, non-G/C addresses) take the exact path
 * through stellar-xdr-json. A test compares both on every event of the fixtures.
 */
import type { xdr } from "@stellar/stellar-base";
import { accountStrkey, contractStrkey } from "./strkey-cache";
import { xdrJsonValue } from "./xdr-json";

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function text(v: string | Buffer): string | null {
  const s = typeof v === "string" ? v : v.toString("latin1");
  return PLAIN.test(s) ? s : null;
}

function int128(hi: bigint, lo: bigint, signed: boolean): string {
  const h = signed ? BigInt.asIntN(64, hi) : BigInt.asUintN(64, hi);
  return ((h << 64n) + BigInt.asUintN(64, lo)).toString();
}

function int256(p: xdr.Int256Parts | xdr.UInt256Parts, signed: boolean): string {
  const hh = p.hiHi().toBigInt();
  const v =
    ((signed ? BigInt.asIntN(64, hh) : BigInt.asUintN(64, hh)) << 192n) +
    (BigInt.asUintN(64, p.hiLo().toBigInt()) << 128n) +
    (BigInt.asUintN(64, p.loHi().toBigInt()) << 64n) +
    BigInt.asUintN(64, p.loLo().toBigInt());
  return v.toString();
}

function slow(v: xdr.ScVal): unknown {
  return xdrJsonValue("ScVal", v.toXDR("base64"));
}

export function scValJson(v: xdr.ScVal): unknown {
  switch (v.switch().value) {
    case 0:
      return { bool: v.b() };
    case 1:
      return "void";
    case 3:
      return { u32: v.u32() };
    case 4:
      return { i32: v.i32() };
    case 5:
      return { u64: v.u64().toBigInt().toString() };
    case 6:
      return { i64: v.i64().toBigInt().toString() };
    case 7:
      return { timepoint: v.timepoint().toBigInt().toString() };
    case 8:
      return { duration: v.duration().toBigInt().toString() };
    case 9: {
      const p = v.u128();
      return { u128: int128(p.hi().toBigInt(), p.lo().toBigInt(), false) };
    }
    case 10: {
      const p = v.i128();
      return { i128: int128(p.hi().toBigInt(), p.lo().toBigInt(), true) };
    }
    case 11:
      return { u256: int256(v.u256(), false) };
    case 12:
      return { i256: int256(v.i256(), true) };
    case 13:
      return { bytes: Buffer.from(v.bytes()).toString("hex") };
    case 14: {
      const s = text(v.str());
      return s === null ? slow(v) : { string: s };
    }
    case 15: {
      const s = text(v.sym());
      return s === null ? slow(v) : { symbol: s };
    }
    case 16: {
      const vec = v.vec();
      return { vec: vec ? vec.map(scValJson) : null };
    }
    case 17: {
      const map = v.map();
      return { map: map ? map.map((e) => ({ key: scValJson(e.key()), val: scValJson(e.val()) })) : null };
    }
    case 18: {
      const a = v.address();
      const t = a.switch().value;
      if (t === 0) return { address: accountStrkey(a.accountId().ed25519()) };
      if (t === 1) return { address: contractStrkey(a.contractId() as unknown as Buffer) };
      return slow(v);
    }
    case 20:
      return "ledger_key_contract_instance";
    case 21:
      return { ledger_key_nonce: { nonce: v.nonceKey().nonce().toBigInt().toString() } };
    default:
      return slow(v);
  }
}
