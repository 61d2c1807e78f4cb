/**
 * JSON text for rows and records without losing precision: bigint as exact JSON numbers (never through a JS
 * float), Date as Go's RFC 3339 UTC form, keys in insertion order.
 */
/**
 * Quoted object keys, memoised: rows and details repeat the same few hundred keys millions of times, and
 * quoting each through JSON.stringify showed up in profiles.
 */
const quotedKeys = new Map<string, string>();

function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size >= 10_000) quotedKeys.clear();
    quotedKeys.set(k, q);
  }
  return q;
}

/**
 * The same string, made flat. Text built piece by piece with `+` is a V8 rope (one node per piece, several
 * times the size of its characters), and rows keep their text until the ledger is written, through every
 * scavenge; reading a character makes V8 copy the rope into one flat string, and the pieces die young.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function toJson(value: unknown): string {
  return flat(jsonText(value));
}

function jsonText(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      // String() gives JSON.stringify's text for every finite number (-0 included: "0").
      return Number.isFinite(value) ? String(value) : "null";
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "null";
    default: {
      if (value === null) return "null";
      if (value instanceof Date) return JSON.stringify(value.toISOString().replace(/\.000Z$/, "Z"));
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i ? "," : "") + jsonText(value[i]);
        return `${out}]`;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === "function")
        return jsonText((value as { toJSON(): unknown }).toJSON());
      // A plain loop (no entries/filter/map arrays): this runs for every row and every details object.
      let out = "{";
      let first = true;
      const obj = value as Record<string, unknown>;
      // A plain object's for-in yields only its own keys; other prototypes may add enumerable ones.
      const proto = Object.getPrototypeOf(obj);
      const plain = proto === Object.prototype || proto === null;
      for (const k in obj) {
        const v = obj[k];
        if (v === undefined || (!plain && !Object.hasOwn(obj, k))) continue;
        out += `${first ? "" : ","}${quoteKey(k)}:${jsonText(v)}`;
        first = false;
      }
      return `${out}}`;
    }
  }
}

/** An array-index-like key: a plain object orders those numerically, whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * `toJson` of a copy with object keys sorted at every level (arrays keep their order), written directly
 * without building the copy. Objects are walked by their own keys, like the copy would be (a toJSON
 * method is not called); an object with index-like keys takes the copy path, whose key order differs.
 */
export function toSortedJson(value: unknown): string {
  return flat(sortedJsonText(value));
}

function sortedJsonText(value: unknown): string {
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + sortedJsonText(value[i]);
    return `${out}]`;
  }
  if (value === null || typeof value !== "object" || value instanceof Date) return jsonText(value);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  for (const k of keys) if (INDEX_KEY.test(k)) return jsonText(sortedCopy(value));
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${quoteKey(k)}:${sortedJsonText(v)}`;
    first = false;
  }
  return `${out}}`;
}

function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (v === null || typeof v !== "object" || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortedCopy(o[k]);
  return out;
}

const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as Record<string, unknown>)[k]);
  return out;
}

/**
 * JSON text as stellar-etl's export writes it (Go encoding/json after its re-encoding pass): object keys
 * sorted at every level, and `<`, `>`, `&`, U+2028, U+2029 escaped. Those characters only occur inside
 * strings in JSON text, so escaping them in the finished text is exact.
 */
export function toGoJson(value: unknown): string {
  return toJson(sortedKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] as string);
}
