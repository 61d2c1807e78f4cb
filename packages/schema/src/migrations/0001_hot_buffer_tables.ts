import type { Kysely } from "kysely";
import { dataTablesAsOf } from "../catalog";
import { dropTableSql } from "../ddl";
import { applyCatalogMigration, exec } from "./support";

/** The 19 UNLOGGED data tables with their natural keys (FILLFACTOR 90 on the 8 hot snapshot tables). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await applyCatalogMigration(db, "0001", dataTablesAsOf("0001"));
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of dataTablesAsOf("0001").reverse()) await exec(db, dropTableSql(t));
}
