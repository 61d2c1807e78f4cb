import type { Kysely } from "kysely";
import { exec } from "./support";

/**
 * Pipeline state lives outside `public` (which holds exactly the 24 contract tables): the ingester's
 * checkpoint is a LOGGED table advanced in the same transaction as each batch, so it survives crashes
 * that empty the UNLOGGED hot tables (the ingester detects that and rewinds).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(db, "CREATE SCHEMA IF NOT EXISTS stellar_lake");
  await exec(
    db,
    `CREATE TABLE stellar_lake.ingest_checkpoint (
      pipeline TEXT PRIMARY KEY,
      last_ledger BIGINT NOT NULL,
      last_ledger_hash TEXT NOT NULL,
      total_ledgers BIGINT NOT NULL DEFAULT 0,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(db, "DROP TABLE IF EXISTS stellar_lake.ingest_checkpoint");
}
