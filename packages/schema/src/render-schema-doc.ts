/** Renders docs/schema.md (keys and documented deviations) from the catalog; a test keeps it current. */
import { allTables, dataTables } from "./catalog";
import { keyIsUnique } from "./ddl";

export function renderSchemaDoc(): string {
  const out = [
    "# Hot buffer schema",
    "",
    "Generated from `packages/schema/src/catalog.ts` by `pnpm --filter @stellar-lake/schema gen`. Do not edit.",
    "",
    "The contract is `../shared/reference/hot-buffer-schema.md`: Part B column sets for the 5 core tables, Part A for",
    "the other 14 data tables and the 5 metadata tables, in the contract's column order. This page lists, per table,",
    "its natural key and every deviation from the contract that real data forces. Added columns always come after",
    "the contract's columns; no contract column is renamed or dropped.",
    "",
    "General rules:",
    "",
    "- Every natural key includes the sequence column: re-sequenced test data repeats transaction hashes across",
    "  ledgers, and a re-ingested ledger must replace nothing and duplicate nothing.",
    "- Keys are PRIMARY KEYs, except where a key column can be NULL (pool-share trust lines): there the key is",
    "  `UNIQUE NULLS NOT DISTINCT`, so two rows with the same NULLs still collide.",
    "- Every snapshot table carries Hubble's `deleted` and `ledger_entry_change`: a removed account, offer or trust",
    "  line is a row with `deleted = true`, never a row that looks live.",
    `- The ${dataTables.length} data tables are UNLOGGED (a crash empties them; the ingester rewinds to the cold watermark); the 5`,
    "  metadata tables are logged. Pipeline state (checkpoint, migrations) lives in schema `stellar_lake`.",
    "",
    "| table | kind | columns | key | storage |",
    "|---|---|---|---|---|",
  ];
  for (const t of allTables) {
    const storage = [t.unlogged ? "UNLOGGED" : "logged", t.fillfactor ? `FILLFACTOR ${t.fillfactor}` : ""]
      .filter(Boolean)
      .join(", ");
    const key = `${keyIsUnique(t) ? "UNIQUE NULLS NOT DISTINCT" : "PK"} (${t.key.join(", ")})`;
    out.push(`| \`${t.name}\` | ${t.kind} | ${t.columns.length} | ${key} | ${storage} |`);
  }
  out.push("");
  for (const t of allTables) {
    out.push(`## ${t.name}`, "", `Key (${t.key.join(", ")}): ${t.keyNote}.`, "");
    const notes = t.columns.filter((c) => c.note);
    if (notes.length === 0) {
      out.push("Exactly the contract's columns.", "");
      continue;
    }
    for (const c of notes) {
      out.push(`- \`${c.name}\` ${c.pg}${c.nullable ? "" : " NOT NULL"}: ${c.note}`);
    }
    out.push("");
  }
  return out.join("\n");
}
