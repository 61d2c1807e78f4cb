import type { Kysely } from "kysely";
import { dataTablesAsOf } from "../catalog";
import { allFlushIndexes, ident } from "../ddl";
import { exec, recordChange } from "./support";

/**
 * The 38 flush indexes (ledger_range and the sequence column of each data table). Created once, under names
 * no earlier migration uses — the original re-created six of them and failed to apply in order.
 */
/** Frozen: the tables of 0001 (a later table's migration creates its own flush indexes). */
const indexes = () => allFlushIndexes(dataTablesAsOf("0003"));

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const i of indexes()) {
    const stmt = `CREATE INDEX ${ident(i.name)} ON public.${ident(i.table)} (${ident(i.column)})`;
    await exec(db, stmt);
  }
  for (const table of new Set(indexes().map((i) => i.table))) {
    const names = indexes()
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
  for (const i of indexes()) await exec(db, `DROP INDEX IF EXISTS public.${ident(i.name)}`);
}
