/**
 * JSON text for rows and records without losing precision: bigint as exact JSON numbers (never through a JS
 * float), Date as Go's RFC 3339 UTC form, keys in insertion order.
 */
export function toJson(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "null";
    default:
      if (value === null) return "null";
      if (value instanceof Date) return JSON.stringify(value.toISOString().replace(/\.000Z$/, "Z"));
      if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
      if (typeof (value as { toJSON?: unknown }).toJSON === "function")
        return toJson((value as { toJSON(): unknown }).toJSON());
      return `{${Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
        .join(",")}}`;
  }
}

const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON text as Go's encoding/json escapes it (stellar-etl output): `<`, `>`, `&`, U+2028 and U+2029 as \u
 * escapes. These characters only ever occur inside JSON strings, so the serialized text is rewritten as is.
 */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] as string);
}
