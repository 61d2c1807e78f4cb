/**
 * Reading ledgers in order from a Galexie datastore: the available range (from listings), and an ordered
 * stream from any ledger with a bounded prefetch of files and a live tail that polls for new files.
 */
import { decompressZstd, isZstd, type LedgerBlob, LedgerFileError, splitLedgers } from "@stellar-lake/lcm-io";
import { sleep } from "@stellar-lake/runtime";
import { batchStart, fileKeyFor, type Manifest, startOfName } from "./layout";
import { type Datastore, pathOf } from "./store";

export interface LedgerRange {
  oldest: number;
  latest: number;
}

export class GapError extends Error {
  override readonly name = "GapError";
  constructor(
    readonly sequence: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** A datastore file that cannot be read (truncated zstd, random bytes): names it and the ledgers it should hold. */
export class CorruptFileError extends Error {
  override readonly name = "CorruptFileError";
  constructor(
    message: string,
    /** Path or URL of the file. */
    readonly file: string,
    /** The ledgers lost with it: from the one asked for to the end of the file's batch. */
    readonly first: number,
    readonly last: number,
  ) {
    super(message);
  }
}

async function sortedStarts(ds: Datastore, prefix: string): Promise<{ start: number; name: string }[]> {
  const out: { start: number; name: string }[] = [];
  for (const name of await ds.list(prefix)) {
    const start = startOfName(name);
    if (start !== undefined) out.push({ start, name });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Oldest and latest ledger present, or undefined for an empty datastore. */
export async function availableRange(ds: Datastore): Promise<LedgerRange | undefined> {
  const m = await ds.manifest();
  const files = async (partition: string) =>
    (await sortedStarts(ds, partition)).filter((f) => !f.name.endsWith("/"));
  let first: number | undefined;
  let last: number | undefined;
  let lastKey = "";
  let firstKey = "";
  if (m.batchesPerPartition > 1) {
    const parts = (await sortedStarts(ds, "")).filter((p) => p.name.endsWith("/"));
    for (const p of parts) {
      const f = await files(p.name);
      if (f.length) {
        first = f[0]!.start;
        firstKey = `${p.name}${f[0]!.name}`;
        break;
      }
    }
    for (const p of [...parts].reverse()) {
      const f = await files(p.name);
      if (f.length) {
        last = f.at(-1)!.start;
        lastKey = `${p.name}${f.at(-1)!.name}`;
        break;
      }
    }
  } else {
    const f = await files("");
    first = f[0]?.start;
    firstKey = f[0]?.name ?? "";
    last = f.at(-1)?.start;
    lastKey = f.at(-1)?.name ?? "";
  }
  if (first === undefined || last === undefined) return undefined;
  return {
    oldest: (await batchBounds(ds, firstKey))?.[0] ?? first,
    latest: (await batchBounds(ds, lastKey))?.[1] ?? last + m.ledgersPerBatch - 1,
  };
}

/**
 * First and last ledger in a batch file (its header's start/endSequence): the oldest and newest files of a lake
 * may hold less than a full batch.
 */
async function batchBounds(ds: Datastore, key: string): Promise<[number, number] | undefined> {
  const bytes = await ds.get(key);
  if (!bytes) return undefined;
  try {
    const raw = isZstd(bytes) ? decompressZstd(bytes) : bytes;
    return raw.length >= 8 ? [raw.readUInt32BE(0), raw.readUInt32BE(4)] : undefined;
  } catch {
    return undefined;
  }
}

export interface ReadOptions {
  /** Files fetched ahead of the consumer (bounded memory). */
  prefetch?: number;
  /** How often to look for new files at the end of the data (live tail); 0 = end instead. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Called for every file read (metrics). */
  onFile?: (key: string, bytes: number) => void;
}

/**
 * Ledgers from `from` on, in order. A file missing below the latest ledger is a gap (error); at the end of
 * the data it waits for the next file (live tail). A file that cannot be read is a CorruptFileError naming it.
 */
export async function* readLedgers(
  ds: Datastore,
  from: number,
  opts: ReadOptions = {},
): AsyncGenerator<LedgerBlob> {
  const m: Manifest = await ds.manifest();
  const prefetch = Math.max(1, opts.prefetch ?? 4);
  const pollMs = opts.pollMs ?? 2000;
  let next = from;
  let latestKnown = (await availableRange(ds))?.latest ?? from - 1;
  // In-flight fetches by batch start, consumed in order (bounded by `prefetch`).
  const inflight = new Map<number, Promise<Buffer | undefined>>();
  const fetchBatch = (start: number) => {
    let p = inflight.get(start);
    if (!p) {
      const key = fileKeyFor(m, start);
      p = ds.get(key).then((b) => {
        if (b) opts.onFile?.(key, b.length);
        return b;
      });
      p.catch(() => {});
      inflight.set(start, p);
    }
    return p;
  };
  while (!opts.signal?.aborted) {
    const start = batchStart(m, next);
    for (let i = 0; i < prefetch; i++) {
      const s = start + i * m.ledgersPerBatch;
      if (s <= latestKnown) fetchBatch(s);
    }
    const key = fileKeyFor(m, next);
    const bytes = await fetchBatch(start);
    inflight.delete(start);
    if (!bytes) {
      if (next <= latestKnown) {
        throw new GapError(
          next,
          `ledger ${next} is missing: ${pathOf(ds, key)} does not exist, but ledgers up to ${latestKnown} do`,
        );
      }
      if (pollMs === 0) return;
      await sleep(pollMs, opts.signal);
      latestKnown = (await availableRange(ds))?.latest ?? latestKnown;
      continue;
    }
    let blobs: LedgerBlob[];
    const file = pathOf(ds, key);
    try {
      blobs = splitLedgers(bytes, file);
    } catch (err) {
      const reason = err instanceof LedgerFileError ? err.message : `${file}: ${(err as Error).message}`;
      throw new CorruptFileError(
        `corrupt datastore file: ${reason}`,
        file,
        next,
        start + m.ledgersPerBatch - 1,
      );
    }
    const before = next;
    for (const b of blobs) {
      if (b.sequence < next) continue;
      if (b.sequence !== next) {
        throw new GapError(next, `ledger ${next} is missing: ${file} jumps to ledger ${b.sequence}`);
      }
      yield b;
      next += 1;
      if (opts.signal?.aborted) return;
    }
    if (next < start + m.ledgersPerBatch && next <= latestKnown) {
      throw new GapError(next, `ledger ${next} is missing: ${file} ends at ledger ${next - 1}`);
    }
    if (next > latestKnown) latestKnown = next - 1;
    if (next === before) {
      // The newest file holds fewer than a full batch and nothing past it exists yet: this is the live tail.
      if (pollMs === 0) return;
      await sleep(pollMs, opts.signal);
      latestKnown = (await availableRange(ds))?.latest ?? latestKnown;
    }
  }
}
