/**
 * Is a ledger damaged? A LedgerCloseMeta carries its own checksums: the header's hash (sha256 of the LedgerHeader
 * bytes), and inside the header the hashes of the transaction set (txSetHash, LCM V1/V2: sha256 of the
 * GeneralizedTransactionSet) and of the results (txSetResultHash: sha256 of the TransactionResultSet, results in
 * apply order). A ledger whose bytes do not match them was damaged after stellar-core wrote it (a bit flip, a bad
 * copy) — which tells a corrupt file apart from one that only fails to match the configured network.
 */
import { createHash } from "node:crypto";
import { xdr } from "@stellar/stellar-sdk/base";
import { ledgerHeaderLayout } from "@stellar-lake/lcm-io";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest();

/**
 * Why the ledger's header contradicts its own hash, or undefined when it agrees: the one check that needs no
 * decoding, so it also judges a ledger of a protocol this build cannot decode (a flipped protocol field is
 * damage, not a new protocol).
 */
export function headerCorruption(bytes: Uint8Array): string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let layout: ReturnType<typeof ledgerHeaderLayout>;
  try {
    layout = ledgerHeaderLayout(buf);
  } catch (err) {
    return `its header cannot be read (${(err as Error).message})`;
  }
  const recorded = buf.subarray(layout.hashOffset, layout.hashOffset + 32);
  if (!sha256(buf.subarray(layout.headerStart, layout.headerEnd)).equals(recorded))
    return "its header does not hash to the ledger hash it records";
  return undefined;
}

/** Why the ledger's bytes contradict its own hashes, or undefined when they agree (or cannot be checked). */
export function ledgerCorruption(bytes: Uint8Array): string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const damaged = headerCorruption(buf);
  if (damaged) return damaged;
  let lcm: xdr.LedgerCloseMeta;
  try {
    lcm = xdr.LedgerCloseMeta.fromXDR(buf);
  } catch (err) {
    return `it does not decode as a LedgerCloseMeta (${(err as Error).message})`;
  }
  if (lcm.type === "v0") return undefined;
  const body = lcm.value;
  const header = body.ledgerHeader.header;
  if (!sha256(body.txSet.toXdr()).equals(header.scpValue.txSetHash.value))
    return "its transaction set does not hash to the header's txSetHash";
  const results = new xdr.TransactionResultSet({ results: body.txProcessing.map((t) => t.result) });
  if (!sha256(results.toXdr()).equals(header.txSetResultHash.value))
    return "its transaction results do not hash to the header's txSetResultHash";
  return undefined;
}
