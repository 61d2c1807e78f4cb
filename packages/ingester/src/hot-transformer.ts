/** The ingester's transformer module (loaded in each worker thread): LedgerCloseMeta bytes → hot-buffer rows. */
import { encodeLedgerCopy, type RowStamp } from "@stellar-lake/schema";
import {
  decodeLedger,
  headerCorruption,
  hotRowsOf,
  ledgerCorruption,
  UnsupportedProtocolError,
} from "@stellar-lake/transform";
import type { LedgerRows } from "./hot-writer";
import type { RawLedger } from "./ingester";

/**
 * `copy`: also encode the rows as COPY text stamped for that era (what a transform worker should do: the bytes
 * cross to the writer thread without a copy, where rows would be cloned field by field, and the writer thread
 * only streams them to PostgreSQL).
 */
export function createTransformer(config: { passphrase: string; copy?: RowStamp }) {
  return (raw: RawLedger): LedgerRows => {
    let h: ReturnType<typeof hotRowsOf>;
    try {
      h = hotRowsOf(decodeLedger(raw.xdr, raw.sequence), config.passphrase);
    } catch (err) {
      // A damaged ledger fails in whatever step meets the damage first ("no envelope hashes to …" reads like a
      // network mismatch): its own checksums say whether it is corruption.
      // A ledger this build cannot read (a later protocol) is judged by its header hash alone: its body
      // cannot be decoded to check, and failing to decode it is not damage.
      const corrupt =
        err instanceof UnsupportedProtocolError ? headerCorruption(raw.xdr) : ledgerCorruption(raw.xdr);
      if (!corrupt) throw err;
      throw new Error(`ledger ${raw.sequence} is corrupt: ${corrupt} (${(err as Error).message})`);
    }
    const head = {
      sequence: h.sequence,
      hash: h.hash,
      previousHash: h.previousHash,
      protocolVersion: h.protocolVersion,
      checks: h.checks,
    };
    if (!config.copy) return { ...head, rows: h.rows as LedgerRows["rows"] };
    const { copy, rows } = encodeLedgerCopy(h.rows as Record<string, Record<string, unknown>[]>, config.copy);
    return { ...head, rows, copy, copyStamp: config.copy };
  };
}
