import type { Kysely } from "kysely";
import { helperFunctionSignatures, helperFunctionsSql } from "../ddl";
import { exec } from "./support";

/** get_high_watermark(), get_flush_candidates(min_age_minutes), cleanup_flushed_data(p_ledger_range). */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const fn of helperFunctionsSql()) await exec(db, fn);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const sig of helperFunctionSignatures) await exec(db, `DROP FUNCTION IF EXISTS public.${sig}`);
}
