/**
 * The benchmark's measuring thread, started with the heap limits of the ingester's transform workers: it loads
 * one input, then answers `measure` (the interleaved three-path figure of `measure.ts`) and `decode` (one
 * SDK decode-only pass, the baseline the worker-pool figure is timed against) messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import { decodeOnlyPass, type Input, loadInput, measureInterleaved } from "./measure";

const input = (workerData as { input: Input }).input;
const loaded = await loadInput(input);

parentPort!.on("message", (m: { cmd: "measure" | "decode" }) => {
  parentPort!.postMessage(m.cmd === "measure" ? measureInterleaved(input, loaded) : decodeOnlyPass(loaded));
});
parentPort!.postMessage("ready");
