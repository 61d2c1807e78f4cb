/**
 * The Galexie data lake layout (what Stellar publishes, e.g. the public `aws-public-blockchain` bucket under
 * `v1.1/stellar/ledgers/pubnet/`): a manifest `.config.json`; partition folders `%08X--<start>-<end>/` (hex =
 * 0xFFFFFFFF - partition start; only when batchesPerPartition > 1); files `%08X--<start>[-<end>].xdr.zst`
 * (hex = 0xFFFFFFFF - batch start; `-<end>` only when ledgersPerBatch > 1), each a zstd LedgerCloseMetaBatch.
 * Reversed hex makes a plain listing newest-first.
 */
export interface Manifest {
  networkPassphrase: string;
  version: string;
  compression: string;
  ledgersPerBatch: number;
  batchesPerPartition: number;
}

export class ManifestError extends Error {
  override readonly name = "ManifestError";
}

export function parseManifest(text: string, where: string): Manifest {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ManifestError(`${where}: .config.json is not JSON (${(err as Error).message})`);
  }
  const lpb = Number(m.ledgersPerBatch);
  const bpp = Number(m.batchesPerPartition);
  if (!Number.isInteger(lpb) || lpb < 1)
    throw new ManifestError(`${where}: ledgersPerBatch must be a positive integer`);
  if (!Number.isInteger(bpp) || bpp < 1) {
    throw new ManifestError(`${where}: batchesPerPartition must be a positive integer`);
  }
  if (typeof m.networkPassphrase !== "string" || !m.networkPassphrase) {
    throw new ManifestError(`${where}: networkPassphrase missing`);
  }
  const compression = String(m.compression ?? "zstd");
  if (compression !== "zstd")
    throw new ManifestError(`${where}: compression '${compression}' (only zstd is supported)`);
  return {
    networkPassphrase: m.networkPassphrase,
    version: String(m.version ?? "1.0"),
    compression,
    ledgersPerBatch: lpb,
    batchesPerPartition: bpp,
  };
}

const hex8 = (n: number) => (0xffffffff - n).toString(16).toUpperCase().padStart(8, "0");

export function batchStart(m: Manifest, seq: number): number {
  return Math.floor(seq / m.ledgersPerBatch) * m.ledgersPerBatch;
}

/** Object key (relative path) of the file that holds ledger `seq`. */
export function fileKeyFor(m: Manifest, seq: number): string {
  const start = batchStart(m, seq);
  const end = start + m.ledgersPerBatch - 1;
  const file = `${hex8(start)}--${start}${m.ledgersPerBatch > 1 ? `-${end}` : ""}.xdr.zst`;
  if (m.batchesPerPartition <= 1) return file;
  const span = m.ledgersPerBatch * m.batchesPerPartition;
  const pStart = Math.floor(seq / span) * span;
  return `${hex8(pStart)}--${pStart}-${pStart + span - 1}/${file}`;
}

/** The first ledger of a file or partition name (`HEX--start[-end]...`), or undefined if it is not one. */
export function startOfName(name: string): number | undefined {
  const m = /^([0-9A-F]{8})--(\d+)(?:-(\d+))?(?:\.xdr\.zst)?\/?$/.exec(name);
  if (!m) return undefined;
  const start = Number(m[2]);
  return 0xffffffff - Number.parseInt(m[1]!, 16) === start ? start : undefined;
}
