/**
 * A fast XDR decoder that returns the very objects the SDK's `fromXDR` returns (same classes, same own
 * fields, enum singletons), with the byte spans of the captured types recorded as `changes/raw-xdr.ts`
 * records them. See codegen.ts for how and why.
 */
import { generate } from "./codegen";
import type { Schema } from "./runtime";

/** The fast decoder's rejection of an input (the SDK's own decode then gives the message reported). */
export class XdrReadError extends Error {
  override readonly name = "XdrReadError";
}

export type FastDecode<T> = (bytes: Uint8Array) => T;

export interface SpanSink {
  set(value: object, span: { buffer: Buffer; start: number; end: number }): unknown;
}

/**
 * Compiles a decoder for `root` (an SDK XDR type's schema, e.g. `xdr.LedgerCloseMeta.schema`). Values of the
 * schemas in `captured` get their span put into `spans`. Compiling takes a few milliseconds; callers keep
 * the result.
 */
export function compileDecoder<T>(
  root: Schema,
  captured: ReadonlySet<object> = new Set(),
  spans: SpanSink = new WeakMap(),
): FastDecode<T> {
  const { source, constants } = generate(root, captured);
  const factory = new Function("K", "SPANS", "Err", source) as (
    k: unknown[],
    s: SpanSink,
    e: typeof XdrReadError,
  ) => FastDecode<T>;
  return factory(constants, spans, XdrReadError);
}

/** The generated source (for debugging and the tests). */
export function decoderSource(root: Schema, captured: ReadonlySet<object> = new Set()): string {
  return generate(root, captured).source;
}
