/**
 * Writing a Galexie datastore (tests, dev, benchmarks): from real ledger files, or from real ledgers
 * re-sequenced into any number of contiguous ledgers.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { compressZstd, encodeBatch, ledgerHeaderLayout } from "@stellar-lake/lcm-io";
import { batchStart, fileKeyFor, type Manifest } from "./layout";

export interface WriteOptions {
  networkPassphrase: string;
  ledgersPerBatch?: number;
  batchesPerPartition?: number;
}

export interface WriteSummary {
  files: number;
  ledgers: number;
  first?: number;
  last?: number;
}

/** Write `.config.json` and one zstd batch file per batch of consecutive ledgers (ascending input). */
export async function writeDatastore(
  dir: string,
  ledgers:
    | AsyncIterable<{ sequence: number; xdr: Uint8Array }>
    | Iterable<{ sequence: number; xdr: Uint8Array }>,
  opts: WriteOptions,
): Promise<WriteSummary> {
  const m: Manifest = {
    networkPassphrase: opts.networkPassphrase,
    version: "1.0",
    compression: "zstd",
    ledgersPerBatch: opts.ledgersPerBatch ?? 1,
    batchesPerPartition: opts.batchesPerPartition ?? 1,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ".config.json"), `${JSON.stringify(m, null, 2)}\n`);
  const summary: WriteSummary = { files: 0, ledgers: 0 };
  let pending: { sequence: number; xdr: Uint8Array }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const key = fileKeyFor(m, pending[0]!.sequence);
    const path = join(dir, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, compressZstd(encodeBatch(pending)));
    summary.files += 1;
    pending = [];
  };
  for await (const l of ledgers) {
    const prev = pending.at(-1);
    if (prev && batchStart(m, l.sequence) !== batchStart(m, prev.sequence)) await flush();
    const last = pending.at(-1);
    if (last && l.sequence !== last.sequence + 1) {
      throw new Error(
        `ledgers ${last.sequence} and ${l.sequence} share a ${m.ledgersPerBatch}-ledger batch but are not consecutive (use --ledgers-per-file 1)`,
      );
    }
    if (summary.last !== undefined && l.sequence <= summary.last) {
      throw new Error(`ledger ${l.sequence} after ${summary.last}: ledgers must ascend`);
    }
    pending.push(l);
    summary.first ??= l.sequence;
    summary.last = l.sequence;
    summary.ledgers += 1;
  }
  await flush();
  return summary;
}

/**
 * `count` contiguous ledgers from `start`, cycling through real `sources`: each keeps its transactions and
 * meta, with the header re-sequenced (ledgerSeq, previous-ledger hash chain, close time advancing 5 s) and its
 * hash recomputed (sha256 of the header). The fields are patched in place, so any protocol works and a
 * thousand mainnet-size ledgers take seconds. DERIVED data for benchmarks and soak tests, not a real network
 * history (the SCP signature no longer matches the close time).
 */
export function* resequence(
  sources: readonly Uint8Array[],
  opts: { start: number; count: number; closeTimeStart?: number; closeStepSeconds?: number },
): Generator<{ sequence: number; xdr: Buffer }> {
  if (sources.length === 0) throw new Error("resequence: no source ledgers");
  const layouts = sources.map((s) => ledgerHeaderLayout(s));
  let previousHash = Buffer.alloc(32);
  const t0 = BigInt(opts.closeTimeStart ?? Math.floor(Date.now() / 1000) - opts.count * 5);
  const step = BigInt(opts.closeStepSeconds ?? 5);
  for (let i = 0; i < opts.count; i++) {
    const k = i % sources.length;
    const xdr = Buffer.from(sources[k]!);
    const l = layouts[k]!;
    const sequence = opts.start + i;
    xdr.writeUInt32BE(sequence, l.sequenceOffset);
    previousHash.copy(xdr, l.previousHashOffset);
    xdr.writeBigUInt64BE(t0 + BigInt(i) * step, l.closeTimeOffset);
    const hash = createHash("sha256").update(xdr.subarray(l.headerStart, l.headerEnd)).digest();
    hash.copy(xdr, l.hashOffset);
    previousHash = hash;
    yield { sequence, xdr };
  }
}
