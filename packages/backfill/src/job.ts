/**
 * One backfill job: ledgers first..last from the datastore → transform in worker threads → one CSV per table on
 * local disk → one Parquet file per table, written by DuckDB as the flusher writes its files (field ids = column
 * ids, RETURN_STATS, rows in (sequence, key) order) and put at a name fixed by the job and its attempt. Nothing
 * is registered here: the job's manifest says what was written, the registrar commits it (registrar.ts).
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { type LakeStorage, writeParquetFromQuery } from "@stellar-lake/lake";
import type { Datastore } from "@stellar-lake/ledger-source";
import { dataTables, type TableDef } from "@stellar-lake/schema";
import { CSV_READ_OPTIONS, DUCKDB_TYPE } from "./csv";
import type { LakeTable, WrittenFile } from "./lake-types";
import { readRange } from "./range-reader";
import type { CsvLedger } from "./transformer";

/** A written, not yet registered, Parquet file of a job (everything the catalog row needs). */
export interface ManifestFile {
  table: string;
  /** Relative to the data path: `<lake schema>/<table>/<file name>`. */
  lakePath: string;
  fileName: string;
  rows: number;
  size: number;
  footerSize: number;
  /** [column id, stats] as DuckDB's RETURN_STATS gave them (the lake writer's form). */
  stats: [number, WrittenFile["stats"] extends Map<number, infer S> ? S : never][];
}

export interface JobManifest {
  first: number;
  last: number;
  attempt: number;
  ledgers: number;
  firstHash: string;
  /** The first ledger's previous-ledger hash: what the ledger before the job must hash to. */
  firstPreviousHash: string;
  lastHash: string;
  rowsPerTable: Record<string, number>;
  files: ManifestFile[];
  /** Datastore bytes read. */
  bytesRead: number;
  seconds: number;
}

export interface Transformer {
  transform(raw: { sequence: number; xdr: Uint8Array }): Promise<unknown>;
}

export interface JobContext {
  datastore: Datastore;
  pool: Transformer;
  duck: DuckDBConnection;
  storage: LakeStorage;
  lakeSchema: string;
  lake: Map<string, LakeTable>;
  /** Local scratch directory (CSV and staged Parquet). */
  workDir: string;
  /** Datastore files fetched ahead (default 4). */
  prefetch?: number;
  /** Ledgers in the transform pool at once (default 8): the bound between reading and writing. */
  inflight?: number;
  signal?: AbortSignal;
  onLedger?: (rows: number) => void;
  onFile?: (bytes: number) => void;
}

export class JobError extends Error {
  override readonly name = "JobError";
}

/** The Parquet file name of a table's file of a job attempt (deterministic: a retry writes its own names). */
export function jobFileName(first: number, last: number, attempt: number): string {
  return `ducklake-backfill-${first}-${last}-a${attempt}.parquet`;
}

const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** A CSV file per table, appended with backpressure (a full stream pauses the job, not memory). */
class TableFiles {
  private readonly streams = new Map<string, WriteStream>();
  readonly rows = new Map<string, number>();
  constructor(private readonly dir: string) {}
  path(table: string): string {
    return join(this.dir, `${table}.csv`);
  }
  async append(table: string, rows: number, data: Uint8Array): Promise<void> {
    let s = this.streams.get(table);
    if (!s) {
      s = createWriteStream(this.path(table));
      this.streams.set(table, s);
    }
    this.rows.set(table, (this.rows.get(table) ?? 0) + rows);
    if (!s.write(data)) await new Promise<void>((r) => s.once("drain", r));
  }
  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(
        (s) =>
          new Promise<void>((resolve, reject) =>
            s.end((err?: Error | null) => (err ? reject(err) : resolve())),
          ),
      ),
    );
  }
}

/** Run one job attempt; returns its manifest. On failure the files it wrote are removed. */
export async function runJob(
  ctx: JobContext,
  job: { first: number; last: number; attempt: number; fileName?: string },
): Promise<JobManifest> {
  const t0 = performance.now();
  const dir = join(ctx.workDir, `job-${job.first}-${job.last}-a${job.attempt}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const csv = new TableFiles(dir);
  const written: ManifestFile[] = [];
  let bytesRead = 0;
  try {
    const window: Promise<unknown>[] = [];
    const max = Math.max(1, ctx.inflight ?? 8);
    let expected = job.first;
    let prevHash: string | undefined;
    let firstHash = "";
    let firstPreviousHash = "";
    const take = async () => {
      const l = (await window.shift()!) as CsvLedger;
      if (l.sequence !== expected) {
        throw new JobError(`job ${job.first}-${job.last}: got ledger ${l.sequence}, expected ${expected}`);
      }
      if (prevHash !== undefined && l.previousHash !== prevHash) {
        throw new JobError(
          `job ${job.first}-${job.last}: ledger ${l.sequence}'s previous-ledger hash ${l.previousHash} is not ledger ${l.sequence - 1}'s hash ${prevHash} (broken hash chain in the datastore)`,
        );
      }
      if (prevHash === undefined) {
        firstHash = l.hash;
        firstPreviousHash = l.previousHash;
      }
      prevHash = l.hash;
      expected += 1;
      let rows = 0;
      for (const [table, p] of Object.entries(l.copy)) {
        rows += p.rows;
        await csv.append(table, p.rows, p.data);
      }
      ctx.onLedger?.(rows);
    };
    for await (const raw of readRange(ctx.datastore, job.first, job.last, {
      prefetch: ctx.prefetch ?? 4,
      onFile: (_k, n) => {
        bytesRead += n;
        ctx.onFile?.(n);
      },
    })) {
      if (ctx.signal?.aborted) throw new JobError(`job ${job.first}-${job.last}: stopped`);
      const p = ctx.pool.transform({ sequence: raw.sequence, xdr: raw.xdr });
      p.catch(() => {}); // awaited in order by take()
      window.push(p);
      if (window.length >= max) await take();
    }
    while (window.length) await take();
    await csv.close();
    const stage = join(dir, "stage");
    for (const t of dataTables) {
      const rows = csv.rows.get(t.name) ?? 0;
      if (rows === 0) continue;
      written.push(await writeTableFile(ctx, t, csv.path(t.name), rows, stage, job));
      await rm(csv.path(t.name), { force: true });
    }
    return {
      first: job.first,
      last: job.last,
      attempt: job.attempt,
      ledgers: job.last - job.first + 1,
      firstHash,
      firstPreviousHash,
      lastHash: prevHash ?? "",
      rowsPerTable: Object.fromEntries(written.map((f) => [f.table, f.rows])),
      files: written,
      bytesRead,
      seconds: +((performance.now() - t0) / 1000).toFixed(3),
    };
  } catch (err) {
    await csv.close().catch(() => {});
    await Promise.all(written.map((f) => ctx.storage.delete(f.lakePath).catch(() => {})));
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeTableFile(
  ctx: JobContext,
  t: TableDef,
  csvPath: string,
  rows: number,
  stage: string,
  job: { first: number; last: number; attempt: number; fileName?: string },
): Promise<ManifestFile> {
  const lake = ctx.lake.get(t.name);
  if (!lake) throw new JobError(`the lake has no table '${t.name}' (catalog not prepared)`);
  const columns = t.columns.map((c) => `${sqlString(c.name)}: '${DUCKDB_TYPE[c.pg]}'`).join(", ");
  // The flusher's export order (sequence, then the key), so a backfilled file reads as a flushed one.
  const order = [t.sequenceColumn!, ...t.key.filter((k) => k !== t.sequenceColumn)].map(q).join(", ");
  const f = await writeParquetFromQuery(ctx.duck, {
    dataPath: `${stage}/`,
    lakeSchema: ctx.lakeSchema,
    table: t,
    lake,
    select: `SELECT * FROM read_csv(${sqlString(csvPath)}, ${CSV_READ_OPTIONS}, auto_detect=false, columns={${columns}}) ORDER BY ${order}`,
  });
  if (f.recordCount !== rows) {
    throw new JobError(
      `job ${job.first}-${job.last}: the Parquet file of table '${t.name}' has ${f.recordCount} rows, the transform gave ${rows}`,
    );
  }
  const fileName = job.fileName ?? jobFileName(job.first, job.last, job.attempt);
  const lakePath = `${ctx.lakeSchema}/${t.name}/${fileName}`;
  await ctx.storage.put(f.absolutePath, lakePath);
  await rm(f.absolutePath, { force: true });
  return {
    table: t.name,
    lakePath,
    fileName,
    rows,
    size: f.fileSize,
    footerSize: f.footerSize,
    stats: [...f.stats],
  };
}
