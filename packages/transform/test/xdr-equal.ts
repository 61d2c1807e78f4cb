/**
 * Structural comparison of two decoded XDR object graphs (the fast decoder's and stellar-base's): same
 * prototype, the same own property keys in the same order, Buffers byte-equal and viewing the same bytes of
 * the same input, bigints equal, everything else identical. Also compares the recorded byte spans.
 */
import { spanOf } from "../src/changes/raw-xdr";

export interface Compared {
  /** The first difference, as a path and a reason; null when the graphs are the same. */
  difference: string | null;
  /** How many objects carried a span (on both sides alike). */
  spans: number;
}

export function compareDecoded(fast: unknown, base: unknown, opts: { spans?: boolean } = {}): Compared {
  const out: Compared = { difference: null, spans: 0 };
  const diff = (path: string, why: string): false => {
    out.difference ??= `${path}: ${why}`;
    return false;
  };
  const walk = (a: unknown, b: unknown, path: string): boolean => {
    if (a === b) return true;
    if (typeof a !== typeof b) return diff(path, `${typeof a} vs ${typeof b}`);
    if (typeof a === "bigint") return a === b || diff(path, `${a} vs ${b}`);
    if (typeof a !== "object" || a === null || b === null) return diff(path, `${String(a)} vs ${String(b)}`);
    const x = a as Record<string | symbol, unknown>;
    const y = b as Record<string | symbol, unknown>;
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y))
      return diff(path, `prototype ${x.constructor?.name} vs ${y.constructor?.name}`);
    if (opts.spans) {
      const sa = spanOf(x as object);
      const sb = spanOf(y as object);
      if (!!sa !== !!sb) return diff(path, `span ${sa ? "only fast" : "only stellar-base"}`);
      if (sa && sb) {
        if (sa.start !== sb.start || sa.end !== sb.end || sa.buffer.buffer !== sb.buffer.buffer)
          return diff(path, `span ${sa.start}-${sa.end} vs ${sb.start}-${sb.end}`);
        if (sa.buffer.byteOffset !== sb.buffer.byteOffset) return diff(path, "span buffer offset");
        out.spans++;
      }
    }
    if (Buffer.isBuffer(x)) {
      const xb = x as unknown as Buffer;
      const yb = y as unknown as Buffer;
      if (!xb.equals(yb)) return diff(path, "bytes differ");
      // js-xdr's reader returns subarrays of the input: the same memory, not a copy.
      if (xb.buffer !== yb.buffer || xb.byteOffset !== yb.byteOffset) return diff(path, "not the same bytes");
      return true;
    }
    if (Array.isArray(x)) {
      if (x.length !== (y as unknown as unknown[]).length) return diff(path, "array length");
      for (let i = 0; i < x.length; i++) if (!walk(x[i], y[i], `${path}[${i}]`)) return false;
      return true;
    }
    const kx = Reflect.ownKeys(x);
    const ky = Reflect.ownKeys(y);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i]))
      return diff(path, `keys ${kx.map(String).join(",")} vs ${ky.map(String).join(",")}`);
    for (const k of kx) {
      // A union's arm type is a type definition: it must be the very same one.
      if (k === "_armType") {
        if (x[k] !== y[k]) return diff(`${path}._armType`, "different type");
        continue;
      }
      if (!walk(x[k], y[k], `${path}.${String(k)}`)) return false;
    }
    return true;
  };
  walk(fast, base, "$");
  return out;
}
