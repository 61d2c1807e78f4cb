import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanupOldFiles,
  compactLake,
  flushOnce,
  LakeReadError,
  latestFlushState,
  maintainLake,
  pgCatalog,
  planMerges,
  prepareLake,
  readLakeTable,
} from "../src/index";

let hot: pg.Client;
let catalog: pg.Client;
let duck: DuckDBConnection;
let dir: string;
let catalogUrl: string;
const meta = "bronze_meta";

async function seed(seqs: number[]) {
  for (const s of seqs) {
    for (const t of dataTables) {
      const row = sampleRow(t, s);
      if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - 60_000);
      const { text, values } = insertSql(t, row);
      await hot.query(text, values);
    }
  }
}

const lakeOpts = () => ({ catalog, duck, metaSchema: meta, lakeSchema: "bronze", dataPath: `${dir}/` });

/** sha256 of the table's rows at a snapshot, sorted, through the reader. */
async function checksum(table: string, snapshot?: number) {
  const r = await readLakeTable(pgCatalog(catalog, meta), duck, {
    schema: "bronze",
    table,
    ...(snapshot !== undefined ? { snapshot } : {}),
  });
  const lines = r.rows.map((x) => JSON.stringify(x)).sort();
  return {
    sum: createHash("sha256").update(lines.join("\n")).digest("hex"),
    rows: lines.length,
    files: r.files,
  };
}

async function liveFiles(table: string) {
  const r = await catalog.query(
    `SELECT f.data_file_id::int AS id, f.row_id_start::int AS start, f.record_count::int AS n FROM ${meta}.ducklake_data_file f
     JOIN ${meta}.ducklake_table t USING (table_id) WHERE t.table_name = $1 AND f.end_snapshot IS NULL ORDER BY f.row_id_start`,
    [table],
  );
  return r.rows;
}

beforeAll(async () => {
  const h = await freshDatabase("compacthot");
  await migrateUp(h.url);
  hot = new pg.Client({ connectionString: h.url });
  await hot.connect();
  catalogUrl = (await freshDatabase("compactcat")).url;
  catalog = new pg.Client({ connectionString: catalogUrl });
  await catalog.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "compact-lake-"));
});
afterAll(async () => {
  await hot?.end();
  await catalog?.end();
  await rm(dir, { recursive: true, force: true });
});

describe("planMerges", () => {
  const f = (id: number, rowIdStart: number, recordCount: number, fileSize: number) => ({
    id,
    path: `${id}.parquet`,
    rowIdStart,
    recordCount,
    fileSize,
  });
  it("groups row-id-adjacent small files up to the target size, never across a gap or a big file", () => {
    const files = [
      f(1, 0, 10, 10),
      f(2, 10, 10, 10),
      f(3, 20, 10, 100),
      f(4, 30, 5, 10),
      f(5, 35, 5, 10),
      f(6, 50, 5, 10),
      f(7, 55, 5, 10),
      f(8, 60, 5, 10),
    ];
    const groups = planMerges(files, { targetFileBytes: 100, minFiles: 2, maxFilesPerMerge: 2 });
    expect(groups.map((g) => g.map((x) => x.id))).toEqual([
      [1, 2],
      [4, 5],
      [6, 7],
    ]);
    expect(
      planMerges(files, { targetFileBytes: 25, minFiles: 2, maxFilesPerMerge: 10 }).map((g) =>
        g.map((x) => x.id),
      ),
    ).toEqual([
      [1, 2],
      [4, 5],
      [6, 7],
    ]);
  });
});

describe("compaction", () => {
  it("merges each table's flush files into one in a new snapshot: same rows, same row ids, watermark kept; old snapshots read the old files until cleanup", async () => {
    // Five flushes → five files per table.
    const snaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await seed([1000 + 2 * i, 1001 + 2 * i]);
      const r = await flushOnce({ hot, ...lakeOpts(), minAgeMs: 0 });
      snaps.push(r.snapshotId!);
    }
    const before = new Map<string, Awaited<ReturnType<typeof checksum>>>();
    for (const t of dataTables) before.set(t.name, await checksum(t.name));
    expect(before.get("operations_row_v2")).toMatchObject({ rows: 10 });
    expect(before.get("operations_row_v2")!.files).toHaveLength(5);
    const oldFiles = await liveFiles("operations_row_v2");
    const stats = await catalog.query(
      `SELECT table_id, record_count, next_row_id FROM ${meta}.ducklake_table_stats ORDER BY 1`,
    );
    const state = await latestFlushState(catalog, meta);

    const lake = await prepareLake(lakeOpts());
    const c = await compactLake({ ...lakeOpts(), tables: dataTables, lake });
    expect(c.snapshotId).toBe(snaps[4]! + 1);
    expect(Object.keys(c.tables)).toHaveLength(19);
    expect(c.tables.operations_row_v2).toEqual({ filesBefore: 5, filesAfter: 1, rows: 10 });
    for (const t of dataTables) {
      const after = await checksum(t.name);
      expect(after.sum, t.name).toBe(before.get(t.name)!.sum);
      expect(after.files, t.name).toHaveLength(1);
    }
    // The merged file spans the old files' row ids; table stats (row counts, next row id) are unchanged.
    const merged = await liveFiles("operations_row_v2");
    expect(merged).toEqual([{ id: expect.any(Number), start: oldFiles[0].start, n: 10 }]);
    expect(
      (
        await catalog.query(
          `SELECT table_id, record_count, next_row_id FROM ${meta}.ducklake_table_stats ORDER BY 1`,
        )
      ).rows,
    ).toEqual(stats.rows);
    // The catalog effects: replaced files ended at the compaction snapshot and scheduled for deletion.
    const ended = await catalog.query(
      `SELECT COUNT(*)::int AS n FROM ${meta}.ducklake_data_file WHERE end_snapshot = $1`,
      [c.snapshotId],
    );
    expect(ended.rows[0].n).toBe(19 * 5);
    const scheduled = await catalog.query(
      `SELECT path, path_is_relative FROM ${meta}.ducklake_files_scheduled_for_deletion`,
    );
    expect(scheduled.rows).toHaveLength(19 * 5);
    expect(scheduled.rows[0].path).toMatch(/^bronze\/[a-z_0-9]+\/ducklake-.*\.parquet$/);
    const change = await catalog.query(
      `SELECT changes_made, commit_extra_info FROM ${meta}.ducklake_snapshot_changes WHERE snapshot_id = $1`,
      [c.snapshotId],
    );
    expect(change.rows[0].changes_made).toMatch(/^compacted_table:\d+(,compacted_table:\d+){18}$/);
    expect(await latestFlushState(catalog, meta)).toMatchObject({
      snapshotId: c.snapshotId,
      watermark: state!.watermark,
      range: state!.range,
      operation: "compact",
    });
    // Table-level bounds stay true.
    const bounds = await catalog.query(
      `SELECT s.min_value, s.max_value FROM ${meta}.ducklake_table_column_stats s JOIN ${meta}.ducklake_column c USING (table_id, column_id)
       JOIN ${meta}.ducklake_table t USING (table_id) WHERE t.table_name = 'operations_row_v2' AND c.column_name = 'ledger_sequence'`,
    );
    expect(bounds.rows).toEqual([{ min_value: "1000", max_value: "1009" }]);

    // Old snapshots still read their own files (time travel).
    const at3 = await checksum("operations_row_v2", snaps[2]);
    expect(at3.rows).toBe(6);
    expect(at3.files).toHaveLength(3);
    // A second compaction has nothing to merge.
    expect((await compactLake({ ...lakeOpts(), tables: dataTables, lake })).snapshotId).toBeUndefined();

    // Within the retention nothing goes; after it the replaced files and the snapshots that saw them do.
    const kept = await cleanupOldFiles({ ...lakeOpts(), olderThanMs: 3_600_000 });
    expect(kept.deletedFiles).toEqual([]);
    const oldPaths = at3.files;
    expect(oldPaths.every((p) => existsSync(p))).toBe(true);
    const cleaned = await cleanupOldFiles({ ...lakeOpts(), olderThanMs: 0 });
    expect(cleaned.deletedFiles).toHaveLength(19 * 5);
    expect(cleaned.expiredSnapshots).toEqual(snaps);
    expect(oldPaths.some((p) => existsSync(p))).toBe(false);
    await expect(checksum("operations_row_v2", snaps[2])).rejects.toThrow(LakeReadError);
    expect((await checksum("operations_row_v2")).sum).toBe(before.get("operations_row_v2")!.sum);
    expect(
      (await readdir(join(dir, "bronze", "operations_row_v2"))).filter((f) => f.endsWith(".parquet")),
    ).toHaveLength(1);
    expect(
      (await catalog.query(`SELECT COUNT(*)::int AS n FROM ${meta}.ducklake_files_scheduled_for_deletion`))
        .rows[0].n,
    ).toBe(0);
    expect((await latestFlushState(catalog, meta))?.watermark).toBe(state!.watermark);

    // Flushing goes on after compaction: new row ids follow on, and maintainLake merges again.
    await seed([1010]);
    await flushOnce({ hot, ...lakeOpts(), minAgeMs: 0 });
    const m = await maintainLake({ ...lakeOpts(), retentionMs: 0 });
    expect(m.compact.tables.operations_row_v2).toEqual({ filesBefore: 2, filesAfter: 1, rows: 11 });
    expect(m.cleanup?.deletedFiles).toHaveLength(19 * 2);
    const all = await checksum("operations_row_v2");
    expect(all.rows).toBe(11);
    expect(await liveFiles("operations_row_v2")).toEqual([
      { id: expect.any(Number), start: oldFiles[0].start, n: 11 },
    ]);
  });

  it("an orphan Parquet file (written, never committed) is removed when the lake is opened; referenced files stay", async () => {
    const orphan = join(dir, "bronze", "ledgers_row_v2", "ducklake-00000000-orphan.parquet");
    await writeFile(orphan, "x");
    // prepareLake runs its start-up work once per catalog connection: a new connection is a new start.
    const c2 = new pg.Client({ connectionString: catalogUrl });
    await c2.connect();
    try {
      const before = (await readdir(join(dir, "bronze", "ledgers_row_v2"))).length;
      await prepareLake({ ...lakeOpts(), catalog: c2 });
      expect(existsSync(orphan)).toBe(false);
      expect((await readdir(join(dir, "bronze", "ledgers_row_v2"))).length).toBe(before - 1);
      expect((await checksum("ledgers_row_v2")).rows).toBe(11);
    } finally {
      await c2.end();
    }
  });
});
