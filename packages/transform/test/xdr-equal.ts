/**
 * Structural comparison of two decoded XDR object graphs (the fast decoder's and the SDK's): same
 * prototype, the same own property keys in the same order, opaques byte-equal, bigints equal, everything else identical. Also compares the recorded byte spans.
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
      if (!!sa !== !!sb) return diff(path, `span ${sa ? "only fast" : "only the SDK"}`);
      if (sa && sb) {
        if (sa.start !== sb.start || sa.end !== sb.end || sa.buffer.buffer !== sb.buffer.buffer)
          return diff(path, `span ${sa.start}-${sa.end} vs ${sb.start}-${sb.end}`);
        if (sa.buffer.byteOffset !== sb.buffer.byteOffset) return diff(path, "span buffer offset");
        out.spans++;
      }
    }
    if (x instanceof Uint8Array) {
      // Opaques: the same bytes (js-xdr copies them out of the input; the fast decoder views the input).
      if (Buffer.compare(x, y as unknown as Uint8Array) !== 0) return diff(path, "bytes differ");
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
    for (const k of kx) if (!walk(x[k], y[k], `${path}.${String(k)}`)) return false;
    return true;
  };
  walk(fast, base, "$");
  return out;
}
