/** Lossless JSON comparison for the Hubble conformance tests. */
import { isLosslessNumber } from "lossless-json";

/** A canonical text of a JSON value: sorted keys, integers exact, other numbers by their float64 value. */
export function canonical(v: unknown): string {
  if (isLosslessNumber(v)) {
    const s = v.value;
    return /^-?\d+$/.test(s) ? `#${BigInt(s)}` : `#${Number(s)}`;
  }
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}
