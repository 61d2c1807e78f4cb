/**
 * The bytes a decoded XDR value was read from, so the transform can copy envelopes, results and metas out of
 * the ledger instead of re-encoding them (re-encoding with stellar-base costs as much as decoding did).
 *
 * `decodeLedger` decodes with the fast decoder (`src/xdr-fast`), which records, per decoded object of the
 * CAPTURED types, where in the source buffer it started and ended. `decodeWithSpans` records the same with
 * stellar-base itself (the static `read` of those types is wrapped for the duration of the call): the fallback
 * and the reference the fast decoder is tested against. Values built in code (not decoded) have no span and
 * are encoded as before. The transform never mutates decoded values, so a span always equals the value's encoding; a test
 * checks that on every fixture.
 */
import { xdr } from "@stellar/stellar-base";

export interface Span {
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
}

const spans = new WeakMap<object, Span>();

interface Reader {
  _buffer: Buffer;
  _index: number;
}

type Readable = { read(reader: Reader, depth?: number): object };

/**
 * The types whose bytes the transform copies (and those whose boundaries locate other fields). The one list:
 * both decoders (`decodeWithSpans` here and the fast decoder in `src/xdr-fast`) record spans for these.
 */
export const CAPTURED = [
  "TransactionEnvelope",
  "Transaction",
  "TransactionV0",
  "FeeBumpTransaction",
  "TransactionResult",
  "TransactionResultPair",
  "TransactionMeta",
  "LedgerHeader",
  "SorobanTransactionData",
  "LedgerKey",
  // contract_data_xdr is the entry's own bytes (re-encoding key and value cost a third of that table).
  "ContractDataEntry",
] as const;

/** The CAPTURED names resolved to stellar-base's type objects (names stellar-base lacks are skipped). */
export function capturedTypes(): Set<object> {
  const out = new Set<object>();
  for (const name of CAPTURED) {
    const t = (xdr as unknown as Record<string, object | undefined>)[name];
    if (t) out.add(t);
  }
  return out;
}

/** Where the fast decoder records spans: the same store `spanOf` reads. */
export const spanStore: { set(value: object, span: Span): unknown } = spans;

interface Wrapped {
  readonly cls: Readable;
  readonly read: Readable["read"];
  readonly capture: Readable["read"];
}

let wrapped: Wrapped[] | null = null;

function wrappers(): Wrapped[] {
  if (wrapped) return wrapped;
  wrapped = [];
  for (const name of CAPTURED) {
    const cls = (xdr as unknown as Record<string, Readable>)[name];
    if (!cls) continue;
    const read = cls.read;
    const capture = function capture(this: Readable, reader: Reader, depth?: number) {
      const start = reader._index;
      const value = read.call(this, reader, depth);
      spans.set(value, { buffer: reader._buffer, start, end: reader._index });
      return value;
    };
    wrapped.push({ cls, read, capture });
  }
  return wrapped;
}

/**
 * Runs a decode with span capture on: the captured types' static readers are swapped for recording ones
 * for the duration of the call only, so other stellar-base users (and the decode-only benchmark baseline)
 * keep the untouched readers.
 */
export function decodeWithSpans<T>(decode: () => T): T {
  const w = wrappers();
  for (const x of w) x.cls.read = x.capture;
  try {
    return decode();
  } finally {
    for (const x of w) x.cls.read = x.read;
  }
}

export function spanOf(value: object): Span | undefined {
  return spans.get(value);
}

/** The value's XDR bytes: the decoded span when it has one, else a fresh encoding. */
export function xdrBytes(value: { toXDR(): Buffer }): Buffer {
  const s = spans.get(value);
  return s ? s.buffer.subarray(s.start, s.end) : value.toXDR();
}

export function xdrBase64(value: { toXDR(): Buffer }): string {
  return xdrBytes(value).toString("base64");
}

/** The bytes between two decoded values of the same buffer (e.g. a result meta's feeProcessing), if known. */
export function bytesBetween(before: object, after: object): Buffer | null {
  const a = spans.get(before);
  const b = spans.get(after);
  if (!a || !b || a.buffer !== b.buffer || a.end > b.start) return null;
  return a.buffer.subarray(a.end, b.start);
}
