import { type Kysely, sql } from "kysely";
import { dataTablesAsOf } from "../catalog";
import type { TableDef } from "../catalog-dsl";
import { createTableSql, dropTableSql, flushIndexes, helperFunctionsSql, ident } from "../ddl";
import { dataTableGrantStatements, ROLES } from "../roles";
import { schemaHash } from "../schema-hash";
import { exec, majorVersion, recordChange } from "./support";

const MIGRATION = "0007";

/** The tables this migration created (token_transfers_row_v1). */
const created = (): TableDef[] => dataTablesAsOf(MIGRATION).filter((t) => t.since === MIGRATION);

/**
 * token_transfers_row_v1 (issue 20): the table with its flush indexes, its dataset row and change record, the
 * services' grants on it, and the helper functions redefined over the data tables as of this migration (the
 * functions of 0004 stay frozen at the 19 tables of 0001).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of created()) {
    const create = createTableSql(t, MIGRATION);
    await exec(db, create);
    const indexes = flushIndexes(t);
    for (const i of indexes)
      await exec(db, `CREATE INDEX ${ident(i.name)} ON public.${ident(t.name)} (${ident(i.column)})`);
    const q = `public.${ident(t.name)}`;
    await exec(db, `GRANT SELECT ON ${q} TO ${Object.values(ROLES).map(ident).join(", ")}`);
    for (const g of dataTableGrantStatements([t])) await exec(db, g);
    const d = t.dataset!;
    const major = majorVersion(t);
    await sql`INSERT INTO public._meta_datasets
      (dataset, tier, domain, major_version, current_minor_version, owner, purpose, grain, schema_hash, compatibility)
      VALUES (${t.name}, ${d.tier}, ${d.domain}, ${major}, 0, 'stellar-lake', ${d.purpose}, ${d.grain},
              ${schemaHash(t, MIGRATION)}, 'backward')`.execute(db);
    await recordChange(db, {
      dataset: t.name,
      from: null,
      to: `${major}.0`,
      type: "create_table",
      summary: `created ${t.name} (${t.columns.length} columns, key ${t.key.join(", ")})`,
      sql: create,
    });
    await recordChange(db, {
      dataset: t.name,
      from: null,
      to: "index",
      type: "create_index",
      summary: `flush indexes ${indexes.map((i) => i.name).join(", ")}`,
      sql: indexes.map((i) => i.name).join(";"),
    });
  }
  for (const fn of helperFunctionsSql(dataTablesAsOf(MIGRATION))) await exec(db, fn);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const fn of helperFunctionsSql(dataTablesAsOf("0006"))) await exec(db, fn);
  for (const t of created().reverse()) {
    await sql`DELETE FROM public._meta_changes WHERE dataset = ${t.name}`.execute(db);
    await sql`DELETE FROM public._meta_datasets WHERE dataset = ${t.name}`.execute(db);
    await exec(db, dropTableSql(t));
  }
}
