/**
 * A job's ledgers from a Galexie datastore: exactly first..last, in order, fetching at most `prefetch` batch files
 * ahead of the consumer. The generator is pulled, so a consumer that stops pulling (the Parquet writer behind
 * it is busy) stops the fetching too: memory holds the prefetched files, never the range. Unlike the live
 * reader it lists nothing: a job knows its range and the layout gives every file's key (64,000-file
 * partitions included), so a job over the public lake costs one GET per file.
 */
import { type LedgerBlob, LedgerFileError, splitLedgers } from "@stellar-lake/lcm-io";
import { type Datastore, fileKeyFor } from "@stellar-lake/ledger-source";

const batchStart = (m: { ledgersPerBatch: number }, seq: number) =>
  Math.floor(seq / m.ledgersPerBatch) * m.ledgersPerBatch;

export class DatastoreRangeError extends Error {
  override readonly name = "DatastoreRangeError";
}

export async function* readRange(
  ds: Datastore,
  first: number,
  last: number,
  opts: { prefetch?: number; onFile?: (key: string, bytes: number) => void } = {},
): AsyncGenerator<LedgerBlob> {
  const m = await ds.manifest();
  const prefetch = Math.max(1, opts.prefetch ?? 4);
  let nextStart = batchStart(m, first);
  const inflight: { key: string; bytes: Promise<Buffer | undefined> }[] = [];
  const fill = () => {
    while (inflight.length < prefetch && nextStart <= last) {
      const key = fileKeyFor(m, nextStart);
      const bytes = ds.get(key);
      bytes.catch(() => {}); // awaited in order below
      inflight.push({ key, bytes });
      nextStart += m.ledgersPerBatch;
    }
  };
  let next = first;
  while (next <= last) {
    fill();
    const f = inflight.shift()!;
    let bytes: Buffer | undefined;
    try {
      bytes = await f.bytes;
    } catch (err) {
      throw new DatastoreRangeError(`reading ${ds.location}${f.key} failed: ${(err as Error).message}`);
    }
    if (!bytes) {
      throw new DatastoreRangeError(
        `ledger ${next} is missing: ${ds.location}${f.key} does not exist (job ${first}-${last})`,
      );
    }
    opts.onFile?.(f.key, bytes.length);
    let blobs: LedgerBlob[];
    try {
      blobs = splitLedgers(bytes, `${ds.location}${f.key}`);
    } catch (err) {
      const reason =
        err instanceof LedgerFileError ? err.message : `${ds.location}${f.key}: ${(err as Error).message}`;
      throw new DatastoreRangeError(`corrupt datastore file: ${reason}`);
    }
    fill();
    const before = next;
    for (const b of blobs) {
      if (b.sequence < next) continue;
      if (b.sequence > last) break;
      if (b.sequence !== next) {
        throw new DatastoreRangeError(
          `ledger ${next} is missing: ${ds.location}${f.key} jumps to ledger ${b.sequence}`,
        );
      }
      yield b;
      next += 1;
    }
    if (next === before || (next <= last && next < batchStart(m, before) + m.ledgersPerBatch)) {
      throw new DatastoreRangeError(
        `ledger ${next} is missing: ${ds.location}${f.key} ends at ledger ${next - 1}`,
      );
    }
  }
}
