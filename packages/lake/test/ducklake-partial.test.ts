/**
 * Partial files as the ducklake extension writes them, read through the reader: a data file that
 * `ducklake_merge_adjacent_files` merged from two inserts that were not row-id adjacent (so it carries
 * `_ducklake_internal_row_id` as well as `_ducklake_internal_snapshot_id`, row_id_start NULL, back-dated
 * begin_snapshot, partial_max), and a snapshot-tagged delete file (`file_path, pos, _ducklake_internal_snapshot_id`,
 * partial_max). The catalog is a DuckDB database file with the spec 1.0 tables, as the extension's own test
 * catalogs are; every snapshot must read exactly the rows it had.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_TABLES } from "../src/catalog";
import {
  duckdbFileCatalog,
  LakeReadError,
  lakeFileSelect,
  lakeTableFiles,
  readLakeTable,
  SNAPSHOT_ID_FIELD_ID,
} from "../src/reader";

let dir: string;
let duck: DuckDBConnection;
const ROW_ID_FIELD_ID = 2147483540; // DuckDB's MultiFileReader::ROW_ID_FIELD_ID, as the extension writes it

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-partial-"));
  const data = join(dir, "data", "main", "t");
  await mkdir(data, { recursive: true });
  const w = await (await DuckDBInstance.create(":memory:")).connect();
  // Insert 1 (snapshot 2): ids 0..2 at row ids 0..2; insert 2 (snapshot 3): ids 3..4 at row ids 10..11 (a gap,
  // so the merge keeps row ids in the file). The merged file's row order is not row-id order.
  await w.run(
    `COPY (SELECT * FROM (VALUES (3, 'd', 10, 3), (4, 'e', 11, 3), (0, 'a', 0, 2), (1, 'b', 1, 2), (2, 'c', 2, 2))
             AS v(id, v, _ducklake_internal_row_id, _ducklake_internal_snapshot_id))
     TO '${data}/ducklake-merged.parquet'
     (FORMAT parquet, FIELD_IDS {id: 1, v: 2, _ducklake_internal_row_id: ${ROW_ID_FIELD_ID}, _ducklake_internal_snapshot_id: ${SNAPSHOT_ID_FIELD_ID}})`,
  );
  // Deletes: id 1 (position 3) at snapshot 5, id 3 (position 0) at snapshot 6, in one snapshot-tagged file.
  await w.run(
    `COPY (SELECT * FROM (VALUES ('${data}/ducklake-merged.parquet', 3::BIGINT, 5::BIGINT), ('${data}/ducklake-merged.parquet', 0, 6))
             AS v(file_path, pos, _ducklake_internal_snapshot_id))
     TO '${data}/ducklake-del.parquet' (FORMAT parquet)`,
  );
  const file = join(dir, "catalog.db");
  await w.run(`ATTACH '${file}' AS c`);
  for (const t of CATALOG_TABLES) await w.run(`CREATE TABLE c.${t.name} (${t.columns.join(", ")})`);
  await w.run(
    `INSERT INTO c.ducklake_metadata VALUES ('version', '1.0', NULL, NULL), ('data_path', 'data/', NULL, NULL), ('encrypted', 'false', NULL, NULL)`,
  );
  for (let s = 0; s <= 6; s++) {
    await w.run(`INSERT INTO c.ducklake_snapshot VALUES (${s}, now(), ${s === 0 ? 0 : 1}, 2, 4)`);
  }
  await w.run(
    `INSERT INTO c.ducklake_snapshot_changes VALUES (0, 'created_schema:"main"', NULL, NULL, NULL),
       (1, 'created_table:"main"."t"', NULL, NULL, NULL), (2, 'inserted_into_table:1', NULL, NULL, NULL),
       (3, 'inserted_into_table:1', NULL, NULL, NULL), (4, 'merge_adjacent:1', NULL, NULL, NULL),
       (5, 'deleted_from_table:1', NULL, NULL, NULL), (6, 'deleted_from_table:1', NULL, NULL, NULL)`,
  );
  await w.run(`INSERT INTO c.ducklake_schema VALUES (0, uuid(), 0, NULL, 'main', 'main/', true)`);
  await w.run(`INSERT INTO c.ducklake_table VALUES (1, uuid(), 1, NULL, 0, 't', 't/', true)`);
  await w.run(
    `INSERT INTO c.ducklake_column VALUES (1, 1, NULL, 1, 1, 'id', 'int64', NULL, 'NULL', true, NULL, 'literal', 'duckdb'),
       (2, 1, NULL, 1, 2, 'v', 'varchar', NULL, 'NULL', true, NULL, 'literal', 'duckdb')`,
  );
  // The merge (snapshot 4) replaced files 0 and 1 (their rows deleted); the merged file is back-dated to 2.
  await w.run(
    `INSERT INTO c.ducklake_data_file VALUES (2, 1, 2, NULL, NULL, 'ducklake-merged.parquet', true, 'parquet', 5, 1000, 100, NULL, NULL, NULL, NULL, 3)`,
  );
  await w.run(
    `INSERT INTO c.ducklake_delete_file VALUES (3, 1, 5, NULL, 2, 'ducklake-del.parquet', true, 'parquet', 2, 500, 50, NULL, 6)`,
  );
  await w.run("DETACH c");
  duck = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("partial files the extension writes", () => {
  it("each snapshot reads exactly its rows: per-row snapshot filter on the merged file, on the delete file", async () => {
    const cat = await duckdbFileCatalog(duck, join(dir, "catalog.db"));
    const ids = async (snapshot: number) =>
      (await readLakeTable(cat, duck, { table: "t", snapshot })).rows
        .map((r) => [Number(r.id), r.v])
        .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(await ids(2)).toEqual([
      [0, "a"],
      [1, "b"],
      [2, "c"],
    ]);
    const all = [
      [0, "a"],
      [1, "b"],
      [2, "c"],
      [3, "d"],
      [4, "e"],
    ];
    expect(await ids(3)).toEqual(all);
    expect(await ids(4)).toEqual(all);
    expect(await ids(5)).toEqual(all.filter(([id]) => id !== 1));
    expect(await ids(6)).toEqual(all.filter(([id]) => id !== 1 && id !== 3));
    // Snapshot 1 predates the file; the internal columns never show up as table columns.
    expect(await ids(1)).toEqual([]);
    const r = await readLakeTable(cat, duck, { table: "t", snapshot: 3 });
    expect(Object.keys(r.rows[0]!).sort()).toEqual(["id", "v"]);
    // What a planner sees: the filters only below partial_max.
    const files = async (snapshot: number) =>
      (await lakeTableFiles(cat, { table: "t", snapshot })).files.map((f) => ({
        snapshotFilter: f.snapshotFilter,
        deleteSnapshotFilter: f.deleteSnapshotFilter,
      }));
    expect(await files(2)).toEqual([{ snapshotFilter: 2, deleteSnapshotFilter: undefined }]);
    expect(await files(5)).toEqual([{ snapshotFilter: undefined, deleteSnapshotFilter: 5 }]);
    expect(await files(6)).toEqual([{ snapshotFilter: undefined, deleteSnapshotFilter: undefined }]);
  });

  it("a spec 0.3 merged file (partial_file_info splits): a snapshot reads the first rows of its split", async () => {
    const f = join(dir, "v03.parquet");
    await duck.run(`COPY (SELECT range AS id FROM range(5)) TO '${f}' (FORMAT parquet, FIELD_IDS {id: 1})`);
    const rows = async (maxRowCount: number) =>
      (
        await duck.runAndReadAll(
          await lakeFileSelect(duck, "t", [{ id: "1", name: "id" }], {
            path: f,
            deletePaths: [],
            maxRowCount,
          }),
        )
      )
        .getRowObjectsJson()
        .map((r) => Number(r.id));
    expect(await rows(3)).toEqual([0, 1, 2]);
    expect(await rows(0)).toEqual([]);
  });

  it("a partial data file without the snapshot column is an error naming the file, not wrong rows", async () => {
    const plain = join(dir, "plain.parquet");
    await duck.run(`COPY (SELECT 1 AS id) TO '${plain}' (FORMAT parquet, FIELD_IDS {id: 1})`);
    const err = await lakeFileSelect(duck, "t", [{ id: "1", name: "id" }], {
      path: plain,
      deletePaths: [],
      snapshotFilter: 2,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(LakeReadError);
    expect(err.message).toMatch(
      /plain\.parquet of table 't' is partial .* no _ducklake_internal_snapshot_id/,
    );
  });
});
