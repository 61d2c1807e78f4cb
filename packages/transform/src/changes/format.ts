/**
 * Small encoders the change tables share: strkeys, assets, amounts. Kept here (not in src/shared/, owned by
 * the core engineer) so the change tables stand alone; they follow the Hubble conventions of
 * ../shared/reference/hubble-semantics.md §6-7.
 */
import { hash } from "node:crypto";
import { xdr } from "@stellar/stellar-sdk/base";
import { flat } from "../ndjson";
import { accountStrkey } from "./strkey-cache";

export function accountIdString(id: xdr.AccountId | xdr.PublicKey): string {
  return accountStrkey(id.ed25519.value);
}

/** G… address of a (possibly muxed) account: Hubble never uses the M… form for entry owners. */
export function muxedBaseAddress(m: xdr.MuxedAccount): string {
  return accountStrkey(m.type === "keyTypeEd25519" ? m.ed25519.value : m.med25519.ed25519.value);
}

export type AssetTypeName = "native" | "credit_alphanum4" | "credit_alphanum12" | "liquidity_pool_shares";

export interface AssetParts {
  readonly type: AssetTypeName;
  /** Trailing NULs trimmed; "" for native and pool shares. */
  readonly code: string;
  /** G… issuer; "" for native and pool shares. */
  readonly issuer: string;
  /** Hex pool id for pool-share trust lines, else "". */
  readonly poolId: string;
}

export const NATIVE: AssetParts = { type: "native", code: "", issuer: "", poolId: "" };

export function assetCode(code: Bytes): string {
  const raw = bytesOf(code);
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return view(raw.subarray(0, end)).toString("utf8");
}

/** Asset, TrustLineAsset or ChangeTrustAsset (all share arms 0-2; arm 3 is a pool). */
export function assetParts(a: xdr.Asset | xdr.TrustLineAsset | xdr.ChangeTrustAsset): AssetParts {
  switch (a.type) {
    case "assetTypeNative":
      return NATIVE;
    case "assetTypeCreditAlphanum4": {
      const x = a.alphaNum4;
      return {
        type: "credit_alphanum4",
        code: assetCode(x.assetCode),
        issuer: accountIdString(x.issuer),
        poolId: "",
      };
    }
    case "assetTypeCreditAlphanum12": {
      const x = a.alphaNum12;
      return {
        type: "credit_alphanum12",
        code: assetCode(x.assetCode),
        issuer: accountIdString(x.issuer),
        poolId: "",
      };
    }
    case "assetTypePoolShare": {
      // A TrustLineAsset carries the pool id; a ChangeTrustAsset the pool's parameters (no id here).
      const id = a instanceof xdr.TrustLineAssetPoolShare ? hex(a.liquidityPoolId) : "";
      return { type: "liquidity_pool_shares", code: "", issuer: "", poolId: id };
    }
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether two Assets have the same XDR (arm, code bytes, issuer key type and bytes), compared field by field
 * instead of encoding both.
 */
export function assetsEqual(a: xdr.Asset, b: xdr.Asset): boolean {
  if (a.type === "assetTypeNative") return b.type === "assetTypeNative";
  if (b.type === "assetTypeNative") return false;
  const x = a.type === "assetTypeCreditAlphanum4" ? a.alphaNum4 : a.alphaNum12;
  const y = b.type === "assetTypeCreditAlphanum4" ? b.alphaNum4 : b.alphaNum12;
  if (a.type !== b.type) return false;
  // Issuers are AccountIds: a single-arm (ed25519) union, so the key bytes decide.
  return (
    bytesEqual(x.assetCode.value, y.assetCode.value) &&
    bytesEqual(x.issuer.ed25519.value, y.issuer.ed25519.value)
  );
}

/** Hex XDR of a ClaimableBalanceID: the 4-byte arm then the v0 hash (written, not encoded); other arms encoded. */
export function claimableBalanceIdHex(id: xdr.ClaimableBalanceId): string {
  // ClaimableBalanceId has the one arm (v0) in this XDR; a later arm would be encoded.
  if (id.type === "claimableBalanceIdTypeV0") return `00000000${hex(id.v0)}`;
  return hex(id.toXDR());
}

/** "native" or "CODE:ISSUER". */
export function canonicalAsset(a: AssetParts): string {
  return a.type === "native" ? "native" : `${a.code}:${a.issuer}`;
}

/** Exact 7-decimal amount string of a stroop count ("158239.0000000", "-0.0000001"). */
export function amountString(stroops: bigint): string {
  const neg = stroops < 0n;
  const abs = neg ? -stroops : stroops;
  const whole = abs / 10_000_000n;
  const frac = (abs % 10_000_000n).toString().padStart(7, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

const SAFE = 2n ** 53n;

/** The float64 nearest stroops/10^7, as Go's exact conversion gives it. */
export function amountFloat(stroops: bigint): number {
  if (stroops < SAFE && stroops > -SAFE) return Number(stroops) / 1e7;
  return Number(amountString(stroops));
}

/** Raw bytes, or a decoded XDR opaque typedef (Hash, PoolId, ScBytes, …: a BytesValue holding them). */
export type Bytes = Uint8Array | xdr.BytesValue;

export function bytesOf(b: Bytes): Uint8Array {
  return b instanceof Uint8Array ? b : b.value;
}

/** A Buffer view of the same bytes (no copy; Buffer.from(buffer) would copy them). */
export function view(b: Bytes): Buffer {
  const u = b instanceof Uint8Array ? b : b.value;
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

export function hex(b: Bytes): string {
  return view(b).toString("hex");
}

export function base64(b: Bytes): string {
  return view(b).toString("base64");
}

/** One-shot `crypto.hash` (Node ≥ 20.12): about twice as fast as createHash/update/digest on short inputs. */
export function sha256Hex(b: Bytes): string {
  return hash("sha256", bytesOf(b), "hex");
}

const keyHashes = new Map<string, string>();

/**
 * sha256 hex of a ledger key's XDR, memoised by content: the same keys recur throughout a ledger (every
 * invocation of a contract lists its instance and code in its footprint, and a changed entry's key reaches the
 * contract data, contract code and restored-keys tables), and a lookup by the bytes' latin1 text costs a
 * fraction of a hash. Bounded: cleared when it holds 100,000 keys (a few busy ledgers' worth).
 */
export function keyXdrHash(keyXdr: Buffer): string {
  const id = keyXdr.toString("latin1");
  let h = keyHashes.get(id);
  if (h === undefined) {
    h = sha256Hex(keyXdr);
    if (keyHashes.size >= 100_000) keyHashes.clear();
    keyHashes.set(id, h);
  }
  return h;
}

/** Go's time.Time JSON form for whole-second UTC times ("2020-07-27T21:12:51Z"). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * JSON text of a list of strings that never need escaping (strkeys, base64, hex): the same text as
 * JSON.stringify, without building and walking an array for it.
 */
export function plainStringsJson(list: readonly string[]): string {
  if (!list.length) return "[]";
  let out = `["${list[0]}`;
  for (let i = 1; i < list.length; i++) out += `","${list[i]}`;
  return flat(`${out}"]`);
}

/** An XDR `string<>` (the SDK's XdrString, its bytes as decoded), as UTF-8 text (invalid bytes as U+FFFD). */
export function xdrString(v: xdr.XdrString): string {
  return view(v.bytes).toString("utf8");
}
