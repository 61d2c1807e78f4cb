/**
 * The directory the flusher owns for a flush's temporary files (the hot-row CSV exports, the staged Parquet files
 * of a remote lake). Each flush works in its own `flush-*` folder under it and removes it; a flusher killed
 * mid-flush leaves one behind, which the next start sweeps (under the flusher lock: no other flusher of this hot
 * buffer is using the directory). So at most one flush's files are there at a time.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/** Create `dir` when missing and remove every `flush-*` entry a previous process left; returns what it removed. */
export async function sweepTempDir(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const left = (await readdir(dir)).filter((n) => n.startsWith("flush-"));
  for (const n of left) await rm(join(dir, n), { recursive: true, force: true });
  return left;
}
