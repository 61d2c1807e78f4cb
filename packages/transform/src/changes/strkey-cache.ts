/**
 * Memoised strkeys: base32 + CRC encoding costs microseconds, and events repeat the same few contracts and
 * accounts thousands of times per ledger.
 */
import { StrKey } from "@stellar/stellar-base";

const LIMIT = 100_000;
const accounts = new Map<number, Entry[]>();
const contracts = new Map<number, Entry[]>();

interface Entry {
  readonly bytes: Buffer;
  readonly strkey: string;
}

/**
 * Keyed by the first 4 bytes as a number (keys are hashes or public keys, so they spread well), confirmed by
 * comparing all bytes: no per-lookup string building.
 */
function cached(map: Map<number, Entry[]>, raw: Uint8Array, encode: (b: Buffer) => string): string {
  const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const k = b.length >= 4 ? b.readUInt32LE(0) : -1;
  let bucket = map.get(k);
  if (bucket) {
    for (const e of bucket) if (e.bytes.equals(b)) return e.strkey;
  } else {
    if (map.size >= LIMIT) map.clear();
    bucket = [];
    map.set(k, bucket);
  }
  const strkey = encode(b);
  bucket.push({ bytes: Buffer.from(b), strkey });
  return strkey;
}

/** Per decoded key buffer: the same account is read from the same object by several tables. */
const byObject = new WeakMap<Uint8Array, string>();

export function accountStrkey(ed25519: Uint8Array): string {
  let s = byObject.get(ed25519);
  if (s === undefined) {
    s = cached(accounts, ed25519, (b) => StrKey.encodeEd25519PublicKey(b));
    byObject.set(ed25519, s);
  }
  return s;
}

export function contractStrkey(id: Uint8Array): string {
  return cached(contracts, id, (b) => StrKey.encodeContract(b));
}
