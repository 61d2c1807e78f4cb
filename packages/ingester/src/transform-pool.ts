/**
 * Decode + transform in worker threads so CPU work runs on every core while the main thread streams COPY data.
 * Each worker imports a transformer module (`createTransformer(config)` → `(raw) => LedgerRows`); results come
 * back in the order asked for by the caller (the ingester awaits them in sequence order).
 */
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { TRANSFORM_RESOURCE_LIMITS } from "@stellar-lake/transform/heap";
import type { LedgerRows } from "./hot-writer";
import type { RawLedger } from "./ingester";

export interface TransformPoolOptions {
  /** Absolute path or file URL of a module exporting `createTransformer(config)`. */
  module: string;
  /** Passed to `createTransformer` in each worker (structured-cloneable). */
  config: unknown;
  size: number;
  /** V8 heap limits of each worker; by default the transform's (`TRANSFORM_RESOURCE_LIMITS`: a larger young generation). */
  resourceLimits?: ResourceLimits;
}

interface Pending {
  resolve: (rows: LedgerRows) => void;
  reject: (err: Error) => void;
}

export class TransformPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;
  private failed: Error | undefined;

  constructor(opts: TransformPoolOptions) {
    const moduleUrl = opts.module.startsWith("file:") ? opts.module : pathToFileURL(opts.module).href;
    for (let i = 0; i < Math.max(1, opts.size); i++) {
      // The entry registers tsx in the worker: TypeScript sources load there as they do in the CLI.
      const w = new Worker(new URL("./transform-worker.mjs", import.meta.url), {
        workerData: { module: moduleUrl, config: opts.config },
        resourceLimits: opts.resourceLimits ?? TRANSFORM_RESOURCE_LIMITS,
      });
      w.on(
        "message",
        (m: { id: number; rows?: LedgerRows; error?: string; errorName?: string; protocol?: number }) => {
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          if (m.error !== undefined) {
            const err = new Error(m.error) as Error & { protocol?: number };
            if (m.errorName) err.name = m.errorName;
            if (m.protocol !== undefined) err.protocol = m.protocol;
            p.reject(err);
          } else p.resolve(m.rows!);
        },
      );
      w.on("error", (err) => this.fail(new Error(`transform worker crashed: ${err.message}`)));
      w.unref();
      this.workers.push(w);
    }
  }

  private fail(err: Error) {
    this.failed = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  transform(raw: RawLedger): Promise<LedgerRows> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Copy into a fresh buffer we can transfer: the source's buffer may be a view into a larger one.
      const xdr = new Uint8Array(raw.xdr);
      worker.postMessage({ id, sequence: raw.sequence, xdr }, [xdr.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
