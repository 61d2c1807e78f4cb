/**
 * The backfill's transformer module, loaded in each worker thread of a TransformPool: LedgerCloseMeta bytes →
 * the ledger's rows of every table as CSV (see csv.ts), stamped as the hot writer stamps them (era, version
 * label, and the time of the write as ingestion_timestamp). The CSV bytes travel back to the job without a copy.
 */
import { dataTables, type RowStamp, stampedAtWrite, stampRows } from "@stellar-lake/schema";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import { encodeCsv } from "./csv";

/** What a worker returns per ledger (shaped as the ingester's LedgerRows, `copy` holding CSV). */
export interface CsvLedger {
  sequence: number;
  hash: string;
  previousHash: string;
  protocolVersion: number;
  rows: Record<string, never>;
  copy: Record<string, { rows: number; data: Uint8Array }>;
}

const utf8 = new TextEncoder();

export function createTransformer(config: { passphrase: string; stamp: RowStamp }) {
  return (raw: { sequence: number; xdr: Uint8Array }): CsvLedger => {
    const h = hotRowsOf(decodeLedger(raw.xdr, raw.sequence), config.passphrase);
    const now = new Date();
    const copy: CsvLedger["copy"] = {};
    const byTable = h.rows as Record<string, Record<string, unknown>[] | undefined>;
    for (const t of dataTables) {
      const rows = byTable[t.name];
      if (!rows || rows.length === 0) continue;
      stampRows(rows, config.stamp);
      if (stampedAtWrite(t)) for (const r of rows) r.ingestion_timestamp = now;
      copy[t.name] = { rows: rows.length, data: utf8.encode(encodeCsv(t, rows)) };
    }
    return {
      sequence: h.sequence,
      hash: h.hash,
      previousHash: h.previousHash,
      protocolVersion: h.protocolVersion,
      rows: {},
      copy,
    };
  };
}
