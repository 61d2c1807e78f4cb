/**
 * Conformance: one lake written by the project and by DuckDB's ducklake extension in turns, replaying each catalog
 * shape the extension produces — insert, inlined insert, inlined delete (of file rows and of inlined rows), update,
 * delete file, flush of inlined data, merge (the project's compaction, as `ducklake_merge_adjacent_files`), expire,
 * cleanup, add column, rename, type change, drop column, drop table — with the expected rows checked at EVERY
 * snapshot through the project's reader. No catalog the extension wrote for these shapes ships as a fixture (the
 * fixtures hold an insert, a delete file and empty inlined tables only): the extension's rows are built by
 * `./extension.ts`, from the spec, the extension's source and a pg_dump of a PostgreSQL catalog it wrote.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanupOldFiles,
  compactLake,
  ensureCatalog,
  ensureLakeTables,
  expireSnapshots,
  LakeConflictError,
  LakeReadError,
  type LakeTable,
  pgCatalog,
  readLakeTable,
} from "../../src/index";
import { Extension } from "./extension";
import { Expected, expectEverySnapshot, ledgers, projectFlush, type Row, row } from "./lake";

const meta = "lake_meta";
let c: pg.Client;
let duck: DuckDBConnection;
let dir: string;
let dataPath: string;
let ext: Extension;
let lake: Map<string, LakeTable>;

beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("conform")).url });
  await c.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "conform-"));
  dataPath = `${dir}/`;
  await ensureCatalog(c, { schema: meta, dataPath, createdBy: "test" });
  ext = new Extension(c, duck, meta);
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function statsOf(table: string, column: string) {
  const r = await c.query(
    `SELECT s.contains_null, s.min_value, s.max_value FROM ${meta}.ducklake_table_column_stats s
     JOIN ${meta}.ducklake_column col ON col.table_id = s.table_id AND col.column_id = s.column_id AND col.end_snapshot IS NULL
     JOIN ${meta}.ducklake_table t ON t.table_id = s.table_id AND t.end_snapshot IS NULL
     WHERE t.table_name = $1 AND col.column_name = $2`,
    [table, column],
  );
  return r.rows[0];
}

describe("a lake the extension and the project both write", () => {
  const expected = new Expected();
  const put = (rows: Row[]) => {
    for (const r of rows) expected.rows.set(r.sequence, r);
  };
  const drop = (...s: number[]) => {
    for (const x of s) expected.rows.delete(x);
  };
  let fileA = 0;
  let fileC = 0;
  let fileD = 0;
  let inlinedIds: number[] = [];

  it("project files, extension inlined rows: table stats include the inlined rows (item 1)", async () => {
    lake = await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [ledgers] });
    const flush = async (rows: Row[]) => {
      const S = await projectFlush(c, duck, { meta, dataPath, lake: lake.get("ledgers")!, rows });
      put(rows);
      return expected.record(S);
    };
    await flush(seqs(1, 10).map((s) => row(s)));
    fileA = Number(
      (await c.query(`SELECT max(data_file_id) AS f FROM ${meta}.ducklake_data_file`)).rows[0].f,
    );
    await flush(seqs(11, 20).map((s) => row(s)));
    // The extension's small insert stays inlined in the catalog (row id 20, after the files' 0..19).
    const big = row(99999, { note: "zz inlined" });
    const [S, ids] = await ext.inlinedInsert("ledgers", [{ ...big }]);
    inlinedIds = ids;
    expect(ids).toEqual([20]);
    put([big]);
    expected.record(S);
    // The project flushes again: its table-stats update must keep the inlined row's bounds.
    await flush(seqs(21, 30).map((s) => row(s)));
    fileC = Number(
      (await c.query(`SELECT max(data_file_id) AS f FROM ${meta}.ducklake_data_file`)).rows[0].f,
    );
    await flush(seqs(31, 40).map((s) => row(s)));
    fileD = fileC + 1;
    expect(await statsOf("ledgers", "sequence")).toEqual({
      contains_null: false,
      min_value: "1",
      max_value: "99999",
    });
    expect((await statsOf("ledgers", "note")).max_value).toBe("zz inlined");
    const ts = (await c.query(`SELECT record_count, next_row_id FROM ${meta}.ducklake_table_stats`)).rows[0];
    expect(ts).toEqual({ record_count: "41", next_row_id: "41" });
    // The new files' row ids start after the inlined row's.
    const starts = (
      await c.query(`SELECT row_id_start FROM ${meta}.ducklake_data_file ORDER BY data_file_id`)
    ).rows.map((r) => Number(r.row_id_start));
    expect(starts).toEqual([0, 10, 21, 31]);
  });

  it("inlined deletes of file rows, a delete file, an inlined update and delete: the reader applies them (item 3)", async () => {
    // seq 4 (file A position 3), seq 26 (file C position 5), seq 33 (file D position 2): inlined deletes.
    drop(4);
    expected.record(await ext.inlinedDelete("ledgers", { file: { fileId: fileA, positions: [3] } }));
    drop(26);
    expected.record(await ext.inlinedDelete("ledgers", { file: { fileId: fileC, positions: [5] } }));
    drop(33);
    expected.record(await ext.inlinedDelete("ledgers", { file: { fileId: fileD, positions: [2] } }));
    // seq 11, 12: a Parquet delete file on file B.
    drop(11, 12);
    expected.record(await ext.deleteWithFile("ledgers", fileA + 1, [0, 1]));
    // UPDATE of the inlined row: a new version with the same row id.
    const updated = row(99999, { note: "zz updated", ok: true });
    put([updated]);
    expected.record(await ext.inlinedUpdate("ledgers", inlinedIds, [{ ...updated }]));
    // Another inlined row, then deleted (inlined: its end_snapshot).
    const extra = row(88888);
    const [S, ids] = await ext.inlinedInsert("ledgers", [{ ...extra }]);
    put([extra]);
    expected.record(S);
    drop(88888);
    expected.record(await ext.inlinedDelete("ledgers", { rowIds: ids }));
    expect(await expectEverySnapshot(c, duck, { meta, table: "ledgers", expected })).toBe(expected.at.size);
  });

  it("compaction merges files with inlined deletes and moves the deletes to the merged file: no deleted row comes back (item 2)", async () => {
    const r = await compactLake({
      catalog: c,
      duck,
      metaSchema: meta,
      lakeSchema: "main",
      dataPath,
      tables: [ledgers],
      lake,
    });
    // Candidates: A, C, D (B has a delete file); C and D are adjacent and merge.
    expect(r.tables.ledgers).toEqual({ filesBefore: 3, filesAfter: 2, rows: 20 });
    expected.same(r.snapshotId!);
    const merged = Number(
      (await c.query(`SELECT data_file_id FROM ${meta}.ducklake_data_file WHERE partial_max IS NOT NULL`))
        .rows[0].data_file_id,
    );
    // The deletes of C and D now name the merged file, at their positions in it (D's rows follow C's 10).
    const dels = (
      await c.query(
        `SELECT file_id, row_id, begin_snapshot FROM ${meta}.ducklake_inlined_delete_${lake.get("ledgers")!.tableId} ORDER BY row_id`,
      )
    ).rows.map((x) => [Number(x.file_id), Number(x.row_id)]);
    expect(dels).toEqual([
      [fileA, 3],
      [merged, 5],
      [merged, 12],
    ]);
    expect(await expectEverySnapshot(c, duck, { meta, table: "ledgers", expected })).toBe(expected.at.size);
  });

  it("flush of inlined data (rows and inlined deletes to files), then more project flushes", async () => {
    expected.same(await ext.flushInlined("ledgers"));
    const left = (
      await c.query(
        `SELECT count(*)::int AS n FROM ${meta}.ducklake_inlined_delete_${lake.get("ledgers")!.tableId}`,
      )
    ).rows[0].n;
    expect(left).toBe(0);
    const rows = seqs(41, 45).map((s) => row(s));
    put(rows);
    expected.record(await projectFlush(c, duck, { meta, dataPath, lake: lake.get("ledgers")!, rows }));
    expect(await expectEverySnapshot(c, duck, { meta, table: "ledgers", expected })).toBe(expected.at.size);
  });

  it("an extension INSERT written to a file, then expiry and cleanup", async () => {
    const rows = [row(500), row(501, { note: null, ok: null })];
    put(rows);
    const [S] = await ext.insert(
      "ledgers",
      `SELECT sequence::BIGINT AS sequence, hash, closed_at::TIMESTAMPTZ AS closed_at, tx_count::INTEGER AS tx_count, note, ok::BOOLEAN AS ok
       FROM (VALUES (500, 'h500', '${rows[0]!.closed_at}', ${rows[0]!.tx_count}, '${rows[0]!.note}', ${rows[0]!.ok}),
                    (501, 'h501', '${rows[1]!.closed_at}', ${rows[1]!.tx_count}, NULL, NULL)) AS v(sequence, hash, closed_at, tx_count, note, ok)`,
    );
    expected.record(S);
    // Expire the two oldest data snapshots; the rest still read exactly.
    const oldest = [...expected.at.keys()].slice(0, 2);
    const ex = await expireSnapshots({ catalog: c, metaSchema: meta, versions: oldest });
    expect(ex.expiredSnapshots).toEqual(oldest);
    for (const s of oldest) {
      await expect(
        readLakeTable(pgCatalog(c, meta), duck, { table: "ledgers", snapshot: s }),
      ).rejects.toBeInstanceOf(LakeReadError);
    }
    const cl = await cleanupOldFiles({ catalog: c, metaSchema: meta, dataPath, olderThanMs: 0 });
    expect(cl.deletedFiles.length).toBeGreaterThan(0);
    expect(
      await expectEverySnapshot(c, duck, { meta, table: "ledgers", expected, skip: new Set(oldest) }),
    ).toBe(expected.at.size - 2);
  });

  it("schema changes by the extension: an added column is carried, a renamed one stops the project's writes with a conflict error; every snapshot still reads", async () => {
    expected.same(await ext.addColumn("ledgers", "memo", "varchar"));
    // The flusher's files have no memo: they read it as the column's default (NULL), as DuckLake defines.
    const rows = [row(600)];
    put(rows);
    expected.record(await projectFlush(c, duck, { meta, dataPath, lake: lake.get("ledgers")!, rows }));
    const withMemo = await readLakeTable(pgCatalog(c, meta), duck, { table: "ledgers" });
    expect(withMemo.rows.find((r) => r.sequence === "600")).toMatchObject({ memo: null });
    // Compaction would write the merged file without the extension's column: it leaves the table alone.
    const comp = await compactLake({
      catalog: c,
      duck,
      metaSchema: meta,
      lakeSchema: "main",
      dataPath,
      tables: [ledgers],
      lake,
    });
    expect(comp.snapshotId).toBeUndefined();
    expect(comp.skipped?.ledgers).toMatch(/column memo \(varchar\) added/);

    const before = Number(
      (await c.query(`SELECT max(snapshot_id) AS s FROM ${meta}.ducklake_snapshot`)).rows[0].s,
    );
    expected.same(await ext.renameColumn("ledgers", "note", "remark"));
    const err = await projectFlush(c, duck, {
      meta,
      dataPath,
      lake: lake.get("ledgers")!,
      rows: [row(601)],
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(LakeConflictError);
    expect((err as Error).message).toMatch(
      /table 'ledgers' \(table id \d+\) was changed by another writer: column note renamed to remark; nothing committed/,
    );
    expect(
      Number((await c.query(`SELECT max(snapshot_id) AS s FROM ${meta}.ducklake_snapshot`)).rows[0].s),
    ).toBe(before + 1);
    // A restarted flusher refuses the table too, naming the missing column.
    await expect(
      ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [ledgers] }),
    ).rejects.toThrow(/bronze table 'main.ledgers' .*column note is missing/);
    expected.same(await ext.alterType("ledgers", "tx_count", "int64"));
    expected.same(await ext.dropColumn("ledgers", "memo"));
    // Renamed column: rows read under the new name at the latest snapshot; int32 files read as int64 now.
    const latest = await readLakeTable(pgCatalog(c, meta), duck, { table: "ledgers" });
    const one = latest.rows.find((r) => r.sequence === "99999")!;
    expect(one.remark).toBe("zz updated");
    expect(one.tx_count).toBe(String(99999 % 7));
    const expiredEarlier = new Set([...expected.at.keys()].slice(0, 2));
    expect(
      await expectEverySnapshot(c, duck, { meta, table: "ledgers", expected, skip: expiredEarlier }),
    ).toBe(expected.at.size - 2);
    const dropped = await ext.dropTable("ledgers");
    await expect(
      readLakeTable(pgCatalog(c, meta), duck, { table: "ledgers", snapshot: dropped }),
    ).rejects.toThrow(/no table 'ledgers' at snapshot/);
    const prior = await readLakeTable(pgCatalog(c, meta), duck, { table: "ledgers", snapshot: dropped - 1 });
    expect(prior.rows.length).toBe(expected.rows.size);
  });
});
