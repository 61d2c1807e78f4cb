/**
 * Memoised strkeys: base32 + CRC encoding costs microseconds, and events repeat the same few contracts and
 * accounts thousands of times per ledger.
 */

const LIMIT = 100_000;
const accounts = new Map<number, Entry[]>();
const contracts = new Map<number, Entry[]>();

interface Entry {
  readonly bytes: Uint8Array;
  readonly strkey: string;
}

/**
 * Keyed by the first 4 bytes as a number (keys are hashes or public keys, so they spread well), confirmed by
 * comparing all bytes in a JS loop (a native Buffer.equals call per lookup cost more than the loop): no
 * per-lookup string building or allocation.
 */
function cached(map: Map<number, Entry[]>, raw: Uint8Array, encode: (b: Uint8Array) => string): string {
  const n = raw.length;
  const k =
    n >= 4
      ? (raw[0] as number) |
        ((raw[1] as number) << 8) |
        ((raw[2] as number) << 16) |
        ((raw[3] as number) << 24)
      : -1 - n;
  let bucket = map.get(k);
  if (bucket) {
    for (let e = 0; e < bucket.length; e++) {
      const entry = bucket[e] as Entry;
      const b = entry.bytes;
      if (b.length !== n) continue;
      // The bucket key covers the first 4 bytes (a bijection); shorter inputs compare from the start.
      let i = n >= 4 ? 4 : 0;
      while (i < n && b[i] === raw[i]) i++;
      if (i >= n) return entry.strkey;
    }
  } else {
    if (map.size >= LIMIT) map.clear();
    bucket = [];
    map.set(k, bucket);
  }
  const strkey = encode(raw);
  bucket.push({ bytes: Uint8Array.prototype.slice.call(raw), strkey });
  return strkey;
}

export function accountStrkey(ed25519: Uint8Array): string {
  return cached(accounts, ed25519, encodeAccount);
}

export function contractStrkey(id: Uint8Array): string {
  return cached(contracts, id, encodeContract);
}

const encodeAccount = (b: Uint8Array) => encodeStrkey(VERSION_ACCOUNT, b);
const encodeContract = (b: Uint8Array) => encodeStrkey(VERSION_CONTRACT, b);

/** Strkey version bytes (SEP-23): G account, C contract. */
export const VERSION_ACCOUNT = 6 << 3;
export const VERSION_CONTRACT = 2 << 3;

const ALPHABET = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "latin1");

/** CRC16-XModem, one table lookup per byte (the bitwise loop showed up in profiles: tx_signers encodes every signature). */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[i] = crc;
  }
  return t;
})();

function crc16xmodem(b: Uint8Array, len: number): number {
  let crc = 0;
  for (let i = 0; i < len; i++)
    crc = ((crc << 8) & 0xffff) ^ (CRC_TABLE[((crc >> 8) ^ (b[i] as number)) & 0xff] as number);
  return crc;
}

/** Scratch space for one encoding: raw bytes (version + payload + CRC) and their base32 characters. */
let rawScratch = new Uint8Array(128);
let charScratch = Buffer.allocUnsafe(256);

/**
 * version byte + payload + CRC16-XModem (little endian), base32 without padding: the same text as
 * stellar-base's StrKey encoders (a test compares them), several times faster. The characters are written
 * into a byte buffer and read out as one latin1 string (no per-character string concatenation).
 */
export function encodeStrkey(version: number, payload: Uint8Array): string {
  const n = payload.length + 3;
  if (n > rawScratch.length) {
    rawScratch = new Uint8Array(n * 2);
    charScratch = Buffer.allocUnsafe(Math.ceil((n * 2 * 8) / 5));
  }
  const raw = rawScratch;
  raw[0] = version;
  raw.set(payload, 1);
  const crc = crc16xmodem(raw, n - 2);
  raw[n - 2] = crc & 0xff;
  raw[n - 1] = crc >> 8;
  const out = charScratch;
  let len = 0;
  let bits = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    value = (value << 8) | (raw[i] as number);
    bits += 8;
    while (bits >= 5) {
      out[len++] = ALPHABET[(value >>> (bits - 5)) & 31] as number;
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out[len++] = ALPHABET[(value << (5 - bits)) & 31] as number;
  return out.toString("latin1", 0, len);
}
