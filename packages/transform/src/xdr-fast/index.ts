/**
 * A fast XDR decoder that returns the very objects stellar-base's `fromXDR` returns (same classes, same internal
 * fields, opaques as subarrays of the input), with the byte spans of the captured types recorded as
 * `changes/raw-xdr.ts` records them. See codegen.ts for how and why.
 */
import { generate } from "./codegen";
import type { XdrType } from "./runtime";

/** A js-xdr read error, with js-xdr's message text (`XDR Read Error: …`). */
export class XdrReadError extends TypeError {
  constructor(message: string) {
    super(`XDR Read Error: ${message}`);
  }
}

export type FastDecode<T> = (bytes: Buffer) => T;

export interface SpanSink {
  set(value: object, span: { buffer: Buffer; start: number; end: number }): unknown;
}

/**
 * Compiles a decoder for `root` (a stellar-base XDR type, e.g. `xdr.LedgerCloseMeta`). Values of the types in
 * `captured` get their span put into `spans`. Compiling takes a few milliseconds; callers keep the result.
 */
export function compileDecoder<T>(
  root: XdrType,
  captured: ReadonlySet<XdrType> = new Set(),
  spans: SpanSink = new WeakMap(),
): FastDecode<T> {
  const { source, constants } = generate(root, captured);
  const factory = new Function("K", "SPANS", "Err", "TypeErr", source) as (
    k: unknown[],
    s: SpanSink,
    e: typeof XdrReadError,
    t: typeof TypeError,
  ) => FastDecode<T>;
  return factory(constants, spans, XdrReadError, TypeError);
}

/** The generated source (for debugging and the tests). */
export function decoderSource(root: XdrType, captured: ReadonlySet<XdrType> = new Set()): string {
  return generate(root, captured).source;
}
