/** The ingester's transformer module (loaded in each worker thread): LedgerCloseMeta bytes → hot-buffer rows. */
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import type { LedgerRows } from "./hot-writer";
import type { RawLedger } from "./ingester";

export function createTransformer(config: { passphrase: string }) {
  return (raw: RawLedger): LedgerRows => {
    const h = hotRowsOf(decodeLedger(raw.xdr, raw.sequence), config.passphrase);
    return {
      sequence: h.sequence,
      hash: h.hash,
      previousHash: h.previousHash,
      protocolVersion: h.protocolVersion,
      rows: h.rows as LedgerRows["rows"],
    };
  };
}
