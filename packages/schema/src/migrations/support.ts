import { type Kysely, sql } from "kysely";
import { allTables, dataTables } from "../catalog";
import type { TableDef } from "../catalog-dsl";
import { addColumnSql, createTableSql } from "../ddl";

export async function exec(db: Kysely<unknown>, statement: string): Promise<void> {
  await sql.raw(statement).execute(db);
}

/** Major version of a dataset from its name suffix (`ledgers_row_v2` → 2). */
export function majorVersion(t: TableDef): number {
  const m = /_v(\d+)$/.exec(t.name);
  return m ? Number(m[1]) : 1;
}

/**
 * Record an applied schema change in `_meta_changes` (created by migration 0002; changes made before it
 * exists are recorded by 0002 itself).
 */
export async function recordChange(
  db: Kysely<unknown>,
  change: { dataset: string; from: string | null; to: string; type: string; summary: string; sql: string },
): Promise<void> {
  await sql`INSERT INTO public._meta_changes (dataset, from_version, to_version, change_type, summary, migration_sql)
    VALUES (${change.dataset}, ${change.from}, ${change.to}, ${change.type}, ${change.summary}, ${change.sql})`.execute(
    db,
  );
}

/**
 * Apply the catalog's changes that belong to `migration`: create the tables it introduced and add the columns
 * it introduced to older tables. Returns the statements per table for `_meta_changes`.
 */
export async function applyCatalogMigration(
  db: Kysely<unknown>,
  migration: string,
  only: readonly TableDef[] = allTables,
): Promise<Map<string, string[]>> {
  const applied = new Map<string, string[]>();
  for (const t of only) {
    const stmts =
      t.since === migration
        ? [createTableSql(t, migration)]
        : t.columns.filter((c) => c.since === migration).map((c) => addColumnSql(t, c));
    for (const s of stmts) await exec(db, s);
    if (stmts.length > 0) applied.set(t.name, stmts);
  }
  return applied;
}

export { dataTables };
