import type { Kysely } from "kysely";
import { dataTablesAsOf } from "../catalog";
import { helperFunctionSignatures, helperFunctionsSql } from "../ddl";
import { exec } from "./support";

/**
 * get_high_watermark(), get_flush_candidates(min_age_minutes), cleanup_flushed_data(p_ledger_range), over the
 * data tables as of this migration — frozen: a migration that adds a data table redefines them itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const fn of helperFunctionsSql(dataTablesAsOf("0004"))) await exec(db, fn);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const sig of helperFunctionSignatures) await exec(db, `DROP FUNCTION IF EXISTS public.${sig}`);
}
