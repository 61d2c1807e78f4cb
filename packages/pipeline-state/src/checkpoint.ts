/**
 * The ingest checkpoint (`stellar_lake.ingest_checkpoint`, declared in the schema catalog as `ingestCheckpoint`):
 * the last ledger the ingester committed and its hash. LOGGED, advanced in the same transaction as each batch, so
 * it survives a crash that empties the UNLOGGED hot tables — the ingester then rewinds it to the cold watermark.
 * Read here by the ingester (start planning) and the status page.
 */
import { ident, STATE_SCHEMA, stateTables } from "@stellar-lake/schema";
import type pg from "pg";

/** The checkpoint row's key: one ingester pipeline per hot buffer. */
export const PIPELINE = "ingester";

const table = `${ident(STATE_SCHEMA)}.${ident(stateTables.ingestCheckpoint.name)}`;

export interface Checkpoint {
  lastLedger: number;
  lastLedgerHash: string;
  totalLedgers: number;
  /** When it last moved (PostgreSQL's clock: now() of the batch's transaction). */
  updatedAt?: Date;
}

/** Anything with pg's `query`. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export async function readCheckpoint(client: Queryable): Promise<Checkpoint | undefined> {
  const r = await client.query(
    `SELECT last_ledger, last_ledger_hash, total_ledgers, updated_at FROM ${table} WHERE pipeline = $1`,
    [PIPELINE],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    lastLedger: Number(row.last_ledger),
    lastLedgerHash: String(row.last_ledger_hash),
    totalLedgers: Number(row.total_ledgers),
    updatedAt: new Date(row.updated_at as string | Date),
  };
}

/**
 * "Now" on the ingester's clock, as an SQL expression over the hot buffer: the ingestion_timestamp of the
 * checkpoint's ledger (the ingester's clock when it wrote its last batch) plus the time PostgreSQL counted since
 * that batch committed (`now() - updated_at`, both on PostgreSQL's clock). Each difference is taken on one clock,
 * so comparing it with ingestion_timestamp measures a ledger's age without the skew between the two hosts.
 * Without a checkpoint (or with its ledger no longer hot: flushed, or emptied by a crash) it is PostgreSQL's
 * now(), until the next batch.
 */
export function ingesterNowSql(ledgersTable = "public.ledgers_row_v2"): string {
  return `COALESCE((SELECT l.ingestion_timestamp + (now() - c.updated_at) FROM ${table} c
    JOIN ${ledgersTable} l ON l.sequence = c.last_ledger WHERE c.pipeline = '${PIPELINE}'), now())`;
}

/** Advance the checkpoint to a batch's last ledger (in the batch's transaction), counting its `ledgers`. */
export async function advanceCheckpoint(
  client: pg.ClientBase,
  tip: { lastLedger: number; lastLedgerHash: string },
  ledgers: number,
): Promise<void> {
  await client.query(
    `INSERT INTO ${table} (pipeline, last_ledger, last_ledger_hash, total_ledgers, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (pipeline) DO UPDATE SET last_ledger = EXCLUDED.last_ledger,
       last_ledger_hash = EXCLUDED.last_ledger_hash,
       total_ledgers = ${table}.total_ledgers + EXCLUDED.total_ledgers,
       updated_at = now()`,
    [PIPELINE, tip.lastLedger, tip.lastLedgerHash, ledgers],
  );
}

/** Move the checkpoint back (rewind after a hot-buffer loss); `undefined` removes it. */
export async function rewindCheckpoint(
  client: pg.ClientBase,
  to: Pick<Checkpoint, "lastLedger" | "lastLedgerHash"> | undefined,
): Promise<void> {
  if (!to) {
    await client.query(`DELETE FROM ${table} WHERE pipeline = $1`, [PIPELINE]);
    return;
  }
  await client.query(
    `UPDATE ${table} SET last_ledger = $2, last_ledger_hash = $3, updated_at = now()
     WHERE pipeline = $1`,
    [PIPELINE, to.lastLedger, to.lastLedgerHash],
  );
}
