/**
 * Memoised strkeys: base32 + CRC encoding costs microseconds, and events repeat the same few contracts and
 * accounts thousands of times per ledger.
 */
import { StrKey } from "@stellar/stellar-base";

const LIMIT = 100_000;
const accounts = new Map<string, string>();
const contracts = new Map<string, string>();

function cached(map: Map<string, string>, raw: Uint8Array, encode: (b: Buffer) => string): string {
  const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const k = b.toString("latin1");
  let s = map.get(k);
  if (s === undefined) {
    s = encode(b);
    if (map.size >= LIMIT) map.clear();
    map.set(k, s);
  }
  return s;
}

export function accountStrkey(ed25519: Uint8Array): string {
  return cached(accounts, ed25519, (b) => StrKey.encodeEd25519PublicKey(b));
}

export function contractStrkey(id: Uint8Array): string {
  return cached(contracts, id, (b) => StrKey.encodeContract(b));
}
