/**
 * Writes whole ledgers to the hot buffer: one PostgreSQL transaction per batch that replaces the batch's
 * ledger range in all 19 tables (COPY), records lineage and quality, and advances the checkpoint — so a batch is
 * either entirely in the hot buffer with the checkpoint past it, or not at all.
 */
import { createHash } from "node:crypto";
import { advanceCheckpoint } from "@stellar-lake/pipeline-state";
import { failpoint } from "@stellar-lake/runtime";
import {
  type CopyPayload,
  copyStatement,
  dataTables,
  encodeRows,
  type RowStamp,
  stampedAtWrite,
  stampRows,
  type TableDef,
} from "@stellar-lake/schema";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** One transformed ledger, ready to write. */
export interface LedgerRows {
  sequence: number;
  /** Hex ledger hash and the previous ledger's hash, for the chain check and the checkpoint. */
  hash: string;
  previousHash: string;
  protocolVersion: number;
  /** Quality checks of this ledger's rows (`_meta_quality`), e.g. the token transfer reconciliation. */
  checks?: readonly { name: string; type: string; passed: boolean; details: string; dataset?: string }[];
  /** Rows per data table name (tables without rows may be absent). */
  rows: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /**
   * Tables already encoded as COPY text by a transform worker (`encodeLedgerCopy`), stamped for `copyStamp`;
   * a table is either here or in `rows`.
   */
  copy?: Readonly<Record<string, CopyPayload>>;
  copyStamp?: RowStamp;
}

export interface BatchContext {
  eraId: string | null;
  versionLabel: string | null;
  pipelineVersion: string;
  processor: string;
  /** Quality checks run on the batch before writing (name → passed, details). */
  checks: { name: string; type: string; passed: boolean; details: string; dataset?: string }[];
  /** When false, the batch's range cannot already be in the hot buffer and the replace-deletes are skipped. */
  mayOverlap: boolean;
  /** Network name recorded in `_meta_eras` (defaults to the era id). */
  network?: string;
}

export interface BatchResult {
  first: number;
  last: number;
  rowsPerTable: Record<string, number>;
  bytes: number;
}

const CHUNK_ROWS = 2000;

/** What one COPY sends: rows to encode here, and/or COPY text a transform worker encoded (in order). */
export type CopyPart = readonly Record<string, unknown>[] | Uint8Array;

/** COPY `rows` into `t` (see copyParts). */
export function copyRows(
  client: pg.ClientBase,
  t: TableDef,
  rows: readonly Record<string, unknown>[],
): Promise<{ bytes: number; checksum: string }> {
  return copyParts(client, t, [rows]);
}

/**
 * COPY the parts into `t` in order: rows encoded and sent in chunks (a backfill batch of busy ledgers would not
 * fit one JS string), worker-encoded text sent as it is, with the stream's backpressure respected; returns the
 * bytes sent and their sha256 (lineage checksum) — the same for rows as for their encoded text.
 */
export async function copyParts(
  client: pg.ClientBase,
  t: TableDef,
  parts: readonly CopyPart[],
): Promise<{ bytes: number; checksum: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = client.query(copyFrom(copyStatement(t)));
  const failed = new Promise<never>((_, reject) => stream.on("error", reject));
  failed.catch(() => {});
  const finished = new Promise<void>((resolve) => stream.on("finish", resolve));
  let crashMidway = process.env.STELLAR_LAKE_FAILPOINT?.startsWith("mid-copy") ?? false;
  const send = async (chunk: string | Uint8Array) => {
    hash.update(chunk);
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    // Crash tests stop the process with part of the COPY sent: the server must discard it.
    const pieces = crashMidway ? splitAtLine(chunk) : [chunk];
    for (const [k, piece] of pieces.entries()) {
      if (!stream.write(piece)) await Promise.race([new Promise((r) => stream.once("drain", r)), failed]);
      if (crashMidway && k === 0 && pieces.length > 1) failpoint("mid-copy");
    }
    crashMidway = false;
  };
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      if (part.byteLength) await send(part);
      continue;
    }
    for (let i = 0; i < part.length; i += CHUNK_ROWS)
      await send(encodeRows(t, part.slice(i, i + CHUNK_ROWS)));
  }
  stream.end();
  await Promise.race([finished, failed]);
  return { bytes, checksum: hash.digest("hex") };
}

function splitAtLine(payload: string | Uint8Array): (string | Uint8Array)[] {
  const half =
    (typeof payload === "string"
      ? payload.lastIndexOf("\n", payload.length >> 1)
      : payload.lastIndexOf(10, payload.length >> 1)) + 1;
  return half > 0 && half < payload.length ? [payload.slice(0, half), payload.slice(half)] : [payload];
}

function stamp(t: TableDef, rows: readonly Record<string, unknown>[], ctx: BatchContext, now: Date) {
  stampRows(rows, ctx);
  if (stampedAtWrite(t)) for (const r of rows) r.ingestion_timestamp = now;
}

/** Write `ledgers` (contiguous, ascending) in one transaction. */
export async function writeBatch(
  client: pg.ClientBase,
  ledgers: readonly LedgerRows[],
  ctx: BatchContext,
): Promise<BatchResult> {
  if (ledgers.length === 0) throw new Error("writeBatch: empty batch");
  const first = ledgers[0]!.sequence;
  const last = ledgers.at(-1)!.sequence;
  const now = new Date();
  const rowsPerTable: Record<string, number> = {};
  let bytes = 0;
  const lineage: { dataset: string; rows: number; checksum: string }[] = [];

  for (const l of ledgers) {
    const s = l.copyStamp;
    if (l.copy && (!s || s.eraId !== ctx.eraId || s.versionLabel !== ctx.versionLabel)) {
      // A worker configured for another era would write wrong stamps: refuse rather than mislabel rows.
      throw new Error(
        `ledger ${l.sequence} was encoded for era ${s?.eraId ?? "-"} / ${s?.versionLabel ?? "-"}, the batch is for ${ctx.eraId ?? "-"} / ${ctx.versionLabel ?? "-"}`,
      );
    }
  }
  const tablesWithRows: { t: TableDef; parts: CopyPart[]; rows: number }[] = [];
  for (const t of dataTables) {
    const parts: CopyPart[] = [];
    let n = 0;
    for (const l of ledgers) {
      const encoded = l.copy?.[t.name];
      if (encoded) {
        parts.push(encoded.data);
        n += encoded.rows;
        continue;
      }
      const rows = l.rows[t.name] as Record<string, unknown>[] | undefined;
      if (!rows?.length) continue;
      stamp(t, rows, ctx, now);
      parts.push(rows);
      n += rows.length;
    }
    rowsPerTable[t.name] = n;
    if (n > 0) tablesWithRows.push({ t, parts, rows: n });
  }

  await client.query("BEGIN");
  try {
    if (ctx.mayOverlap) {
      for (const t of dataTables) {
        await client.query(`DELETE FROM public."${t.name}" WHERE "${t.sequenceColumn}" BETWEEN $1 AND $2`, [
          first,
          last,
        ]);
      }
    }
    failpoint("before-copy");
    for (const [i, p] of tablesWithRows.entries()) {
      const { bytes: b, checksum } = await copyParts(client, p.t, p.parts);
      bytes += b;
      lineage.push({ dataset: p.t.name, rows: p.rows, checksum });
      if (i === Math.floor(tablesWithRows.length / 2)) failpoint("between-copies");
    }
    failpoint("after-copy");
    for (const l of lineage) {
      await client.query(
        `INSERT INTO public._meta_lineage (dataset, partition, source_ledger_start, source_ledger_end,
           pipeline_version, processor_name, checksum, row_count, era_id, version_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          l.dataset,
          String(Math.floor(first / 10000) * 10000),
          first,
          last,
          ctx.pipelineVersion,
          ctx.processor,
          l.checksum,
          l.rows,
          ctx.eraId,
          ctx.versionLabel,
        ],
      );
    }
    for (const c of ctx.checks) {
      await client.query(
        `INSERT INTO public._meta_quality (dataset, partition, check_name, check_type, passed, details, row_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          c.dataset ?? "ledgers_row_v2",
          `${first}-${last}`,
          c.name,
          c.type,
          c.passed,
          c.details,
          rowsPerTable.ledgers_row_v2 ?? 0,
        ],
      );
    }
    if (ctx.eraId) {
      // The era being ingested: its ledger span and protocol range grow with every batch.
      const protocols = ledgers.map((l) => l.protocolVersion).filter((p) => p > 0);
      await client.query(
        `INSERT INTO public._meta_eras (era_id, network, version_label, ledger_start, ledger_end, protocol_min, protocol_max, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')
         ON CONFLICT (era_id) DO UPDATE SET
           ledger_start = LEAST(_meta_eras.ledger_start, EXCLUDED.ledger_start),
           ledger_end = GREATEST(_meta_eras.ledger_end, EXCLUDED.ledger_end),
           protocol_min = LEAST(_meta_eras.protocol_min, EXCLUDED.protocol_min),
           protocol_max = GREATEST(_meta_eras.protocol_max, EXCLUDED.protocol_max),
           version_label = EXCLUDED.version_label`,
        [
          ctx.eraId,
          ctx.network ?? ctx.eraId,
          ctx.versionLabel ?? "v1",
          first,
          last,
          protocols.length ? Math.min(...protocols) : null,
          protocols.length ? Math.max(...protocols) : null,
        ],
      );
    }
    const tip = ledgers.at(-1)!;
    await advanceCheckpoint(client, { lastLedger: tip.sequence, lastLedgerHash: tip.hash }, ledgers.length);
    failpoint("before-commit");
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
  failpoint("after-commit");
  return { first, last, rowsPerTable, bytes };
}
