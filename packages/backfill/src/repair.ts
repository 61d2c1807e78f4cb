/**
 * `lake repair`: re-derive from the datastore every ledger range that verify finds wrong, and replace the files
 * that held it — in ONE snapshot that ends the old files and registers the new ones, so a reader sees either
 * the broken range or the repaired one, never both or neither. A repaired range is the affected jobs (the queue's
 * job ranges when the queue knows them, else the plan's job boundaries), widened until it covers every live
 * file of every table it touches (a file is replaced whole; its other ledgers are re-derived too).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { commitFiles, lakeTableFiles, latestFlushState, pgCatalog } from "@stellar-lake/lake";
import { dataTables } from "@stellar-lake/schema";
import { type JobContext, type JobManifest, runJob } from "./job";
import type { LakeContext } from "./lake-context";
import type { WrittenFile } from "./lake-types";
import { type JobRange, planJobs } from "./plan";
import type { BackfillQueue } from "./queue";
import { type Issue, verifyLake } from "./verify";

export interface RepairOptions {
  lake: LakeContext;
  job: Omit<JobContext, "lake" | "storage" | "lakeSchema" | "duck">;
  duck: DuckDBConnection;
  from: number;
  to: number;
  /** Job boundaries when the queue does not know the range's jobs (default 1000). */
  jobSize?: number;
  queue?: BackfillQueue;
  log?: (line: string) => void;
}

export interface RepairResult {
  issues: Issue[];
  ranges: JobRange[];
  snapshotId?: number;
  replacedFiles: number;
  newFiles: number;
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

function merge(ranges: JobRange[]): JobRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: JobRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

export async function repairLake(o: RepairOptions): Promise<RepairResult> {
  const log = o.log ?? (() => {});
  const cat = pgCatalog(o.lake.catalog, o.lake.metaSchema);
  const storage = o.lake.storage;
  const v = await verifyLake(cat, o.duck, { schema: o.lake.lakeSchema, from: o.from, to: o.to, storage });
  const result: RepairResult = { issues: v.issues, ranges: [], replacedFiles: 0, newFiles: 0 };
  if (v.issues.length === 0) return result;
  // The affected jobs.
  let ranges: JobRange[] = [];
  for (const i of v.issues) {
    const known = o.queue ? await o.queue.jobsIn(i.from, i.to) : [];
    const jobs = known.length
      ? known.map((j) => ({ first: j.first, last: j.last }))
      : planJobs(o.from, o.to, o.jobSize ?? 1000).filter((j) => j.last >= i.from && j.first <= i.to);
    ranges.push(...jobs);
  }
  ranges = merge(ranges);
  // Widened to whole files, in every table, until nothing changes.
  const live = new Map<string, Awaited<ReturnType<typeof lakeTableFiles>>>();
  for (const t of dataTables) {
    live.set(
      t.name,
      await lakeTableFiles(cat, {
        schema: o.lake.lakeSchema,
        table: t.name,
        snapshot: v.snapshot,
        statsColumn: t.sequenceColumn!,
      }),
    );
  }
  const replaced = new Map<string, { id: number; tableId: number; rows: number; size: number }>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of live.values()) {
      for (const f of t.files) {
        if (f.min === null || f.max === null) continue;
        const lo = Number(f.min);
        const hi = Number(f.max);
        const hit = ranges.find((r) => hi >= r.first && lo <= r.last);
        if (!hit) continue;
        if (!replaced.has(f.id)) {
          replaced.set(f.id, { id: Number(f.id), tableId: Number(t.tableId), rows: f.recordCount, size: 0 });
        }
        if (lo < hit.first || hi > hit.last) {
          hit.first = Math.min(hit.first, lo);
          hit.last = Math.max(hit.last, hi);
          ranges = merge(ranges);
          changed = true;
        }
      }
    }
  }
  result.ranges = ranges;
  log(`repair: re-deriving ledgers ${ranges.map((r) => `${r.first}-${r.last}`).join(", ")}`);
  const manifests: JobManifest[] = [];
  const ctx: JobContext = {
    ...o.job,
    duck: o.duck,
    storage,
    lakeSchema: o.lake.lakeSchema,
    lake: o.lake.lake,
  };
  try {
    for (const r of ranges) {
      manifests.push(
        await runJob(ctx, {
          ...r,
          attempt: 0,
          fileName: `ducklake-repair-${r.first}-${r.last}-s${v.snapshot}.parquet`,
        }),
      );
    }
    const s = ident(o.lake.metaSchema);
    const c = o.lake.catalog;
    await c.query("BEGIN");
    try {
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-writer:${o.lake.metaSchema}`]);
      const latest = Number(
        (await c.query(`SELECT MAX(snapshot_id) AS s FROM ${s}.ducklake_snapshot`)).rows[0].s,
      );
      if (latest !== v.snapshot) {
        throw new Error(
          `lake repair: the lake changed while repairing (snapshot ${v.snapshot} → ${latest}); nothing replaced, run it again`,
        );
      }
      const st = await latestFlushState(c, o.lake.metaSchema);
      const files: WrittenFile[] = manifests.flatMap((m) =>
        m.files.map((f) => ({
          table: o.lake.lake.get(f.table)!,
          fileName: f.fileName,
          absolutePath: `${storage.dataPath}${f.lakePath}`,
          lakePath: f.lakePath,
          recordCount: f.rows,
          fileSize: f.size,
          footerSize: f.footerSize,
          stats: new Map(f.stats),
        })),
      );
      const S = await commitFiles(c, {
        metaSchema: o.lake.metaSchema,
        files,
        storage,
        message: `repair ledgers ${ranges.map((r) => `${r.first}-${r.last}`).join(",")}`,
        commitExtraInfo: {
          ...(st?.info ?? {}),
          ...(st ? { watermark: st.watermark } : {}),
          repaired: ranges.map((r) => [r.first, r.last]),
          writer: "stellar-lake",
          operation: "repair",
        },
      });
      const old = [...replaced.values()];
      await c.query(
        `UPDATE ${s}.ducklake_data_file SET end_snapshot = $1 WHERE data_file_id = ANY($2::bigint[])`,
        [S, old.map((f) => f.id)],
      );
      const byTable = new Map<number, number>();
      for (const f of old) byTable.set(f.tableId, (byTable.get(f.tableId) ?? 0) + f.rows);
      for (const [tableId, rows] of byTable) {
        await c.query(
          `UPDATE ${s}.ducklake_table_stats SET record_count = record_count - $2 WHERE table_id = $1`,
          [tableId, rows],
        );
      }
      // Table column stats stay as they are: the ended files' bounds only widen them (still true bounds), as the
      // extension keeps them; commitFiles merged the new files' in.
      await c.query(
        `UPDATE ${s}.ducklake_snapshot_changes SET changes_made = concat_ws(',', NULLIF(changes_made, ''), $2::text) WHERE snapshot_id = $1`,
        [S, [...byTable.keys()].map((id) => `deleted_from_table:${id}`).join(",")],
      );
      await c.query("COMMIT");
      result.snapshotId = S;
      result.replacedFiles = old.length;
      result.newFiles = files.length;
      return result;
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    }
  } catch (err) {
    for (const m of manifests) for (const f of m.files) await storage.delete(f.lakePath).catch(() => {});
    throw err;
  }
}
