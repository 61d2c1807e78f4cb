/**
 * The bytes a decoded XDR value was read from, so the transform can copy envelopes, results and metas out of
 * the ledger instead of re-encoding them (re-encoding with the SDK costs as much as decoding did).
 *
 * `decodeLedger` decodes with the fast decoder (`src/xdr-fast`), which records, per decoded object of the
 * CAPTURED types, where in the source buffer it started and ended. `decodeWithSpans` records the same with
 * the SDK itself (the schema readers and `fromXdrObject` of those types are wrapped for the duration of the call): the fallback
 * and the reference the fast decoder is tested against. Values built in code (not decoded) have no span and
 * are encoded as before. The transform never mutates decoded values, so a span always equals the value's encoding; a test
 * checks that on every fixture.
 */
import { xdr } from "@stellar/stellar-sdk/base";

export interface Span {
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
}

const spans = new WeakMap<object, Span>();

/** js-xdr 5's reader as a schema's `_read` sees it. */
interface Reader {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

interface Schema {
  _read(reader: Reader, path: string): unknown;
}

interface XdrClass {
  readonly schema: Schema;
  fromXdrObject(wire: unknown): object;
}

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

function capturedClasses(): XdrClass[] {
  const out: XdrClass[] = [];
  for (const name of CAPTURED) {
    const t = (xdr as unknown as Record<string, XdrClass | undefined>)[name];
    if (t?.schema) out.push(t);
  }
  return out;
}

/** The CAPTURED names resolved to the SDK's schemas (names the SDK lacks are skipped). */
export function capturedTypes(): Set<object> {
  return new Set(capturedClasses().map((c) => c.schema));
}

/** Where the fast decoder records spans: the same store `spanOf` reads. */
export const spanStore: { set(value: object, span: Span): unknown } = spans;

interface Wrapped {
  readonly cls: XdrClass;
  readonly read: Schema["_read"];
  readonly capture: Schema["_read"];
  readonly from: XdrClass["fromXdrObject"];
  readonly adopt: XdrClass["fromXdrObject"];
}

let wrapped: Wrapped[] | null = null;
/** Wire objects (js-xdr's decoded plain values) of the captured types → their spans, while a decode runs. */
let wireSpans = new WeakMap<object, Span>();
const views = new WeakMap<Uint8Array, Buffer>();

function bufferOf(bytes: Uint8Array): Buffer {
  let b = views.get(bytes);
  if (!b) {
    b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    views.set(bytes, b);
  }
  return b;
}

/**
 * The SDK decodes in two steps: js-xdr reads plain "wire" objects, then each class's `fromXdrObject` builds the
 * class instance from its wire object. The wrappers record the span on the wire object when it is read and
 * move it to the instance built from it.
 */
function wrappers(): Wrapped[] {
  if (wrapped) return wrapped;
  wrapped = [];
  for (const cls of capturedClasses()) {
    const schema = cls.schema;
    const read = schema._read;
    const from = cls.fromXdrObject;
    const capture = function capture(this: Schema, reader: Reader, path: string) {
      const start = reader.offset;
      const value = read.call(this, reader, path);
      if (value && typeof value === "object")
        wireSpans.set(value, { buffer: bufferOf(reader.bytes), start, end: reader.offset });
      return value;
    };
    const adopt = function adopt(this: XdrClass, wire: unknown) {
      const value = from.call(this, wire);
      const span = wire && typeof wire === "object" ? wireSpans.get(wire) : undefined;
      if (span) spans.set(value, span);
      return value;
    };
    wrapped.push({ cls, read, capture, from, adopt });
  }
  return wrapped;
}

/**
 * Runs a decode with span capture on: the captured types' schema readers and `fromXdrObject` are swapped for
 * recording ones for the duration of the call only, so other SDK users (and the decode-only benchmark
 * baseline) keep the untouched ones.
 */
export function decodeWithSpans<T>(decode: () => T): T {
  const w = wrappers();
  for (const x of w) {
    (x.cls.schema as { _read: Schema["_read"] })._read = x.capture;
    (x.cls as { fromXdrObject: XdrClass["fromXdrObject"] }).fromXdrObject = x.adopt;
  }
  try {
    return decode();
  } finally {
    for (const x of w) {
      (x.cls.schema as { _read: Schema["_read"] })._read = x.read;
      (x.cls as { fromXdrObject: XdrClass["fromXdrObject"] }).fromXdrObject = x.from;
    }
    wireSpans = new WeakMap();
  }
}

export function spanOf(value: object): Span | undefined {
  return spans.get(value);
}

/** The value's XDR bytes: the decoded span when it has one, else a fresh encoding. */
export function xdrBytes(value: { toXdr(): Uint8Array }): Buffer {
  const s = spans.get(value);
  if (s) return s.buffer.subarray(s.start, s.end);
  const b = value.toXdr();
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export function xdrBase64(value: { toXdr(): Uint8Array }): string {
  return xdrBytes(value).toString("base64");
}

/** The bytes between two decoded values of the same buffer (e.g. a result meta's feeProcessing), if known. */
export function bytesBetween(before: object, after: object): Buffer | null {
  const a = spans.get(before);
  const b = spans.get(after);
  if (!a || !b || a.buffer !== b.buffer || a.end > b.start) return null;
  return a.buffer.subarray(a.end, b.start);
}
