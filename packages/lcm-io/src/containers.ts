/**
 * The containers ledgers come in, told apart by content, not by file name:
 * - Galexie batch: (zstd-compressed) XDR `LedgerCloseMetaBatch { uint32 startSequence; uint32 endSequence;
 *   LedgerCloseMeta ledgerCloseMeta<>; }`;
 * - framed stream: RFC 5531 record marking (u32 header: bit 31 = last fragment, low 31 bits = length), one
 *   LedgerCloseMeta per record (Go's xdr.Stream; stellar-core's meta stream), optionally zstd-compressed.
 * Each ledger comes out as its exact XDR bytes (never re-encoded) and its sequence.
 */
import { readFile } from "node:fs/promises";
import { Reader } from "@stellar/js-xdr";
import { xdr as stellarXdr } from "@stellar/stellar-sdk/base";
import { LedgerFileError } from "./errors";
import { HeaderPeekError, peekLedgerSequence } from "./header";
import { decompressZstd, isZstd } from "./zstd";

export interface LedgerBlob {
  sequence: number;
  /** One LedgerCloseMeta, exactly as stored. */
  xdr: Buffer;
  /** Byte offset of the ledger in the (decompressed) container. */
  offset: number;
}

export type ContainerKind = "batch" | "framed";

const LAST_FRAGMENT = 0x80000000;

function sequenceAt(file: string, xdr: Buffer, offset: number): number {
  try {
    return peekLedgerSequence(xdr);
  } catch (err) {
    const at = err instanceof HeaderPeekError ? offset + err.offset : offset;
    throw new LedgerFileError(file, `not a LedgerCloseMeta: ${(err as Error).message}`, at);
  }
}

/**
 * Which container `buf` (decompressed) holds. A batch starts with its start sequence (< 2^31, so bit 31 clear);
 * a framed stream's first header has bit 31 set (single-fragment records, as every writer here produces) or,
 * for multi-fragment records, a length that fits the buffer where a batch's endSequence would not make sense.
 */
export function detectContainer(buf: Buffer, file: string): ContainerKind {
  if (buf.length < 4) throw new LedgerFileError(file, `only ${buf.length} bytes: not a ledger container`, 0);
  const first = buf.readUInt32BE(0);
  if (first & LAST_FRAGMENT) return "framed";
  if (buf.length >= 12) {
    const end = buf.readUInt32BE(4);
    const count = buf.readUInt32BE(8);
    if (end >= first && count === end - first + 1) return "batch";
  }
  // A non-final first fragment: its length must fit.
  if (first + 4 <= buf.length) return "framed";
  throw new LedgerFileError(
    file,
    "neither a LedgerCloseMetaBatch nor a record-marked LedgerCloseMeta stream",
    0,
  );
}

function splitFramed(buf: Buffer, file: string): LedgerBlob[] {
  const out: LedgerBlob[] = [];
  let off = 0;
  while (off < buf.length) {
    const recordStart = off;
    const parts: Buffer[] = [];
    for (;;) {
      if (off + 4 > buf.length) throw new LedgerFileError(file, "truncated record header", off);
      const header = buf.readUInt32BE(off);
      const len = header & ~LAST_FRAGMENT;
      if (off + 4 + len > buf.length) {
        throw new LedgerFileError(
          file,
          `record of ${len} bytes runs past the end (${buf.length - off - 4} left)`,
          off,
        );
      }
      parts.push(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
      if (header & LAST_FRAGMENT) break;
    }
    const xdr = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const sequence = sequenceAt(file, xdr, recordStart + 4);
    out.push({ sequence, xdr, offset: recordStart + 4 });
  }
  return out;
}

function splitBatch(buf: Buffer, file: string, wholeFrame: boolean): LedgerBlob[] {
  const start = buf.readUInt32BE(0);
  const end = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (count !== end - start + 1) {
    throw new LedgerFileError(file, `batch ${start}-${end} declares ${count} ledgers`, 8);
  }
  if (count === 1 && wholeFrame) {
    // One ledger per file is Galexie's usual layout: the rest of a complete zstd frame is the ledger, so no
    // decode is needed (an uncompressed file could be cut short unnoticed: it takes the decoding path below).
    const xdr = buf.subarray(12);
    const sequence = sequenceAt(file, xdr, 12);
    if (sequence !== start)
      throw new LedgerFileError(file, `batch ${start} holds ledger ${sequence}`, 12, sequence);
    return [{ sequence, xdr, offset: 12 }];
  }
  // Several ledgers: XDR has no per-element lengths, so walk the elements with the decoder to find their ends.
  const reader = new Reader(buf);
  reader.readBytes(12, "LedgerCloseMetaBatch header");
  // The wire-level reader of the SDK's schema: walks the bytes without building the SDK's objects.
  const schema = stellarXdr.LedgerCloseMeta.schema as unknown as {
    _read(r: Reader, path: string): unknown;
  };
  const out: LedgerBlob[] = [];
  for (let i = 0; i < count; i++) {
    const from = reader.offset;
    const expected = start + i;
    try {
      schema._read(reader, "LedgerCloseMeta");
    } catch (err) {
      throw new LedgerFileError(
        file,
        `cannot decode ledger ${i + 1} of ${count}: ${(err as Error).message}`,
        from,
        expected,
      );
    }
    const to = reader.offset;
    const xdr = buf.subarray(from, to);
    const sequence = sequenceAt(file, xdr, from);
    if (sequence !== expected)
      throw new LedgerFileError(file, `expected ledger ${expected}, found ${sequence}`, from, sequence);
    out.push({ sequence, xdr, offset: from });
  }
  if (reader.remaining !== 0)
    throw new LedgerFileError(file, "trailing bytes after the last ledger", reader.offset);
  return out;
}

/** The ledgers in a container's bytes (zstd or plain, batch or framed), in file order. */
export function splitLedgers(bytes: Uint8Array, file = "<bytes>"): LedgerBlob[] {
  let buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const compressed = isZstd(buf);
  if (compressed) {
    try {
      buf = decompressZstd(buf);
    } catch (err) {
      throw new LedgerFileError(file, `corrupt zstd data: ${(err as Error).message}`);
    }
  }
  return detectContainer(buf, file) === "framed" ? splitFramed(buf, file) : splitBatch(buf, file, compressed);
}

export async function readLedgerFile(path: string): Promise<LedgerBlob[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new LedgerFileError(path, (err as Error).message);
  }
  return splitLedgers(bytes, path);
}

/** A Galexie `LedgerCloseMetaBatch` of consecutive ledgers (uncompressed). */
export function encodeBatch(blobs: readonly { sequence: number; xdr: Uint8Array }[]): Buffer {
  if (blobs.length === 0) throw new Error("encodeBatch: no ledgers");
  for (let i = 1; i < blobs.length; i++) {
    if (blobs[i]!.sequence !== blobs[0]!.sequence + i)
      throw new Error("encodeBatch: ledgers must be consecutive");
  }
  const head = Buffer.alloc(12);
  head.writeUInt32BE(blobs[0]!.sequence, 0);
  head.writeUInt32BE(blobs.at(-1)!.sequence, 4);
  head.writeUInt32BE(blobs.length, 8);
  return Buffer.concat([head, ...blobs.map((b) => b.xdr)]);
}

/** A record-marked stream, one single-fragment record per ledger (uncompressed). */
export function encodeFramed(blobs: readonly { xdr: Uint8Array }[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const b of blobs) {
    const h = Buffer.alloc(4);
    h.writeUInt32BE((b.xdr.length | LAST_FRAGMENT) >>> 0, 0);
    parts.push(h, b.xdr);
  }
  return Buffer.concat(parts);
}
