/**
 * The benchmark's worker thread: decode + transform of one ledger per message (the product path, as in the
 * single-threaded figure), then what the ingester's transform workers do with the rows: encode them as stamped
 * COPY text (the ledger row stays a row) and hand the bytes back to the main thread without a copy.
 */
import { parentPort, workerData } from "node:worker_threads";
import { encodeLedgerCopy } from "@stellar-lake/schema";
import { productRows } from "./measure";

const input = workerData as { passphrase: string; matchBySequence: boolean };

parentPort!.on("message", (m: { id: number; sequence: number; xdr: Uint8Array }) => {
  const out = productRows(input, m.xdr, m.sequence);
  const { copy, rows } = encodeLedgerCopy(out.rows as Record<string, Record<string, unknown>[]>, {
    eraId: "bench",
    versionLabel: "v1",
  });
  const counts: Record<string, number> = {};
  for (const [t, p] of Object.entries(copy)) counts[t] = p.rows;
  for (const [t, r] of Object.entries(rows)) counts[t] = r.length;
  parentPort!.postMessage(
    { id: m.id, rows, copy, counts },
    Object.values(copy).map((p) => p.data.buffer as ArrayBuffer),
  );
});
