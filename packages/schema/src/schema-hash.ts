import { createHash } from "node:crypto";
import type { TableDef } from "./catalog-dsl";

/** A stable hash of a table's column contract (name, type, nullability) as of a migration. */
export function schemaHash(t: TableDef, upTo?: string): string {
  const cols = t.columns.filter((c) => upTo === undefined || c.since <= upTo);
  const text = cols.map((c) => `${c.name} ${c.pg}${c.nullable ? "" : " NOT NULL"}`).join("\n");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
