/**
 * Synthetic ledgers for the ingester's own tests: rows that satisfy every table's constraints, with a proper
 * hash chain and transaction counts, so the writer, recovery and locking are tested on real PostgreSQL without
 * depending on the transform. End-to-end tests on real ledgers live in the cross-package suite.
 */
import { dataTables } from "@stellar-lake/schema";
import { sampleRow } from "@stellar-lake/schema/testing";
import type { LedgerRows, LedgerSource, Logger, RawLedger } from "../src/index";

export const hashOf = (seq: number) => `hash-${seq}`;

export function syntheticLedger(seq: number): LedgerRows {
  const rows: Record<string, Record<string, unknown>[]> = {};
  for (const t of dataTables) {
    const n = t.name === "transactions_row_v2" ? 2 : 1;
    rows[t.name] = Array.from({ length: n }, (_, i) => sampleRow(t, seq, i));
  }
  Object.assign(rows.ledgers_row_v2![0]!, {
    ledger_hash: hashOf(seq),
    previous_ledger_hash: hashOf(seq - 1),
    successful_tx_count: 2,
    failed_tx_count: 0,
  });
  return { sequence: seq, hash: hashOf(seq), previousHash: hashOf(seq - 1), protocolVersion: 21, rows };
}

/** Ledgers `start..last` (inclusive), optionally paced; stops on abort. */
export function rangeSource(last: number, opts: { delayMs?: number; skip?: number } = {}): LedgerSource {
  return async function* (start: number, signal: AbortSignal): AsyncIterable<RawLedger> {
    for (let s = start; s <= last && !signal.aborted; s++) {
      if (s === opts.skip) continue;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      yield { sequence: s, xdr: new Uint8Array() };
    }
  };
}

export function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (o: object | string, m?: string) =>
    lines.push(typeof o === "string" ? o : `${m ?? ""} ${JSON.stringify(o)}`);
  return { lines, info: add, warn: add, error: add };
}
