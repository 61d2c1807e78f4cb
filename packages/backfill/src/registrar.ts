/**
 * Registration: finished jobs become lake history in ledger order, growing the cold range at its ends — a job
 * whose last ledger is just below the oldest (always allowed) or whose first is just above the watermark (only
 * when no live pipeline ingests) —, several jobs per snapshot, each snapshot carrying the flush state with the
 * contiguous range it now covers. Every registration runs under the catalog's writer lock and re-reads the cold
 * range inside it, so any number of workers may try at once: each job is committed exactly once, a job the
 * history already covers is dropped with its files, and the catalog never advertises a gap.
 */
import { commitFiles, type LakeStorage } from "@stellar-lake/lake";
import type pg from "pg";
import { type ColdRange, coldRange, type LiveRange, overlapError } from "./history";
import type { JobManifest } from "./job";
import type { LakeTable, WrittenFile } from "./lake-types";
import type { BackfillQueue, JobRow } from "./queue";

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

export interface RegisterOptions {
  catalog: pg.ClientBase;
  queue: BackfillQueue;
  metaSchema: string;
  lake: Map<string, LakeTable>;
  storage: LakeStorage;
  /** The live pipeline's state (read in the registration), when the hot buffer is known. */
  live?: () => Promise<LiveRange>;
  /** Jobs per snapshot (default 64). */
  maxJobs?: number;
  failpoint?: (name: string) => void;
}

export interface RegisterResult {
  registered: { first: number; last: number }[];
  snapshotId?: number;
  /** Jobs dropped because the history already held their ledgers. */
  dropped: number;
  refused: { first: number; last: number; reason: string }[];
}

function writtenFiles(m: JobManifest, o: RegisterOptions): WrittenFile[] {
  return m.files.map((f) => {
    const table = o.lake.get(f.table);
    if (!table) throw new Error(`job ${m.first}-${m.last}: the lake has no table '${f.table}'`);
    return {
      table,
      fileName: f.fileName,
      absolutePath: `${o.storage.dataPath}${f.lakePath}`,
      lakePath: f.lakePath,
      recordCount: f.rows,
      fileSize: f.size,
      footerSize: f.footerSize,
      stats: new Map(f.stats),
    };
  });
}

async function deleteFiles(m: JobManifest | null, storage: LakeStorage) {
  for (const f of m?.files ?? []) await storage.delete(f.lakePath).catch(() => {});
}

/** Register what can be registered now (one snapshot at most). */
export async function registerFinished(o: RegisterOptions): Promise<RegisterResult> {
  const result: RegisterResult = { registered: [], dropped: 0, refused: [] };
  if ((await o.queue.finished()).length === 0) return result;
  const live = o.live ? await o.live() : {};
  const t0 = performance.now();
  const dropped: JobRow[] = [];
  /** Covered jobs whose own files are the registered ones (another registration committed them). */
  const committed: JobRow[] = [];
  let finished: JobRow[] = [];
  await o.catalog.query("BEGIN");
  try {
    await o.catalog.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-writer:${o.metaSchema}`]);
    // Read under the lock: a registration that committed before it is seen, in the catalog if not yet here.
    finished = await o.queue.finished();
    const all = await o.queue.unregistered();
    const cold0 = await coldRange(o.catalog as never, o.metaSchema);
    let cold: ColdRange | undefined = cold0 && { ...cold0 };
    const ingesting = live.checkpoint !== undefined || live.hot !== undefined;
    const batch: JobRow[] = [];
    const pendingJobs = new Map(finished.map((j) => [j.first, j]));
    for (const j of finished) {
      if (cold && j.first >= cold.oldest && j.last <= cold.watermark) {
        // Already history: committed by another registration (its mark not yet or never written) — then these
        // very files are live in the catalog and stay — or covered by other files, and these are dropped.
        const names = (j.manifest?.files ?? []).map((f) => f.fileName);
        const live = await o.catalog.query(
          `SELECT COUNT(*)::int AS n FROM ${ident(o.metaSchema)}.ducklake_data_file WHERE path = ANY($1::text[]) AND end_snapshot IS NULL`,
          [names],
        );
        (live.rows[0].n > 0 ? committed : dropped).push(j);
        pendingJobs.delete(j.first);
        continue;
      }
      const why = overlapError(j, cold, live);
      if (why) {
        result.refused.push({ first: j.first, last: j.last, reason: why });
        pendingJobs.delete(j.first);
      }
    }
    const max = o.maxJobs ?? 64;
    while (batch.length < max) {
      let next: JobRow | undefined;
      if (!cold) {
        if (live.hot) next = [...pendingJobs.values()].find((j) => j.last === live.hot![0] - 1);
        else {
          const lowest = all.find((j) => j.state !== "failed");
          next = lowest && pendingJobs.get(lowest.first);
        }
      } else {
        next = [...pendingJobs.values()].find((j) => j.last === cold!.oldest - 1);
        if (!next && !ingesting) next = pendingJobs.get(cold.watermark + 1);
      }
      if (!next) break;
      pendingJobs.delete(next.first);
      batch.push(next);
      cold = cold
        ? { oldest: Math.min(cold.oldest, next.first), watermark: Math.max(cold.watermark, next.last) }
        : { oldest: next.first, watermark: next.last };
    }
    if (batch.length > 0) {
      const files = batch.flatMap((j) => writtenFiles(j.manifest!, o));
      const rows = batch.reduce(
        (n, j) => n + Object.values(j.manifest!.rowsPerTable).reduce((a, b) => a + b, 0),
        0,
      );
      const lo = Math.min(...batch.map((j) => j.first));
      const hi = Math.max(...batch.map((j) => j.last));
      result.snapshotId = await commitFiles(o.catalog, {
        metaSchema: o.metaSchema,
        files,
        storage: o.storage,
        message: `backfill ledgers ${lo}-${hi}`,
        commitExtraInfo: {
          watermark: cold!.watermark,
          range: [lo, hi],
          oldest: cold!.oldest,
          rows,
          jobs: batch.length,
          seconds: +((performance.now() - t0) / 1000).toFixed(3),
          writer: "stellar-lake",
          operation: "backfill",
        },
      });
      // The files of a snapshot must be as the manifests say (a zombie attempt writes other names).
      await assertSizes(o, files);
    }
    await o.catalog.query("COMMIT");
    result.registered = batch.map((j) => ({ first: j.first, last: j.last }));
    o.failpoint?.("backfill-after-register");
    await o.queue.markRegistered(
      batch.map((j) => j.first),
      result.snapshotId ?? null,
    );
  } catch (err) {
    await o.catalog.query("ROLLBACK").catch(() => {});
    throw err;
  }
  await o.queue.markRegistered(
    committed.map((j) => j.first),
    null,
  );
  for (const j of dropped) await deleteFiles(j.manifest, o.storage);
  await o.queue.markRegistered(
    dropped.map((j) => j.first),
    null,
  );
  result.dropped = dropped.length;
  for (const r of result.refused) {
    await deleteFiles(finished.find((j) => j.first === r.first)?.manifest ?? null, o.storage);
    await o.queue.markRefused(r.first, r.reason);
  }
  return result;
}

async function assertSizes(o: RegisterOptions, files: readonly WrittenFile[]) {
  if (o.storage.remote) return; // the upload's own size is what the manifest recorded
  const { stat } = await import("node:fs/promises");
  for (const f of files) {
    const st = await stat(f.absolutePath);
    if (st.size !== f.fileSize) {
      throw new Error(
        `Parquet file ${f.absolutePath} of table '${f.table.name}' has ${st.size} bytes, its job's manifest says ${f.fileSize}; nothing registered`,
      );
    }
  }
}
