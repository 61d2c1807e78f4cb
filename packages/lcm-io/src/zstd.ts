import { Compressor, Decompressor } from "zstd-napi";

const ZSTD_MAGIC = 0xfd2fb528;

export function isZstd(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) === ZSTD_MAGIC;
}

/**
 * Walk the zstd frames (RFC 8878 §3.1) without decompressing: undefined when every frame is complete, else
 * why not. The streaming decompressor returns a truncated file's prefix without complaint, and a ledger cut
 * short must never pass as a whole one.
 */
export function zstdIncompleteReason(buf: Buffer): string | undefined {
  let off = 0;
  while (off < buf.length) {
    if (off + 4 > buf.length) return `truncated frame magic at byte ${off}`;
    const magic = buf.readUInt32LE(off);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: magic, u32 size, payload.
      if (off + 8 > buf.length) return `truncated skippable frame at byte ${off}`;
      off += 8 + buf.readUInt32LE(off + 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return `bad frame magic at byte ${off}`;
    off += 4;
    if (off >= buf.length) return "truncated frame header";
    const fhd = buf[off]!;
    off += 1;
    const fcsFlag = fhd >> 6;
    const singleSegment = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const didSize = [0, 1, 2, 4][fhd & 3]!;
    const fcsSize = fcsFlag === 0 ? singleSegment : [1, 2, 4, 8][fcsFlag]!;
    off += (singleSegment ? 0 : 1) + didSize + fcsSize;
    for (;;) {
      if (off + 3 > buf.length) return `truncated block header at byte ${off}`;
      const h = buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16);
      off += 3;
      const last = h & 1;
      const type = (h >> 1) & 3;
      const size = h >> 3;
      if (type === 3) return `reserved block type at byte ${off - 3}`;
      off += type === 1 ? 1 : size;
      if (off > buf.length) return `block runs past the end (byte ${off - (type === 1 ? 1 : size)})`;
      if (last) break;
    }
    off += checksum ? 4 : 0;
    if (off > buf.length) return "truncated frame checksum";
  }
  return undefined;
}

// A fresh context per call: zstd-napi's shared one stays broken after a corrupt input.
export function decompressZstd(bytes: Uint8Array): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const incomplete = zstdIncompleteReason(buf);
  if (incomplete) throw new Error(incomplete);
  return Buffer.from(new Decompressor().decompress(buf));
}

export function compressZstd(bytes: Uint8Array, level = 3): Buffer {
  const c = new Compressor();
  c.setParameters({ compressionLevel: level });
  return Buffer.from(c.compress(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}
