/**
 * Conformance: writes that share a lake (item 2). The extension commits with no lock of ours — only the
 * snapshot primary key orders commits — so the project's writers claim their snapshot row first and read what
 * others committed after it: a commit of the same snapshot id by the extension is a clear conflict (nothing
 * committed); what the extension committed while compaction was merging (an inlined delete of a source file) is
 * carried into the merged file; a Parquet delete file on a source stops the compaction with a conflict.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commitFiles,
  compactLake,
  ensureCatalog,
  ensureLakeTables,
  LakeConflictError,
  type LakeTable,
  pgCatalog,
  readLakeTable,
  writeParquetFromQuery,
} from "../../src/index";
import { Extension } from "./extension";
import { ledgers, projectFlush, row, valuesSelect } from "./lake";

let c: pg.Client;
let other: pg.Client;
let duck: DuckDBConnection;
let dir: string;
let dataPath: string;
let lake: Map<string, LakeTable>;
const meta = "conc_meta";

beforeAll(async () => {
  const db = await freshDatabase("concur");
  c = new pg.Client({ connectionString: db.url });
  other = new pg.Client({ connectionString: db.url });
  await c.connect();
  await other.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "conform-conc-"));
  dataPath = `${dir}/`;
  await ensureCatalog(c, { schema: meta, dataPath, createdBy: "test" });
  lake = await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [ledgers] });
});
afterAll(async () => {
  await c?.end();
  await other?.end();
  await rm(dir, { recursive: true, force: true });
});

const seqs = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i));
const latest = async () =>
  Number((await c.query(`SELECT max(snapshot_id) AS s FROM ${meta}.ducklake_snapshot`)).rows[0].s);
const dataFiles = async () =>
  Number((await c.query(`SELECT count(*) AS n FROM ${meta}.ducklake_data_file`)).rows[0].n);

describe("commits that race another writer", () => {
  it("the flusher's commit loses the snapshot id to a concurrent extension commit: a conflict error, nothing committed", async () => {
    await projectFlush(c, duck, { meta, dataPath, lake: lake.get("ledgers")!, rows: seqs(1, 5) });
    const file = await writeParquetFromQuery(duck, {
      dataPath,
      lakeSchema: "main",
      table: ledgers,
      lake: lake.get("ledgers")!,
      select: valuesSelect(seqs(6, 5)),
    });
    const S = (await latest()) + 1;
    const filesBefore = await dataFiles();
    // The extension's transaction has written its snapshot row and not committed yet.
    await other.query("BEGIN");
    await other.query(
      `INSERT INTO ${meta}.ducklake_snapshot SELECT $1, now(), schema_version, next_catalog_id, next_file_id
      FROM ${meta}.ducklake_snapshot WHERE snapshot_id = $2`,
      [S, S - 1],
    );
    await c.query("BEGIN");
    const commit = commitFiles(c, {
      metaSchema: meta,
      files: [file],
      commitExtraInfo: {},
      message: "flush ledgers 6-10",
    });
    const outcome = commit.then(
      () => "committed",
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 300));
    await other.query(
      `INSERT INTO ${meta}.ducklake_snapshot_changes VALUES ($1, 'inlined_delete:1', NULL, NULL, NULL)`,
      [S],
    );
    await other.query("COMMIT");
    const err = await outcome;
    await c.query("ROLLBACK");
    expect(err).toBeInstanceOf(LakeConflictError);
    expect((err as Error).message).toBe(
      `flush ledgers 6-10: another writer committed snapshot ${S} of the lake first; nothing committed (the next run starts from its snapshot)`,
    );
    expect(await dataFiles()).toBe(filesBefore);
    // The next attempt commits after the other writer's snapshot.
    await c.query("BEGIN");
    const S2 = await commitFiles(c, {
      metaSchema: meta,
      files: [file],
      commitExtraInfo: {},
      message: "retry",
    });
    await c.query("COMMIT");
    expect(S2).toBe(S + 1);
    const rows = (await readLakeTable(pgCatalog(c, meta), duck, { table: "ledgers" })).rows;
    expect(rows.map((r) => Number(r.sequence)).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it("an inlined delete the extension commits while compaction merges is carried to the merged file", async () => {
    const ext = new Extension(c, duck, meta);
    const ids = (
      await c.query(`SELECT data_file_id FROM ${meta}.ducklake_data_file ORDER BY row_id_start`)
    ).rows.map((r) => Number(r.data_file_id));
    let deletedAt = 0;
    const r = await compactLake({
      catalog: c,
      duck,
      metaSchema: meta,
      lakeSchema: "main",
      dataPath,
      tables: [ledgers],
      lake,
      // After the merged file is written, before the compaction's commit: the extension deletes sequence 7
      // (the second file, position 1).
      failpoint: async (name) => {
        if (name === "compact-after-parquet") {
          deletedAt = await ext.inlinedDelete("ledgers", { file: { fileId: ids[1]!, positions: [1] } });
        }
      },
    });
    expect(r.snapshotId).toBe(deletedAt + 1);
    const cat = pgCatalog(c, meta);
    const at = async (s: number) =>
      (await readLakeTable(cat, duck, { table: "ledgers", snapshot: s })).rows
        .map((x) => Number(x.sequence))
        .sort((a, b) => a - b);
    expect(await at(r.snapshotId!)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10]);
    expect(await at(deletedAt - 1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const merged = (await c.query(`SELECT data_file_id FROM ${meta}.ducklake_data_file`)).rows.map((x) =>
      Number(x.data_file_id),
    );
    expect(merged).toHaveLength(1);
    const del = (
      await c.query(
        `SELECT file_id, row_id FROM ${meta}.ducklake_inlined_delete_${lake.get("ledgers")!.tableId}`,
      )
    ).rows;
    expect(del.map((x) => [Number(x.file_id), Number(x.row_id)])).toEqual([[merged[0]!, 6]]);
  });

  it("a delete file the extension writes on a source while compaction merges stops it with a conflict error", async () => {
    const ext = new Extension(c, duck, meta);
    await projectFlush(c, duck, { meta, dataPath, lake: lake.get("ledgers")!, rows: seqs(20, 3) });
    const last = Number(
      (await c.query(`SELECT max(data_file_id) AS f FROM ${meta}.ducklake_data_file`)).rows[0].f,
    );
    const before = await latest();
    const err = await compactLake({
      catalog: c,
      duck,
      metaSchema: meta,
      lakeSchema: "main",
      dataPath,
      tables: [ledgers],
      lake,
      failpoint: async (name) => {
        if (name === "compact-after-parquet") await ext.deleteWithFile("ledgers", last, [0]);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LakeConflictError);
    expect((err as Error).message).toMatch(
      /compaction of table 'ledgers': data files .* changed since they were read/,
    );
    expect(await latest()).toBe(before + 1); // only the extension's delete committed
  });
});
