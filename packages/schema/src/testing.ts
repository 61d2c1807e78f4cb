/** Test helpers: rows that satisfy a table's constraints, and parameterised INSERTs for them. */
import type { TableDef } from "./catalog-dsl";

/** A row with every NOT NULL column filled by a type-appropriate value, keyed so rows never collide. */
export function sampleRow(t: TableDef, sequence: number, n = 0): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of t.columns) {
    if (c.identity || c.default) continue;
    let v: unknown;
    switch (c.pg) {
      case "BIGINT":
        v = 1000 + n;
        break;
      case "INTEGER":
        v = n;
        break;
      case "TEXT":
        v = `${c.name}-${sequence}-${n}`;
        break;
      case "BOOLEAN":
        v = false;
        break;
      case "TIMESTAMPTZ":
        v = new Date("2024-09-02T00:00:00Z");
        break;
    }
    row[c.name] = v;
  }
  if (t.sequenceColumn) {
    row[t.sequenceColumn] = sequence;
    row.ledger_range = Math.floor(sequence / 10000) * 10000;
  }
  return row;
}

export function insertSql(t: TableDef, row: Record<string, unknown>): { text: string; values: unknown[] } {
  const cols = Object.keys(row);
  return {
    text: `INSERT INTO public."${t.name}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
    values: cols.map((c) => row[c]),
  };
}
