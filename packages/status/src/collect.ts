/**
 * Everything the status page shows, read from the stores themselves: the ingester's checkpoint and lineage
 * (hot PostgreSQL), table sizes, the DuckLake catalog's snapshots and files, and the source's /health.
 */
import { flushStates, type Queryable } from "@stellar-lake/lake/flush-state";
import { liveTableFiles } from "@stellar-lake/lake/metadata";
import { readCheckpoint } from "@stellar-lake/pipeline-state";
import { dataTables, ident } from "@stellar-lake/schema";
import type pg from "pg";

export interface PipelineStatus {
  generatedAt: string;
  source: { url: string | null; tip: number | null; error?: string };
  checkpoint: { ledger: number | null; updatedAt: string | null; totalLedgers: number | null };
  hot: { table: string; rows: number; bytes: number; minLedger: number | null; maxLedger: number | null }[];
  flushes: {
    snapshotId: number;
    at: string;
    watermark: number | null;
    from: number | null;
    rows: number | null;
    seconds: number | null;
  }[];
  cold: { table: string; files: number; rows: number; bytes: number }[];
  /** Ledgers committed per minute over the last hour, oldest first (60 buckets). */
  ingestRate: { minute: string; ledgers: number }[];
  errors: string[];
}

export interface StatusSources {
  hot: pg.Pool | pg.Client;
  /** Catalog pool and metadata schema; absent when no DuckLake catalog is configured. */
  catalog?: { pool: pg.Pool | pg.Client; schema: string };
  /** The ledger source's HTTP status base URL (e.g. http://localhost:8087). */
  sourceUrl?: string;
}

async function sourceTip(url: string | undefined): Promise<PipelineStatus["source"]> {
  if (!url) return { url: null, tip: null };
  try {
    const r = await fetch(`${url.replace(/\/$/, "")}/health`, { signal: AbortSignal.timeout(1500) });
    const body = (await r.json()) as Record<string, unknown>;
    const tip = body.current_sequence ?? body.currentSequence ?? body.latest_ledger ?? body.tip ?? null;
    return { url, tip: tip === null ? null : Number(tip) };
  } catch (err) {
    return { url, tip: null, error: (err as Error).message };
  }
}

export async function collectStatus(src: StatusSources): Promise<PipelineStatus> {
  const errors: string[] = [];
  const status: PipelineStatus = {
    generatedAt: new Date().toISOString(),
    source: await sourceTip(src.sourceUrl),
    checkpoint: { ledger: null, updatedAt: null, totalLedgers: null },
    hot: [],
    flushes: [],
    cold: [],
    ingestRate: [],
    errors,
  };
  try {
    const cp = await readCheckpoint(src.hot as Queryable);
    if (cp) {
      status.checkpoint = {
        ledger: cp.lastLedger,
        updatedAt: cp.updatedAt?.toISOString() ?? null,
        totalLedgers: cp.totalLedgers,
      };
    }
    const wm = await src.hot.query(
      "SELECT table_name, max_ledger_sequence, row_count FROM get_high_watermark()",
    );
    const sizes = await src.hot.query(
      `SELECT c.relname, pg_total_relation_size(c.oid)::bigint AS bytes FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`,
    );
    const size = new Map(sizes.rows.map((r) => [r.relname as string, Number(r.bytes)]));
    const mins = await src.hot.query(
      dataTables
        .map(
          (t) =>
            `SELECT '${t.name}' AS t, MIN(${ident(t.sequenceColumn!)})::bigint AS m FROM public.${ident(t.name)}`,
        )
        .join(" UNION ALL "),
    );
    const min = new Map(mins.rows.map((r) => [r.t as string, r.m === null ? null : Number(r.m)]));
    status.hot = wm.rows.map((r) => ({
      table: r.table_name,
      rows: Number(r.row_count),
      bytes: size.get(r.table_name) ?? 0,
      minLedger: min.get(r.table_name) ?? null,
      maxLedger: r.max_ledger_sequence === null ? null : Number(r.max_ledger_sequence),
    }));
    const rate = await src.hot.query(
      `SELECT to_char(m.minute, 'HH24:MI') AS minute, COALESCE(SUM(l.source_ledger_end - l.source_ledger_start + 1), 0)::int AS ledgers
       FROM generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()), interval '1 minute') AS m(minute)
       LEFT JOIN public._meta_lineage l ON date_trunc('minute', l.created_at) = m.minute AND l.dataset = 'ledgers_row_v2'
       GROUP BY m.minute ORDER BY m.minute`,
    );
    status.ingestRate = rate.rows.map((r) => ({ minute: r.minute, ledgers: Number(r.ledgers) }));
  } catch (err) {
    errors.push(`hot buffer: ${(err as Error).message}`);
  }
  if (src.catalog) {
    try {
      // Flushes only: compaction snapshots carry the same state forward.
      const states = await flushStates(src.catalog.pool as Queryable, src.catalog.schema, {
        limit: 20,
        operation: "flush",
      });
      status.flushes = states.map((st) => ({
        snapshotId: st.snapshotId,
        at: st.snapshotTime ?? "",
        watermark: st.watermark,
        from: st.range?.[0] ?? null,
        rows: st.rows ?? null,
        seconds: st.seconds ?? null,
      }));
      status.cold = await liveTableFiles(src.catalog.pool as Queryable, src.catalog.schema);
    } catch (err) {
      errors.push(`DuckLake catalog: ${(err as Error).message}`);
    }
  }
  if (status.source.error) errors.push(`ledger source: ${status.source.error}`);
  return status;
}
