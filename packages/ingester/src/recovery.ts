/**
 * Where to resume. The checkpoint is logged; the hot tables are UNLOGGED, so a PostgreSQL crash (or failover)
 * empties them while the checkpoint stays ahead. Every ledger in (cold watermark W, checkpoint] must be in the
 * hot buffer; when any is missing, rewind to W + 1 (the last ledger safely in cold storage + 1).
 */

import {
  type Checkpoint,
  type ColdState,
  readCheckpoint,
  rewindCheckpoint,
} from "@stellar-lake/pipeline-state";
import { dataTables } from "@stellar-lake/schema";
import type pg from "pg";

export type { ColdState };

export interface StartPlan {
  /** First ledger to ingest. */
  resumeAt: number;
  /** Hash the ledger before `resumeAt` must have (undefined: unknown, the first chain check is skipped). */
  expectedPreviousHash?: string;
  /** Set when the plan rewound: why, for a loud log line. */
  rewound?: string;
  /** Highest ledger sequence that may already be in the hot buffer (batches at or below it replace rows). */
  highestPresent: number;
}

export class StartError extends Error {
  override readonly name = "StartError";
}

async function hotLedgerStats(client: pg.ClientBase, from: number, to: number) {
  const r = await client.query(
    `SELECT COUNT(*)::bigint AS n, COALESCE(SUM(successful_tx_count + failed_tx_count), 0)::bigint AS txs
     FROM public.ledgers_row_v2 WHERE sequence BETWEEN $1 AND $2`,
    [from, to],
  );
  const t = await client.query(
    "SELECT COUNT(*)::bigint AS n FROM public.transactions_row_v2 WHERE ledger_sequence BETWEEN $1 AND $2",
    [from, to],
  );
  return { ledgers: Number(r.rows[0].n), txsExpected: Number(r.rows[0].txs), txs: Number(t.rows[0].n) };
}

async function highestInHot(client: pg.ClientBase): Promise<number> {
  const r = await client.query(
    "SELECT COALESCE(MAX(max_ledger_sequence), 0)::bigint AS m FROM get_high_watermark()",
  );
  return Number(r.rows[0].m);
}

async function lowestInHot(client: pg.ClientBase): Promise<number | undefined> {
  const r = await client.query("SELECT MIN(sequence)::bigint AS m FROM public.ledgers_row_v2");
  return r.rows[0].m === null ? undefined : Number(r.rows[0].m);
}

/** Delete every hot row above `after` (the part of the hot buffer a rewind will ingest again); in the caller's transaction. */
async function clearAbove(client: pg.ClientBase, after: number): Promise<void> {
  for (const t of dataTables) {
    await client.query(`DELETE FROM public."${t.name}" WHERE "${t.sequenceColumn}" > $1`, [after]);
  }
}

/** What `planStart` returns when the cold watermark moved while it read the hot buffer: plan again with the new one. */
export const WATERMARK_MOVED = "watermark-moved";

/**
 * Decide where to resume, rewinding (and repairing the checkpoint) when the hot buffer lost ledgers.
 * `start`: the configured first ledger (`--start`), used when there is no checkpoint or no cold storage.
 */
export async function planStart(
  client: pg.ClientBase,
  opts: {
    start?: number;
    cold?: ColdState;
    /** Reads the cold state again (the flusher's catalog), to confirm a rewind; without it none is confirmed. */
    coldNow?: () => Promise<ColdState | undefined>;
    log: (msg: string) => void;
  },
): Promise<StartPlan | typeof WATERMARK_MOVED> {
  const cp = await readCheckpoint(client);
  const W = opts.cold?.watermark;
  const highestPresent = await highestInHot(client);

  if (!cp) {
    if (W !== undefined) {
      const resumeAt = Math.max(W + 1, opts.start ?? 0);
      return {
        resumeAt,
        highestPresent,
        ...(resumeAt === W + 1 && opts.cold?.watermarkHash
          ? { expectedPreviousHash: opts.cold.watermarkHash }
          : {}),
      };
    }
    if (opts.start === undefined) {
      throw new StartError("no checkpoint and no cold storage to resume from: pass --start <ledger>");
    }
    return { resumeAt: opts.start, highestPresent };
  }

  // Ledgers that must be in the hot buffer: (W, checkpoint], or without cold storage [first ingested, checkpoint].
  // Without cold storage the hot buffer must hold everything from the first ingested ledger; an empty one
  // after a checkpoint means everything was lost, and --start says where ingestion began.
  const lowestHot = W === undefined ? await lowestInHot(client) : undefined;
  if (W === undefined && lowestHot === undefined && opts.start === undefined) {
    throw new StartError(
      `the checkpoint is at ledger ${cp.lastLedger} but the hot buffer is empty and there is no cold storage: pass --start <ledger> to re-ingest from there`,
    );
  }
  const lowest = W !== undefined ? W + 1 : (lowestHot ?? opts.start!);
  const expected = cp.lastLedger - lowest + 1;
  if (expected <= 0) {
    // Cold storage is at or past the checkpoint (everything was flushed): continue after both.
    const resumeAt = Math.max(cp.lastLedger, W ?? 0) + 1;
    const prevHash = resumeAt === cp.lastLedger + 1 ? cp.lastLedgerHash : opts.cold?.watermarkHash;
    return { resumeAt, highestPresent, ...(prevHash ? { expectedPreviousHash: prevHash } : {}) };
  }
  const stats = await hotLedgerStats(client, lowest, cp.lastLedger);
  if (stats.ledgers === expected && stats.txs === stats.txsExpected) {
    return { resumeAt: cp.lastLedger + 1, expectedPreviousHash: cp.lastLedgerHash, highestPresent };
  }

  const why =
    stats.ledgers !== expected
      ? `hot buffer holds ${stats.ledgers} of the ${expected} ledgers ${lowest}..${cp.lastLedger} the checkpoint promises`
      : `hot buffer holds ${stats.txs} transactions for ledgers ${lowest}..${cp.lastLedger}, the ledger rows count ${stats.txsExpected}`;
  if (W === undefined && opts.start === undefined) {
    throw new StartError(
      `${why}; no cold storage to rewind to: pass --start <ledger> to re-ingest from there`,
    );
  }
  const resumeAt = W !== undefined ? W + 1 : opts.start!;
  // The missing ledgers may be a flush's, not lost ones: the flusher commits a new W to the catalog, THEN deletes
  // those ledgers from hot — after `W` above was read. Rewinding on the old W would delete hot rows above it that
  // are in no cold file (readers would miss them until re-ingested). So the rewind happens under SHARE locks on
  // the hot tables, which the flusher's delete waits for, and only if W read again under them is unchanged: a
  // delete that ran before the locks belongs to a W committed before it, which that read sees.
  await client.query("BEGIN");
  try {
    await client.query(`LOCK TABLE ${dataTables.map((t) => `public."${t.name}"`).join(", ")} IN SHARE MODE`);
    if (opts.coldNow && (await opts.coldNow())?.watermark !== W) {
      await client.query("ROLLBACK");
      return WATERMARK_MOVED;
    }
    const rewound = `${why} (PostgreSQL crash or failover empties UNLOGGED tables): rewinding to ledger ${resumeAt} (${W !== undefined ? `cold watermark ${W} + 1` : "--start"})`;
    opts.log(rewound);
    await clearAbove(client, resumeAt - 1);
    const newCp: Checkpoint | undefined =
      W !== undefined
        ? { lastLedger: W, lastLedgerHash: opts.cold?.watermarkHash ?? "", totalLedgers: 0 }
        : undefined;
    await rewindCheckpoint(client, newCp);
    await client.query("COMMIT");
    return {
      resumeAt,
      rewound,
      highestPresent: 0,
      ...(opts.cold?.watermarkHash && W !== undefined
        ? { expectedPreviousHash: opts.cold.watermarkHash }
        : {}),
    };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
