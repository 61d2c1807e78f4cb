import type { Kysely } from "kysely";
import { allFlushIndexes, ident } from "../ddl";
import { exec, recordChange } from "./support";

/**
 * The 38 flush indexes (ledger_range and the sequence column of each data table). Created once, under names
 * no earlier migration uses — the original re-created six of them and failed to apply in order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const i of allFlushIndexes()) {
    const stmt = `CREATE INDEX ${ident(i.name)} ON public.${ident(i.table)} (${ident(i.column)})`;
    await exec(db, stmt);
  }
  for (const table of new Set(allFlushIndexes().map((i) => i.table))) {
    const names = allFlushIndexes()
      .filter((i) => i.table === table)
      .map((i) => i.name);
    await recordChange(db, {
      dataset: table,
      from: null,
      to: "index",
      type: "create_index",
      summary: `flush indexes ${names.join(", ")}`,
      sql: names.join(";"),
    });
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of allFlushIndexes()) await exec(db, `DROP INDEX IF EXISTS public.${ident(i.name)}`);
}
