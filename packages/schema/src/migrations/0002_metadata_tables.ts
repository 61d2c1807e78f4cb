import { type Kysely, sql } from "kysely";
import { dataTablesAsOf, metaTables } from "../catalog";
import { createTableSql, dropTableSql } from "../ddl";
import { schemaHash } from "../schema-hash";
import { exec, majorVersion, recordChange } from "./support";

/**
 * The 5 metadata tables (logged: they describe the data and must survive a crash), the 19 datasets, and the
 * creation of the data tables (migration 0001 ran before `_meta_changes` existed) as the first changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of metaTables) await exec(db, createTableSql(t, "0002"));
  // The datasets of 0001 only: a later migration that adds a table seeds its own dataset row.
  for (const t of dataTablesAsOf("0001")) {
    const d = t.dataset!;
    const major = majorVersion(t);
    await sql`INSERT INTO public._meta_datasets
      (dataset, tier, domain, major_version, current_minor_version, owner, purpose, grain, schema_hash, compatibility)
      VALUES (${t.name}, ${d.tier}, ${d.domain}, ${major}, 0, 'stellar-lake', ${d.purpose}, ${d.grain},
              ${schemaHash(t, "0001")}, 'backward')`.execute(db);
    await recordChange(db, {
      dataset: t.name,
      from: null,
      to: `${major}.0`,
      type: "create_table",
      summary: `created ${t.name} (${t.columns.length} columns, key ${t.key.join(", ")})`,
      sql: createTableSql(t, "0001"),
    });
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [...metaTables].reverse()) await exec(db, dropTableSql(t));
}
