/**
 * Reading a LedgerCloseMeta's header fields straight from its XDR bytes, without decoding the whole ledger:
 * the source server and the ingester need the sequence (and the chain hashes) of every ledger, including
 * ledgers of protocols the decoder does not know yet.
 *
 * Layout: LedgerCloseMeta = union(int v) { 0: V0, 1: V1, 2: V2 }; V1 and V2 start with a LedgerCloseMetaExt
 * (int 0, or int 1 + ExtensionPoint + int64). Each then starts with LedgerHeaderHistoryEntry { Hash hash; LedgerHeader header { uint32
 * ledgerVersion; Hash previousLedgerHash; StellarValue scpValue { Hash txSetHash; uint64 closeTime;
 * UpgradeType upgrades<6>; union(int) ext { 0: void; 1: { PublicKey nodeID; Signature signature }; 2: { Hash txSetHash;
 * Hash previousLedgerHash; uint32 previousLedgerVersion; { PublicKey nodeID; Signature signature } } } };
 * Hash txSetResultHash; Hash bucketListHash; uint32 ledgerSeq; ... } }.
 */
import { createHash } from "node:crypto";
export interface LedgerHeaderPeek {
  /** LedgerCloseMeta arm (0, 1, 2). */
  version: number;
  sequence: number;
  protocolVersion: number;
  /** Hex hash of this ledger (LedgerHeaderHistoryEntry.hash). */
  hash: string;
  previousLedgerHash: string;
  /** Close time, seconds since the epoch. */
  closeTime: number;
}

export class HeaderPeekError extends Error {
  override readonly name = "HeaderPeekError";
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Byte offsets inside a LedgerCloseMeta of the header fields a re-sequencer rewrites. */
export interface LedgerHeaderLayout {
  /** LedgerHeaderHistoryEntry.hash (32 bytes): sha256 of the LedgerHeader bytes [headerStart, headerEnd). */
  hashOffset: number;
  headerStart: number;
  headerEnd: number;
  previousHashOffset: number;
  closeTimeOffset: number;
  sequenceOffset: number;
}

export function peekLedgerHeader(xdr: Uint8Array): LedgerHeaderPeek {
  const { peek } = walkHeader(xdr);
  return peek;
}

export function ledgerHeaderLayout(xdr: Uint8Array): LedgerHeaderLayout {
  return walkHeader(xdr).layout;
}

/**
 * A copy of a LedgerCloseMeta whose header says `protocol`, with the header's hash recomputed: a well-formed ledger
 * of another protocol (how tests and tools make a ledger newer than the build from a real one).
 */
export function withHeaderProtocol(xdr: Uint8Array, protocol: number): Buffer {
  const out = Buffer.from(xdr);
  const layout = ledgerHeaderLayout(out);
  out.writeUInt32BE(protocol, layout.headerStart);
  createHash("sha256")
    .update(out.subarray(layout.headerStart, layout.headerEnd))
    .digest()
    .copy(out, layout.hashOffset);
  return out;
}

function walkHeader(xdr: Uint8Array): { peek: LedgerHeaderPeek; layout: LedgerHeaderLayout } {
  const buf = Buffer.isBuffer(xdr) ? xdr : Buffer.from(xdr.buffer, xdr.byteOffset, xdr.byteLength);
  let off = 0;
  const need = (n: number) => {
    if (off + n > buf.length) {
      throw new HeaderPeekError(
        off,
        `ledger header truncated: need ${n} bytes at offset ${off}, have ${buf.length - off}`,
      );
    }
  };
  const u32 = () => {
    need(4);
    const v = buf.readUInt32BE(off);
    off += 4;
    return v;
  };
  const skip = (n: number) => {
    need(n);
    off += n;
  };
  const hex = (n: number) => {
    need(n);
    const s = buf.toString("hex", off, off + n);
    off += n;
    return s;
  };
  const version = u32();
  if (version > 2) throw new HeaderPeekError(0, `unknown LedgerCloseMeta version ${version}`);
  if (version > 0) {
    // LedgerCloseMetaExt: 0 = void, 1 = { ExtensionPoint ext; int64 sorobanFeeWrite1KB }.
    const ext = u32();
    if (ext === 1) skip(12);
    else if (ext !== 0) throw new HeaderPeekError(4, `unknown LedgerCloseMeta extension ${ext}`);
  }
  const hashOffset = off;
  const hash = hex(32);
  const headerStart = off;
  const protocolVersion = u32();
  const previousHashOffset = off;
  const previousLedgerHash = hex(32);
  skip(32); // txSetHash
  need(8);
  const closeTimeOffset = off;
  const closeTime = Number(buf.readBigUInt64BE(off));
  off += 8;
  const upgrades = u32();
  if (upgrades > 6) throw new HeaderPeekError(off - 4, `${upgrades} upgrades (at most 6)`);
  for (let i = 0; i < upgrades; i++) skip(pad4(u32()));
  const ext = u32();
  const signature = () => {
    const keyType = u32();
    if (keyType !== 0) throw new HeaderPeekError(off - 4, `unknown node id key type ${keyType}`);
    skip(32);
    const sigLen = u32();
    if (sigLen > 64) throw new HeaderPeekError(off - 4, `signature of ${sigLen} bytes (at most 64)`);
    skip(pad4(sigLen));
  };
  if (ext === 1) signature();
  else if (ext === 2) {
    // Protocol 28 (CAP-83) empty tx set: the proposed value { txSetHash, previousLedgerHash,
    // previousLedgerVersion, LedgerCloseValueSignature }.
    skip(32 + 32 + 4);
    signature();
  } else if (ext !== 0) {
    throw new HeaderPeekError(off - 4, `unknown StellarValue extension ${ext}`);
  }
  skip(64); // txSetResultHash, bucketListHash
  const sequenceOffset = off;
  const sequence = u32();
  // totalCoins, feePool, inflationSeq, idPool, baseFee, baseReserve, maxTxSetSize, skipList[4]
  skip(8 + 8 + 4 + 8 + 4 + 4 + 4 + 4 * 32);
  const headerExt = u32();
  if (headerExt === 1) {
    skip(4); // LedgerHeaderExtensionV1.flags
    const inner = u32();
    if (inner !== 0) throw new HeaderPeekError(off - 4, `unknown LedgerHeaderExtensionV1 extension ${inner}`);
  } else if (headerExt !== 0) {
    throw new HeaderPeekError(off - 4, `unknown LedgerHeader extension ${headerExt}`);
  }
  return {
    peek: { version, sequence, protocolVersion, hash, previousLedgerHash, closeTime },
    layout: { hashOffset, headerStart, headerEnd: off, previousHashOffset, closeTimeOffset, sequenceOffset },
  };
}

/** The sequence number of a LedgerCloseMeta, read from its header bytes. */
export function peekLedgerSequence(xdr: Uint8Array): number {
  return peekLedgerHeader(xdr).sequence;
}
