/**
 * The benchmark's worker thread: decode + transform of one ledger per message (the product path, as in the
 * single-threaded figure), rows posted back to the main thread as the ingester's transform pool does.
 */
import { parentPort, workerData } from "node:worker_threads";
import { decodeLedger, hotRowsOf } from "../src/hot-rows";
import { envelopesBySequence } from "./transform";

const { passphrase, matchBySequence } = workerData as { passphrase: string; matchBySequence: boolean };

parentPort!.on("message", (m: { id: number; sequence: number; xdr: Uint8Array }) => {
  const lcm = decodeLedger(m.xdr, m.sequence);
  const out = matchBySequence
    ? hotRowsOf(lcm, passphrase, envelopesBySequence(lcm))
    : hotRowsOf(lcm, passphrase);
  parentPort!.postMessage({ id: m.id, rows: out.rows });
});
