import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  cleanupOldFiles,
  compactLake,
  expireSnapshots,
  LakeReadError,
  latestFlushState,
  maintainLake,
  pgCatalog,
  planMerges,
  prepareLake,
  readLakeTable,
  SNAPSHOT_ID_COLUMN,
  SNAPSHOT_ID_FIELD_ID,
} from "@stellar-lake/lake";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushOnce } from "../src/index";

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

/** Every table's checksum at a snapshot (per table: sha256 of its sorted rows through the reader). */
async function allChecksums(snapshot?: number) {
  const out = new Map<string, { sum: string; rows: number }>();
  for (const t of dataTables) {
    const c = await checksum(t.name, snapshot);
    out.set(t.name, { sum: c.sum, rows: c.rows });
  }
  return out;
}

const q = async (sql: string, params: unknown[] = []) => (await catalog.query(sql, params)).rows;

describe("compaction", () => {
  it("merges each table's flush files into one the way ducklake_merge_adjacent_files does: same rows at every snapshot, old files scheduled, then cleaned up; expiry ends old snapshots", async () => {
    // Five flushes → five files per table.
    const snaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await seed([1000 + 2 * i, 1001 + 2 * i]);
      const r = await flushOnce({ hot, ...lakeOpts(), minAgeMs: 0 });
      snaps.push(r.snapshotId!);
    }
    // What every snapshot read before compaction, table by table.
    const seen = new Map<number, Awaited<ReturnType<typeof allChecksums>>>();
    for (const sn of snaps) seen.set(sn, await allChecksums(sn));
    const before = seen.get(snaps[4]!)!;
    expect(before.get("operations_row_v2")).toMatchObject({ rows: 10 });
    expect(seen.get(snaps[2]!)!.get("operations_row_v2")).toMatchObject({ rows: 6 });
    const oldFiles = await liveFiles("operations_row_v2");
    const oldRows = await q(
      `SELECT f.data_file_id::int AS id, f.table_id::int AS table_id, t.table_name, f.path, f.begin_snapshot::int AS begin,
              f.row_id_start::int AS start, f.record_count::int AS n
       FROM ${meta}.ducklake_data_file f JOIN ${meta}.ducklake_table t USING (table_id) ORDER BY f.data_file_id`,
    );
    expect(oldRows).toHaveLength(20 * 5);
    const oldStats = await q(
      `SELECT s.table_id::int AS t, s.column_id::int AS c, SUM(s.value_count)::int AS vc, SUM(s.null_count)::int AS nc
       FROM ${meta}.ducklake_file_column_stats s GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const tableStats = await q(`SELECT * FROM ${meta}.ducklake_table_stats ORDER BY table_id`);
    const tableColumnStats = await q(
      `SELECT * FROM ${meta}.ducklake_table_column_stats ORDER BY table_id, column_id`,
    );
    const prevSnap = (
      await q(`SELECT * FROM ${meta}.ducklake_snapshot WHERE snapshot_id = $1`, [snaps[4]])
    )[0]!;
    const state = await latestFlushState(catalog, meta);

    const lake = await prepareLake(lakeOpts());
    const c = await compactLake({ ...lakeOpts(), tables: dataTables, lake });
    const S = c.snapshotId!;
    expect(S).toBe(snaps[4]! + 1);
    expect(Object.keys(c.tables)).toHaveLength(20);
    expect(c.tables.operations_row_v2).toEqual({ filesBefore: 5, filesAfter: 1, rows: 10 });

    // The replaced files' rows are gone (not ended), with their column stats …
    expect(
      await q(`SELECT data_file_id FROM ${meta}.ducklake_data_file WHERE data_file_id <= $1`, [
        oldRows.at(-1)!.id,
      ]),
    ).toEqual([]);
    expect(
      await q(`SELECT 1 FROM ${meta}.ducklake_file_column_stats WHERE data_file_id = ANY($1::bigint[])`, [
        oldRows.map((r) => r.id),
      ]),
    ).toEqual([]);
    // … and each is scheduled for deletion by its path relative to data_path.
    const scheduled = await q(
      `SELECT data_file_id::int AS id, path, path_is_relative, schedule_start FROM ${meta}.ducklake_files_scheduled_for_deletion ORDER BY data_file_id`,
    );
    expect(scheduled.map((r) => ({ id: r.id, path: r.path, rel: r.path_is_relative }))).toEqual(
      oldRows.map((r) => ({ id: r.id, path: `bronze/${r.table_name}/${r.path}`, rel: true })),
    );
    for (const r of scheduled)
      expect(Date.now() - new Date(r.schedule_start).getTime()).toBeLessThan(120_000);

    // One merged file per table: back-dated to the first source's snapshot, partial up to the last source's,
    // the first source's row_id_start, new ids from next_file_id in table order.
    const merged = await q(
      `SELECT f.*, t.table_name FROM ${meta}.ducklake_data_file f JOIN ${meta}.ducklake_table t USING (table_id) ORDER BY f.data_file_id`,
    );
    expect(merged).toHaveLength(20);
    const tableIds = [...new Set(oldRows.map((r) => r.table_id))].sort((a, b) => a - b);
    for (const [i, f] of merged.entries()) {
      const sources = oldRows.filter((r) => r.table_id === Number(f.table_id));
      expect(Number(f.table_id)).toBe(tableIds[i]);
      expect({
        id: Number(f.data_file_id),
        begin: Number(f.begin_snapshot),
        end: f.end_snapshot,
        order: f.file_order,
        rel: f.path_is_relative,
        format: f.file_format,
        n: Number(f.record_count),
        start: Number(f.row_id_start),
        partition: f.partition_id,
        key: f.encryption_key,
        mapping: f.mapping_id,
        partialMax: Number(f.partial_max),
      }).toEqual({
        id: Number(prevSnap.next_file_id) + i,
        begin: snaps[0],
        end: null,
        order: null,
        rel: true,
        format: "parquet",
        n: sources.reduce((a, r) => a + r.n, 0),
        start: sources[0]!.start,
        partition: null,
        key: null,
        mapping: null,
        partialMax: snaps[4],
      });
      expect(f.path).toMatch(/^ducklake-[0-9a-f-]{36}\.parquet$/);
      const file = join(dir, "bronze", f.table_name, f.path);
      expect(Number(f.file_size_bytes)).toBe(statSync(file).size);
      expect(Number(f.footer_size)).toBeGreaterThan(0);
    }
    // Its column stats: the table's columns (not the snapshot column), counts summed over the sources.
    const newStats = await q(
      `SELECT table_id::int AS t, column_id::int AS c, value_count::int AS vc, null_count::int AS nc
       FROM ${meta}.ducklake_file_column_stats ORDER BY 1, 2`,
    );
    expect(newStats).toEqual(oldStats);
    const seqStats = await q(
      `SELECT s.min_value, s.max_value FROM ${meta}.ducklake_file_column_stats s JOIN ${meta}.ducklake_column c USING (table_id, column_id)
       JOIN ${meta}.ducklake_table t USING (table_id) WHERE t.table_name = 'operations_row_v2' AND c.column_name = 'ledger_sequence'`,
    );
    expect(seqStats).toEqual([{ min_value: "1000", max_value: "1009" }]);
    // Table stats and table column stats untouched (the extension writes none for a compaction).
    expect(await q(`SELECT * FROM ${meta}.ducklake_table_stats ORDER BY table_id`)).toEqual(tableStats);
    expect(await q(`SELECT * FROM ${meta}.ducklake_table_column_stats ORDER BY table_id, column_id`)).toEqual(
      tableColumnStats,
    );
    // The snapshot: schema version and catalog ids unchanged, next_file_id past the merged files.
    const snapRow = (await q(`SELECT * FROM ${meta}.ducklake_snapshot WHERE snapshot_id = $1`, [S]))[0]!;
    expect({
      schema: Number(snapRow.schema_version),
      catalogId: Number(snapRow.next_catalog_id),
      fileId: Number(snapRow.next_file_id),
    }).toEqual({
      schema: Number(prevSnap.schema_version),
      catalogId: Number(prevSnap.next_catalog_id),
      fileId: Number(prevSnap.next_file_id) + 20,
    });
    const change = (
      await q(
        `SELECT changes_made, author, commit_extra_info FROM ${meta}.ducklake_snapshot_changes WHERE snapshot_id = $1`,
        [S],
      )
    )[0]!;
    expect(change.changes_made).toBe(tableIds.map((t) => `merge_adjacent:${t}`).join(","));
    expect(change.author).toBe("stellar-lake");
    expect(await latestFlushState(catalog, meta)).toMatchObject({
      snapshotId: S,
      watermark: state!.watermark,
      range: state!.range,
      operation: "compact",
    });

    // The merged Parquet file: the snapshot column under its reserved field id, each row tagged with the
    // snapshot that flushed it; adjacent sources, so no row-id column.
    const opsFile = merged.find((f) => f.table_name === "operations_row_v2")!;
    const opsPath = join(dir, "bronze", "operations_row_v2", opsFile.path);
    const schema = (
      await duck.runAndReadAll(`SELECT name, field_id FROM parquet_schema('${opsPath}')`)
    ).getRowObjectsJson();
    expect(schema).toContainEqual({ name: SNAPSHOT_ID_COLUMN, field_id: String(SNAPSHOT_ID_FIELD_ID) });
    expect(schema.map((x) => x.name)).not.toContain("_ducklake_internal_row_id");
    const tags = (
      await duck.runAndReadAll(
        `SELECT ledger_sequence::INT AS l, ${SNAPSHOT_ID_COLUMN}::INT AS s FROM read_parquet('${opsPath}') ORDER BY file_row_number`,
      )
    ).getRowObjectsJson();
    expect(tags).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ l: 1000 + i, s: snaps[Math.floor(i / 2)] })),
    );

    // The latest snapshot: same rows, one file per table.
    for (const t of dataTables) {
      const after = await checksum(t.name);
      expect(after.sum, t.name).toBe(before.get(t.name)!.sum);
      expect(after.files, t.name).toHaveLength(1);
    }
    expect(await liveFiles("operations_row_v2")).toEqual([
      { id: expect.any(Number), start: oldFiles[0].start, n: 10 },
    ]);
    // Every older snapshot reads exactly what it read before, now from the merged file.
    const sameAsBefore = async () => {
      for (const sn of snaps) expect(await allChecksums(sn), `snapshot ${sn}`).toEqual(seen.get(sn));
    };
    await sameAsBefore();
    expect((await checksum("operations_row_v2", snaps[2])).files).toEqual([opsPath]);
    // A second compaction has nothing to merge.
    expect((await compactLake({ ...lakeOpts(), tables: dataTables, lake })).snapshotId).toBeUndefined();

    // Within the retention nothing goes; after it the replaced files do, and old snapshots still read the same.
    const oldPaths = oldRows.map((r) => join(dir, "bronze", r.table_name, r.path));
    const kept = await cleanupOldFiles({ ...lakeOpts(), olderThanMs: 3_600_000 });
    expect(kept).toEqual({ deletedFiles: [], expiredSnapshots: [] });
    expect(oldPaths.every((p) => existsSync(p))).toBe(true);
    await sameAsBefore();
    const cleaned = await cleanupOldFiles({ ...lakeOpts(), olderThanMs: 0 });
    expect(cleaned.deletedFiles.sort()).toEqual(oldPaths.sort());
    expect(cleaned.expiredSnapshots).toEqual([]);
    expect(oldPaths.some((p) => existsSync(p))).toBe(false);
    expect(await q(`SELECT 1 FROM ${meta}.ducklake_files_scheduled_for_deletion`)).toEqual([]);
    await sameAsBefore();
    expect(
      (await readdir(join(dir, "bronze", "operations_row_v2"))).filter((f) => f.endsWith(".parquet")),
    ).toEqual([opsFile.path]);

    // Expiry (ducklake_expire_snapshots): the expired snapshots are an error to read, the others unchanged.
    const ex = await expireSnapshots({ catalog, metaSchema: meta, versions: [snaps[0]!, snaps[2]!, S] });
    expect(ex).toEqual({ expiredSnapshots: [snaps[0], snaps[2]], scheduledFiles: 0 }); // S is the latest
    await expect(checksum("operations_row_v2", snaps[2])).rejects.toThrow(LakeReadError);
    await expect(checksum("operations_row_v2", snaps[2])).rejects.toThrow(/no snapshot \d+ in the catalog/);
    expect(await allChecksums(snaps[1])).toEqual(seen.get(snaps[1]!));
    expect(await allChecksums(snaps[3])).toEqual(seen.get(snaps[3]!));
    expect((await latestFlushState(catalog, meta))?.watermark).toBe(state!.watermark);

    // Flushing goes on after compaction: new row ids follow on, and maintainLake merges the partial file with
    // the new one — per-row snapshots carried over, so older snapshots still read the same.
    await seed([1010]);
    const F = (await flushOnce({ hot, ...lakeOpts(), minAgeMs: 0 })).snapshotId!;
    const atF = await allChecksums(F);
    const m = await maintainLake({ ...lakeOpts(), retentionMs: 0 });
    expect(m.compact.tables.operations_row_v2).toEqual({ filesBefore: 2, filesAfter: 1, rows: 11 });
    expect(m.cleanup?.deletedFiles).toHaveLength(20 * 2);
    expect(await checksum("operations_row_v2")).toMatchObject({ rows: 11 });
    expect(await liveFiles("operations_row_v2")).toEqual([
      { id: expect.any(Number), start: oldFiles[0].start, n: 11 },
    ]);
    const again = await q(
      `SELECT DISTINCT begin_snapshot::int AS b, partial_max::int AS p FROM ${meta}.ducklake_data_file`,
    );
    expect(again).toEqual([{ b: snaps[0], p: F }]);
    expect(await allChecksums(snaps[3])).toEqual(seen.get(snaps[3]!));
    expect(await allChecksums(S)).toEqual(before);
    expect(await allChecksums(F)).toEqual(atF);
    expect(await allChecksums()).toEqual(atF);
  });

  it("expiry drops ended files no remaining snapshot sees and schedules them; cleanup of a file ended the old way expires its snapshots", async () => {
    // A lake of its own (same hot buffer, new catalog and folder).
    const c2 = new pg.Client({ connectionString: (await freshDatabase("compactexp")).url });
    await c2.connect();
    const d2 = await mkdtemp(join(tmpdir(), "compact-exp-"));
    const o2 = { catalog: c2, duck, metaSchema: meta, lakeSchema: "bronze", dataPath: `${d2}/` };
    const q2 = async (sql: string, params: unknown[] = []) => (await c2.query(sql, params)).rows;
    try {
      await seed([2000]);
      const s1 = (await flushOnce({ hot, ...o2, minAgeMs: 0 })).snapshotId!;
      await seed([2001]);
      const s2 = (await flushOnce({ hot, ...o2, minAgeMs: 0 })).snapshotId!;
      /** Ends `table`'s file that began at `begin` in a new snapshot after `after`, hand-made as `change`. */
      const endFileAt = async (table: string, begin: number, after: number, change: string) => {
        const file = (
          await q2(
            `SELECT f.data_file_id::int AS id, f.path FROM ${meta}.ducklake_data_file f JOIN ${meta}.ducklake_table t USING (table_id)
             WHERE t.table_name = $1 AND f.begin_snapshot = $2`,
            [table, begin],
          )
        )[0]!;
        const snapshot = after + 1;
        await q2(
          `INSERT INTO ${meta}.ducklake_snapshot SELECT $1, now(), schema_version, next_catalog_id, next_file_id FROM ${meta}.ducklake_snapshot WHERE snapshot_id = $2`,
          [snapshot, after],
        );
        await q2(`INSERT INTO ${meta}.ducklake_snapshot_changes VALUES ($1, $2, NULL, NULL, NULL)`, [
          snapshot,
          change,
        ]);
        await q2(`UPDATE ${meta}.ducklake_data_file SET end_snapshot = $1 WHERE data_file_id = $2`, [
          snapshot,
          file.id,
        ]);
        return { id: file.id as number, path: file.path as string, snapshot };
      };
      // End the first ledgers file at a new snapshot (what a delete of all its rows does in the extension, and
      // what this project's compaction did before it merged the extension's way).
      const f = await endFileAt("ledgers_row_v2", s1, s2, "deleted_from_table:1");
      const s3 = f.snapshot;
      const file = join(d2, "bronze", "ledgers_row_v2", f.path);
      const rowsAt = async (sn?: number) =>
        (
          await readLakeTable(pgCatalog(c2, meta), duck, {
            schema: "bronze",
            table: "ledgers_row_v2",
            ...(sn ? { snapshot: sn } : {}),
          })
        ).rows.length;
      expect([await rowsAt(s1), await rowsAt(s2), await rowsAt()]).toEqual([1, 2, 1]);
      // Expiring s1 alone: s2 still sees the file, nothing scheduled.
      expect(await expireSnapshots({ catalog: c2, metaSchema: meta, versions: [s1] })).toEqual({
        expiredSnapshots: [s1],
        scheduledFiles: 0,
      });
      // Expiring s2 too: no snapshot sees the file — its rows go, it is scheduled by its relative path.
      expect(await expireSnapshots({ catalog: c2, metaSchema: meta, versions: [s2] })).toEqual({
        expiredSnapshots: [s2],
        scheduledFiles: 1,
      });
      expect(await q2(`SELECT 1 FROM ${meta}.ducklake_data_file WHERE data_file_id = $1`, [f.id])).toEqual(
        [],
      );
      expect(
        await q2(`SELECT 1 FROM ${meta}.ducklake_file_column_stats WHERE data_file_id = $1`, [f.id]),
      ).toEqual([]);
      expect(
        await q2(
          `SELECT data_file_id::int AS id, path, path_is_relative AS rel FROM ${meta}.ducklake_files_scheduled_for_deletion`,
        ),
      ).toEqual([{ id: f.id, path: `bronze/ledgers_row_v2/${f.path}`, rel: true }]);
      await expect(rowsAt(s2)).rejects.toThrow(/no snapshot/);
      expect(await rowsAt()).toBe(1);
      expect(existsSync(file)).toBe(true);
      const cl = await cleanupOldFiles({ ...o2, olderThanMs: 0 });
      expect(cl).toEqual({ deletedFiles: [file], expiredSnapshots: [] });
      expect(existsSync(file)).toBe(false);

      // A file ended by this project's former compaction (row kept, already scheduled): cleanup expires the
      // snapshots that could see it, then deletes it.
      const g = await endFileAt("trades_row_v1", s1, s3, "compacted_table:1");
      await q2(`INSERT INTO ${meta}.ducklake_files_scheduled_for_deletion VALUES ($1, $2, true, now())`, [
        g.id,
        `bronze/trades_row_v1/${g.path}`,
      ]);
      const legacy = await cleanupOldFiles({ ...o2, olderThanMs: 0 });
      expect(legacy).toEqual({
        deletedFiles: [join(d2, "bronze", "trades_row_v1", g.path)],
        expiredSnapshots: [s3],
      });
      expect(await q2(`SELECT 1 FROM ${meta}.ducklake_data_file WHERE data_file_id = $1`, [g.id])).toEqual(
        [],
      );
      await expect(rowsAt(s3)).rejects.toThrow(/no snapshot/);
    } finally {
      await c2.end();
      await rm(d2, { recursive: true, force: true });
    }
  });

  it("an orphan Parquet file (written, never committed) is removed when the lake is opened; referenced files stay", async () => {
    const orphan = join(
      dir,
      "bronze",
      "ledgers_row_v2",
      "ducklake-00000000-0000-4000-8000-000000000000.parquet" /* named as the flusher names its files */,
    );
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

  it("a flush that commits while a compaction waits for the writer lock: the compaction carries that flush's watermark forward, not an older one", async () => {
    // Another writer (`lake compact` beside the flush service) must never move the watermark back: readers
    // would take ledgers the flush already deleted from hot for hot ones, and the next flush would start over.
    const race = {
      catalog,
      duck,
      metaSchema: "race_meta",
      lakeSchema: "bronze",
      dataPath: `${await mkdtemp(join(tmpdir(), "compact-race-"))}/`,
    };
    for (const s of [1100, 1101]) {
      await seed([s]);
      await flushOnce({ hot, ...race, minAgeMs: 0 });
    }
    const flusher = new pg.Client({ connectionString: catalogUrl });
    await flusher.connect();
    try {
      // (Prepared first with a grace period: its orphan sweep must not take the merge's unregistered files.)
      await prepareLake({ ...race, catalog: flusher, orphanGraceMs: 3_600_000 });
      await flusher.query("SELECT pg_advisory_lock(hashtext($1))", ["ducklake-writer:race_meta"]);
      const compaction = compactLake({ ...race, tables: dataTables, lake: await prepareLake(race) });
      const waiting = async () =>
        (
          await flusher.query(
            "SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
          )
        ).rows[0].n as number;
      for (let i = 0; (await waiting()) === 0; i++) {
        if (i > 600) throw new Error("the compaction never waited for the writer lock");
        await new Promise((r) => setTimeout(r, 50));
      }
      // The flush service's next flush commits meanwhile (it holds the lock: its commit takes it again).
      await seed([1102]);
      const f = await flushOnce({ hot, ...race, catalog: flusher, minAgeMs: 0 });
      expect(f).toMatchObject({ flushed: true, watermark: 1102 });
      await flusher.query("SELECT pg_advisory_unlock(hashtext($1))", ["ducklake-writer:race_meta"]);
      const c = await compaction;
      expect(c.snapshotId).toBeGreaterThan(f.snapshotId!);
      const st = await latestFlushState(catalog, "race_meta");
      expect({ snapshot: st?.snapshotId, operation: st?.operation, watermark: st?.watermark }).toEqual({
        snapshot: c.snapshotId,
        operation: "compact",
        watermark: 1102,
      });
      await rm(race.dataPath, { recursive: true, force: true });
    } finally {
      await flusher.end();
    }
  });
});
