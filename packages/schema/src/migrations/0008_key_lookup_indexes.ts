import type { Kysely } from "kysely";
import { ident } from "../ddl";
import { exec, recordChange } from "./support";

/**
 * Indexes for the query API's key lookups over ledger ranges (an account's operations, payments, transactions,
 * effects and trades; a contract's events; a transaction by hash): (key, sequence), so the hot part of such an
 * answer reads the key's rows in ledger order instead of every row of the range. The snapshot tables' lookups
 * (offers, pools, balances, contract data, accounts) lead their natural key with the entity already.
 * Frozen: the list is written out, not derived from today's catalog.
 */
export const KEY_LOOKUP_INDEXES: readonly { table: string; column: string; seq: string }[] = [
  { table: "transactions_row_v2", column: "transaction_hash", seq: "ledger_sequence" },
  { table: "transactions_row_v2", column: "source_account", seq: "ledger_sequence" },
  { table: "operations_row_v2", column: "source_account", seq: "ledger_sequence" },
  { table: "operations_row_v2", column: "destination", seq: "ledger_sequence" },
  { table: "effects_row_v1", column: "account_id", seq: "ledger_sequence" },
  { table: "trades_row_v1", column: "seller_account", seq: "ledger_sequence" },
  { table: "trades_row_v1", column: "buyer_account", seq: "ledger_sequence" },
  { table: "contract_events_stream_v1", column: "contract_id", seq: "ledger_sequence" },
];

export const keyLookupIndexName = (i: { table: string; column: string }) => `lookup_${i.table}_${i.column}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const i of KEY_LOOKUP_INDEXES) {
    const name = keyLookupIndexName(i);
    const stmt = `CREATE INDEX ${ident(name)} ON public.${ident(i.table)} (${ident(i.column)}, ${ident(i.seq)})`;
    await exec(db, stmt);
    await recordChange(db, {
      dataset: i.table,
      from: null,
      to: "index",
      type: "create_index",
      summary: `key lookup index ${name}`,
      sql: stmt,
    });
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of KEY_LOOKUP_INDEXES)
    await exec(db, `DROP INDEX IF EXISTS public.${ident(keyLookupIndexName(i))}`);
}
