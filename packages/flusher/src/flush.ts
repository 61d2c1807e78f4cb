/**
 * One flush: move the ledgers (last flushed W, new W'] from the hot buffer to DuckLake bronze, then delete them
 * from the hot buffer. Order is what makes it crash-safe: Parquet first (orphans are harmless and removed),
 * then ONE catalog transaction that also records W' (the flush-state contract), and only then the bounded hot
 * delete — which the next start finishes if a crash interrupted it. Every row is always in hot or cold.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  commitFiles,
  flushStateInfo,
  type LakeTarget,
  lakeStorage,
  latestWatermark,
  prepareLake,
  type WrittenFile,
  writeParquet,
} from "@stellar-lake/lake";
import { dataTables } from "@stellar-lake/schema";
import type pg from "pg";
import { deleteFlushed, exportCsvOptions, exportRange, flushWatermark } from "./hot-source";

/**
 * Which lake (LakeTarget: catalog, schemas, data path, storage — for a remote storage DuckDB writes each file in a
 * temporary folder and it is uploaded before the catalog commit), from which hot buffer, and how.
 */
export interface FlushOptions extends LakeTarget {
  hot: pg.ClientBase;
  duck: DuckDBConnection;
  minAgeMs: number;
  /** More hot-buffer connections (not `hot`) to export tables in parallel, in the same snapshot. */
  exportClients?: pg.ClientBase[];
  /** At most this many ledgers per flush (default: all that are ready). */
  maxLedgers?: number;
  failpoint?: (name: string) => void;
  /** Where this flush's temporary folder goes (the flusher's own directory; default the OS temp directory). */
  tempDir?: string;
}

export interface FlushResult {
  flushed: boolean;
  watermark: number | undefined;
  range?: [number, number];
  snapshotId?: number;
  rowsPerTable: Record<string, number>;
  deletedPerTable: Record<string, number>;
  seconds: number;
  /** Where the time went: hot export (PostgreSQL → CSV), Parquet writes not overlapped by it, catalog commit, hot delete. */
  phases?: {
    exportSeconds: number;
    parquetWaitSeconds: number;
    commitSeconds: number;
    deleteSeconds: number;
  };
}

export async function flushOnce(o: FlushOptions): Promise<FlushResult> {
  const t0 = performance.now();
  const fp = o.failpoint ?? (() => {});
  const lake = await prepareLake(o);
  const last = await latestWatermark(o.catalog, o.metaSchema);
  const result: FlushResult = {
    flushed: false,
    watermark: last,
    rowsPerTable: {},
    deletedPerTable: {},
    seconds: 0,
  };
  // A crash between the catalog commit and the hot delete left flushed rows behind: remove them first.
  if (last !== undefined) result.deletedPerTable = await deleteFlushed(o.hot, last, fp);
  const range = await flushWatermark(o.hot, last, o.minAgeMs, o.maxLedgers);
  if (!range) {
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  }
  const tStart = performance.now();
  let tExport = tStart;
  let tParquet = tStart;
  const tmp = await mkdtemp(join(o.tempDir ?? tmpdir(), "flush-"));
  const storage = o.storage ?? lakeStorage(o.dataPath);
  const writeRoot = storage.remote ? `${join(tmp, "stage")}/` : o.dataPath;
  const files: WrittenFile[] = [];
  // Never registered: remove the written (and uploaded) files rather than leave orphans.
  const discard = () =>
    Promise.all(
      files.map(async (f) => {
        await rm(f.absolutePath, { force: true });
        if (storage.remote) await storage.delete(f.lakePath).catch(() => {});
      }),
    );
  try {
    // One hot snapshot for all 19 exports. Each table's Parquet file is written (DuckDB, its own threads) while
    // PostgreSQL exports the next table: the two overlap instead of taking turns.
    let writing: Promise<void> = Promise.resolve();
    const write = (t: (typeof dataTables)[number], csv: string, rows: number) => {
      writing = writing.then(async () => {
        const f = await writeParquet(o.duck, {
          dataPath: writeRoot,
          lakeSchema: o.lakeSchema,
          table: t,
          lake: lake.get(t.name)!,
          csvPath: csv,
          csvOptions: exportCsvOptions,
        });
        files.push(f);
        // The hot delete after the commit removes every row of the range: the file must hold all of them.
        if (f.recordCount !== rows) {
          throw new Error(
            `flush of table '${t.name}' (ledgers ${range.from}-${range.to}): the Parquet file has ${f.recordCount} rows, the hot export ${rows}; nothing committed`,
          );
        }
        await rm(csv, { force: true });
        if (storage.remote) {
          // Uploaded while the next tables export; a failure (naming the object) stops the flush uncommitted.
          await storage.put(f.absolutePath, f.lakePath);
          await rm(f.absolutePath, { force: true });
        }
      });
      writing.catch(() => {}); // awaited below; a failure stops the exports that follow
    };
    const extra = o.exportClients ?? [];
    let watermarkHash: string | undefined;
    const begun: pg.ClientBase[] = [];
    try {
      await o.hot.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      begun.push(o.hot);
      // More connections export other tables in parallel, all in the same (exported) snapshot.
      if (extra.length) {
        const id = (await o.hot.query("SELECT pg_export_snapshot() AS id")).rows[0].id as string;
        for (const c of extra) {
          await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
          begun.push(c);
          await c.query(`SET TRANSACTION SNAPSHOT '${id.replaceAll("'", "''")}'`);
        }
      }
      // The hash of ledger W' in the same snapshot: recorded with W' so that an ingester rewinding to the cold
      // watermark checks the hash chain of the ledger it resumes at.
      const h = await o.hot.query("SELECT ledger_hash FROM public.ledgers_row_v2 WHERE sequence = $1", [
        range.to,
      ]);
      watermarkHash = h.rows[0]?.ledger_hash ?? undefined;
      try {
        const queue = [...dataTables];
        // Every connection's export ends before the COMMITs below (one still in its COPY would take a COMMIT
        // queued behind it as its next statement); after a failure the others take no new table.
        const exports = await Promise.allSettled(
          begun.map(async (c) => {
            for (let t = queue.shift(); t; t = queue.shift()) {
              const csv = join(tmp, `${t.name}.csv`);
              try {
                const rows = await exportRange(c, t, range.from, range.to, csv);
                result.rowsPerTable[t.name] = rows;
                if (rows > 0) write(t, csv, rows);
              } catch (err) {
                queue.length = 0;
                throw err;
              }
            }
          }),
        );
        const failed = exports.find((e) => e.status === "rejected");
        if (failed) throw failed.reason;
      } finally {
        for (const c of begun) await c.query("COMMIT").catch(() => {});
      }
      tExport = performance.now();
      await writing;
      tParquet = performance.now();
    } catch (err) {
      // Let the writes in flight end before removing what was written (never registered).
      await writing.catch(() => {});
      await discard();
      throw err;
    }
    fp("after-parquet-write");
    const rows = Object.values(result.rowsPerTable).reduce((a, b) => a + b, 0);
    await o.catalog.query("BEGIN");
    try {
      result.snapshotId = await commitFiles(o.catalog, {
        metaSchema: o.metaSchema,
        files,
        storage,
        message: `flush ledgers ${range.from}-${range.to}`,
        commitExtraInfo: flushStateInfo({
          watermark: range.to,
          range: [range.from, range.to],
          rows,
          seconds: +((performance.now() - t0) / 1000).toFixed(3),
          ...(watermarkHash ? { watermarkHash } : {}),
        }),
      });
      await o.catalog.query("COMMIT");
    } catch (err) {
      await o.catalog.query("ROLLBACK").catch(() => {});
      await discard();
      throw err;
    }
    const tCommit = performance.now();
    fp("after-catalog-commit");
    result.deletedPerTable = await deleteFlushed(o.hot, range.to, fp);
    const sec = (a: number, b: number) => +((b - a) / 1000).toFixed(3);
    result.phases = {
      exportSeconds: sec(tStart, tExport),
      parquetWaitSeconds: sec(tExport, tParquet),
      commitSeconds: sec(tParquet, tCommit),
      deleteSeconds: sec(tCommit, performance.now()),
    };
    result.flushed = true;
    result.watermark = range.to;
    result.range = [range.from, range.to];
    return result;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    result.seconds = (performance.now() - t0) / 1000;
  }
}
