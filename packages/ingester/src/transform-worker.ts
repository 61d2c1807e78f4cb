import { parentPort, workerData } from "node:worker_threads";
import type { LedgerRows } from "./hot-writer";
import type { RawLedger } from "./ingester";

type Transformer = (raw: RawLedger) => LedgerRows | Promise<LedgerRows>;

const { module, config } = workerData as { module: string; config: unknown };
const mod = (await import(module)) as {
  createTransformer(config: unknown): Transformer | Promise<Transformer>;
};
const transform = await mod.createTransformer(config);

parentPort!.on("message", async (m: { id: number; sequence: number; xdr: Uint8Array }) => {
  try {
    const rows = await transform({ sequence: m.sequence, xdr: m.xdr });
    // Encoded tables own their buffers: hand them over instead of copying.
    const transfer = Object.values(rows.copy ?? {}).map((p) => p.data.buffer as ArrayBuffer);
    parentPort!.postMessage({ id: m.id, rows }, transfer);
  } catch (err) {
    // The name and protocol survive the thread boundary: an unsupported protocol is handled apart.
    const e = err as Error & { protocol?: number };
    parentPort!.postMessage({
      id: m.id,
      error: err instanceof Error ? err.message : String(err),
      errorName: err instanceof Error ? err.name : undefined,
      protocol: e?.protocol,
    });
  }
});
