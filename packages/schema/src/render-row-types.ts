/** Renders `rows.generated.ts` (the TypeScript row types) from the catalog; a test keeps the file current. */
import { allTables } from "./catalog";
import type { ColumnDef, PgType } from "./catalog-dsl";

/** PostgreSQL type → TypeScript type of a row value (see docs/type-mappings.md). */
export const tsTypeOf: Record<PgType, string> = {
  BIGINT: "bigint",
  INTEGER: "number",
  TEXT: "string",
  BOOLEAN: "boolean",
  TIMESTAMPTZ: "Date",
};

function pascal(name: string): string {
  return name
    .replace(/^_+/, "Meta_")
    .split("_")
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

function field(c: ColumnDef, kysely: boolean): string {
  let t = tsTypeOf[c.pg];
  if (c.nullable) t += " | null";
  if (kysely && (c.identity || c.default)) t = `Generated<${t}>`;
  return `  ${c.name}: ${t};`;
}

export function renderRowTypes(): string {
  const out = [
    "// Generated from packages/schema/src/catalog.ts by `pnpm --filter @stellar-lake/schema gen`. Do not edit.",
    'import type { Generated } from "kysely";',
    "",
  ];
  for (const t of allTables) {
    out.push(`/** ${t.name} (${t.kind}; key ${t.key.join(", ")}) */`);
    out.push(`export interface ${pascal(t.name)} {`, ...t.columns.map((c) => field(c, false)), "}", "");
  }
  out.push("/** Row type of every table by name. */", "export interface Rows {");
  for (const t of allTables) out.push(`  ${t.name}: ${pascal(t.name)};`);
  out.push("}", "");
  out.push("/** Kysely's view of the hot buffer: generated/defaulted columns are optional on insert. */");
  out.push("export interface Database {");
  for (const t of allTables) {
    if (t.columns.some((c) => c.identity || c.default)) {
      out.push(`  ${t.name}: {`, ...t.columns.map((c) => `  ${field(c, true)}`), "  };");
    } else {
      out.push(`  ${t.name}: ${pascal(t.name)};`);
    }
  }
  out.push("}", "");
  return out.join("\n");
}
