/**
 * ScVal → the JSON value stellar-xdr-json produces, built directly from the decoded ScVal for the common
 * arms (every event has several, so going through the WASM decoder per value would dominate the run time).
 * Rare arms (errors, contract instances, strings needing escapes, non-G/C addresses) take the exact path
 * through stellar-xdr-json. A test compares both on every event of the fixtures.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { hex, view } from "./format";
import { addressString } from "./scval";
import { accountStrkey, contractStrkey } from "./strkey-cache";
import { xdrJsonValue } from "./xdr-json";

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function text(v: xdr.XdrString): string | null {
  const s = view(v.bytes).toString("latin1");
  return PLAIN.test(s) ? s : null;
}

function int128(hi: bigint, lo: bigint, signed: boolean): string {
  const h = signed ? BigInt.asIntN(64, hi) : BigInt.asUintN(64, hi);
  return ((h << 64n) + BigInt.asUintN(64, lo)).toString();
}

function int256(p: xdr.Int256Parts | xdr.Uint256Parts, signed: boolean): string {
  const hh = p.hiHi;
  const v =
    ((signed ? BigInt.asIntN(64, hh) : BigInt.asUintN(64, hh)) << 192n) +
    (BigInt.asUintN(64, p.hiLo) << 128n) +
    (BigInt.asUintN(64, p.loHi) << 64n) +
    BigInt.asUintN(64, p.loLo);
  return v.toString();
}

function slow(v: xdr.ScVal): unknown {
  return xdrJsonValue("ScVal", v.toXdr("base64"));
}

/**
 * SCV_EXECUTABLE_TAG (protocol 28, CAP-85) postdates stellar-xdr-json 27 (the latest release), so its JSON is
 * written here in that library's form for an ScString arm (`{"executable_tag":"…"}`, snake_case arm name);
 * text needing escapes takes the library's own escaping of the same bytes as an SCV_STRING.
 */
function executableTagText(tag: xdr.XdrString): string {
  const plain = text(tag);
  if (plain !== null) return plain;
  return (slow(xdr.ScVal.scvString(tag)) as { string: string }).string;
}

/**
 * A contract executable in stellar-xdr-json's form: {"wasm":"<hex>"}, "stellar_asset", and (protocol 28,
 * CAP-85, which stellar-xdr-json 27 cannot read) {"external_ref":{"executable_owner":"<address>","tag":"…"}},
 * the library's snake_case naming of the new arm and its fields.
 */
export function executableJson(e: xdr.ContractExecutable): unknown {
  switch (e.type) {
    case "contractExecutableWasm":
      return { wasm: hex(e.wasmHash) };
    case "contractExecutableStellarAsset":
      return "stellar_asset";
    case "contractExecutableExternalRef":
      return {
        external_ref: {
          executable_owner: addressString(e.externalRef.executableOwner),
          tag: executableTagText(e.externalRef.tag),
        },
      };
  }
}

export function scValJson(v: xdr.ScVal): unknown {
  switch (v.type) {
    case "scvBool":
      return { bool: v.b };
    case "scvVoid":
      return "void";
    case "scvU32":
      return { u32: v.u32 };
    case "scvI32":
      return { i32: v.i32 };
    case "scvU64":
      return { u64: v.u64.toString() };
    case "scvI64":
      return { i64: v.i64.toString() };
    case "scvTimepoint":
      return { timepoint: v.timepoint.toString() };
    case "scvDuration":
      return { duration: v.duration.toString() };
    case "scvU128": {
      const p = v.u128;
      return { u128: int128(p.hi, p.lo, false) };
    }
    case "scvI128": {
      const p = v.i128;
      return { i128: int128(p.hi, p.lo, true) };
    }
    case "scvU256":
      return { u256: int256(v.u256, false) };
    case "scvI256":
      return { i256: int256(v.i256, true) };
    case "scvBytes":
      return { bytes: hex(v.bytes) };
    case "scvString": {
      const s = text(v.str);
      return s === null ? slow(v) : { string: s };
    }
    case "scvSymbol": {
      const s = text(v.sym);
      return s === null ? slow(v) : { symbol: s };
    }
    case "scvVec": {
      const vec = v.vec;
      return { vec: vec ? vec.map(scValJson) : null };
    }
    case "scvMap": {
      const map = v.map;
      return { map: map ? map.map((e) => ({ key: scValJson(e.key), val: scValJson(e.val) })) : null };
    }
    case "scvAddress": {
      const a = v.address;
      if (a.type === "scAddressTypeAccount") return { address: accountStrkey(a.accountId.ed25519.value) };
      if (a.type === "scAddressTypeContract") return { address: contractStrkey(a.contractId.value) };
      return slow(v);
    }
    case "scvLedgerKeyContractInstance":
      return "ledger_key_contract_instance";
    case "scvLedgerKeyNonce":
      return { ledger_key_nonce: { nonce: v.nonceKey.nonce.toString() } };
    case "scvContractInstance": {
      const inst = v.instance;
      const storage = inst.storage;
      return {
        contract_instance: {
          executable: executableJson(inst.executable),
          storage: storage ? storage.map((e) => ({ key: scValJson(e.key), val: scValJson(e.val) })) : null,
        },
      };
    }
    case "scvExecutableTag":
      return { executable_tag: executableTagText(v.executableTag) };
    default:
      return slow(v);
  }
}
