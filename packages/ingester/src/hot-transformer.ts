/** The ingester's transformer module (loaded in each worker thread): LedgerCloseMeta bytes → hot-buffer rows. */
import { encodeLedgerCopy, type RowStamp } from "@stellar-lake/schema";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import type { LedgerRows } from "./hot-writer";
import type { RawLedger } from "./ingester";

/**
 * `copy`: also encode the rows as COPY text stamped for that era (what a transform worker should do: the bytes
 * cross to the writer thread without a copy, where rows would be cloned field by field, and the writer thread
 * only streams them to PostgreSQL).
 */
export function createTransformer(config: { passphrase: string; copy?: RowStamp }) {
  return (raw: RawLedger): LedgerRows => {
    const h = hotRowsOf(decodeLedger(raw.xdr, raw.sequence), config.passphrase);
    const head = {
      sequence: h.sequence,
      hash: h.hash,
      previousHash: h.previousHash,
      protocolVersion: h.protocolVersion,
    };
    if (!config.copy) return { ...head, rows: h.rows as LedgerRows["rows"] };
    const { copy, rows } = encodeLedgerCopy(h.rows as Record<string, Record<string, unknown>[]>, config.copy);
    return { ...head, rows, copy, copyStamp: config.copy };
  };
}
