/** Splitting a ledger range into backfill jobs. */

export interface JobRange {
  first: number;
  last: number;
}

/**
 * Jobs of about `jobSize` ledgers covering first..last. Boundaries fall on multiples of the job size rounded
 * up to whole datastore files (`ledgersPerFile`), so no two jobs read the same file and the same range always
 * splits the same way (planning twice, or a repair, names the same jobs).
 */
export function planJobs(first: number, last: number, jobSize: number, ledgersPerFile = 1): JobRange[] {
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first) {
    throw new Error(`backfill plan: --from ${first} --to ${last} is not a range of ledgers (1 ≤ from ≤ to)`);
  }
  if (!Number.isInteger(jobSize) || jobSize < 1) {
    throw new Error(`backfill plan: --job-size must be a positive integer, got ${jobSize}`);
  }
  const step = Math.ceil(jobSize / ledgersPerFile) * ledgersPerFile;
  const jobs: JobRange[] = [];
  for (let a = first; a <= last; ) {
    const b = Math.min(last, (Math.floor(a / step) + 1) * step - 1);
    jobs.push({ first: a, last: b });
    a = b + 1;
  }
  return jobs;
}

/** Consecutive ledgers as "a-b" ranges, e.g. [5,6,7,9] → "5-7, 9". */
export function formatRanges(seqs: readonly number[], max = 20): string {
  const ranges: string[] = [];
  let i = 0;
  while (i < seqs.length) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    ranges.push(i === j ? `${seqs[i]}` : `${seqs[i]}-${seqs[j]}`);
    i = j + 1;
  }
  return ranges.length > max
    ? `${ranges.slice(0, max).join(", ")}, … (${ranges.length} ranges)`
    : ranges.join(", ");
}
