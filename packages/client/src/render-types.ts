/**
 * TypeScript types from the query API's OpenAPI document: for every GET route, its path parameters, its query
 * parameters and its 200 response body. Only the schema shapes the API's document uses are rendered (objects,
 * arrays, scalars, enums, nullable, additionalProperties); anything else is `unknown`.
 */
type Schema = Record<string, unknown>;

const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k));

function render(s: Schema | undefined, indent: string): string {
  if (!s) return "unknown";
  const nullable = s.nullable === true ? " | null" : "";
  if (Array.isArray(s.enum)) return `${s.enum.map((v) => JSON.stringify(v)).join(" | ")}${nullable}`;
  switch (s.type) {
    case "integer":
      // int64 values beyond 2^53 arrive as bigint (the client parses them exactly).
      return `${s.format === "int64" ? "number | bigint" : "number"}${nullable}`;
    case "number":
      return `number${nullable}`;
    case "string":
      return `string${nullable}`;
    case "boolean":
      return `boolean${nullable}`;
    case "array":
      return `Array<${render(s.items as Schema, indent)}>${nullable}`;
    case "object": {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set((s.required ?? []) as string[]);
      const inner = `${indent}  `;
      const lines = Object.entries(props).map(
        ([k, v]) => `${inner}${key(k)}${required.has(k) ? "" : "?"}: ${render(v, inner)};`,
      );
      const extra = s.additionalProperties;
      if (extra && typeof extra === "object") lines.push(`${inner}[key: string]: unknown;`);
      return `{\n${lines.join("\n")}\n${indent}}${nullable}`;
    }
    default:
      return "unknown";
  }
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

/** The routes' types as one TypeScript module (deterministic: routes in document order). */
export function renderClientTypes(doc: Schema): string {
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  const out = [
    "// Generated from the query API's /openapi.json by `pnpm --filter @stellar-lake/query-api gen:client`. Do not edit.",
    "",
    "export interface Routes {",
  ];
  for (const [path, ops] of Object.entries(paths)) {
    const op = ops.get;
    if (!op) continue;
    const params = (op.parameters ?? []) as Parameter[];
    const group = (where: string) => {
      const ps = params.filter((p) => p.in === where);
      if (!ps.length) return "Record<string, never>";
      return `{ ${ps.map((p) => `${key(p.name)}${p.required ? "" : "?"}: ${p.schema?.type === "integer" ? "number | string" : render(p.schema, "    ")}`).join("; ")} }`;
    };
    const ok = (op.responses as Record<string, Schema> | undefined)?.["200"] as
      | { content?: Record<string, { schema?: Schema }> }
      | undefined;
    out.push(`  ${JSON.stringify(path)}: {`);
    out.push(`    path: ${group("path")};`);
    out.push(`    query: ${group("query")};`);
    out.push(`    response: ${render(ok?.content?.["application/json"]?.schema, "    ")};`);
    out.push("  };");
  }
  out.push("}", "");
  return out.join("\n");
}

/** Where the generated types live (written by the query API's `gen:client` script). */
export const clientTypesFile = new URL("./api.generated.ts", import.meta.url).pathname;
