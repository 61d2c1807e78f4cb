/**
 * Conformance: inlined data as the extension writes it, read by the project's reader — in a PostgreSQL catalog
 * (text and blobs stored as `bytea`, timestamps as text, `ducklake_inlined_delete_<table>` for deletes of file
 * rows) and in a DuckDB-file catalog (native column types), at every snapshot. The PostgreSQL shapes follow a
 * pg_dump of a catalog the extension wrote (see ./extension.ts); the DuckDB-file catalog is built here with the
 * same rows (the fixtures' inlined tables are empty).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CATALOG_TABLES,
  duckdbFileCatalog,
  ensureCatalog,
  lakeTableFiles,
  pgCatalog,
  readLakeTable,
} from "../../src/index";
import { Extension } from "./extension";

let c: pg.Client;
let duck: DuckDBConnection;
let dir: string;
const meta = "inl_meta";

beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("inlined")).url });
  await c.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "conform-inlined-"));
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

const ids = (rows: Record<string, unknown>[]) =>
  rows.map((r) => String(r.id)).sort((a, b) => Number(a) - Number(b));

describe("inlined data in a PostgreSQL catalog", () => {
  it("text inlined as bytea reads as text (item 4); inlined deletes of file rows and of inlined rows apply (item 3)", async () => {
    await ensureCatalog(c, { schema: meta, dataPath: `${dir}/pg/`, createdBy: "test" });
    const ext = new Extension(c, duck, meta);
    await ext.createTable("t", [
      { name: "id", type: "int64", notNull: true },
      { name: "v", type: "varchar" },
      { name: "at", type: "timestamptz" },
    ]);
    const [s1, fileId] = await ext.insert(
      "t",
      "SELECT i::BIGINT AS id, 'file' || i AS v, TIMESTAMPTZ '2024-01-15 10:30:00+00' + to_seconds(i) AS at FROM range(10) r(i)",
    );
    const [s2, rowIds] = await ext.inlinedInsert("t", [
      { id: 100, v: "v2000", at: "2024-01-15 10:30:00+00" },
      { id: 101, v: "it's ünïcode ✓", at: "2025-02-16 11:31:01.123456+00" },
      { id: 102, v: null, at: null },
    ]);
    const s3 = await ext.inlinedDelete("t", { file: { fileId, positions: [3, 7] } });
    const s4 = await ext.inlinedDelete("t", { rowIds: [rowIds[2]!] });
    const cat = pgCatalog(c, meta);
    const at = (snapshot: number) => readLakeTable(cat, duck, { table: "t", snapshot });

    expect(ids((await at(s1)).rows)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    const r2 = await at(s2);
    expect(r2.inlinedRows).toBe(3);
    const byId = new Map(r2.rows.map((r) => [String(r.id), r]));
    expect(byId.get("100")!.v).toBe("v2000");
    expect(byId.get("101")!.v).toBe("it's ünïcode ✓");
    // Inlined timestamps come out exactly as file rows of the same value do.
    expect(byId.get("100")!.at).toBe(byId.get("0")!.at);
    expect(byId.get("102")).toEqual({ id: "102", v: null, at: null });
    expect(ids((await at(s3)).rows)).toEqual(["0", "1", "2", "4", "5", "6", "8", "9", "100", "101", "102"]);
    expect(ids((await at(s4)).rows)).toEqual(["0", "1", "2", "4", "5", "6", "8", "9", "100", "101"]);
    // The scan plan the query API uses carries the inlined deletes per file.
    const plan = await lakeTableFiles(cat, { table: "t", snapshot: s3 });
    expect(plan.files.map((f) => f.inlinedDeletes)).toEqual([[3, 7]]);
    const before = await lakeTableFiles(cat, { table: "t", snapshot: s2 });
    expect(before.files.map((f) => f.inlinedDeletes ?? [])).toEqual([[]]);
  });
});

describe("inlined data in a DuckDB-file catalog", () => {
  it("native inlined columns and inlined deletes of file rows, at every snapshot", async () => {
    const data = join(dir, "duck", "data", "main", "t");
    await mkdir(data, { recursive: true });
    const w = await (await DuckDBInstance.create(":memory:")).connect();
    await w.run(
      `COPY (SELECT i::BIGINT AS id, 'f' || i AS v FROM range(5) r(i)) TO '${data}/ducklake-a.parquet' (FORMAT parquet, FIELD_IDS {id: 1, v: 2})`,
    );
    const file = join(dir, "duck", "catalog.db");
    await w.run(`ATTACH '${file}' AS k`);
    for (const t of CATALOG_TABLES) await w.run(`CREATE TABLE k.${t.name} (${t.columns.join(", ")})`);
    await w.run(
      `INSERT INTO k.ducklake_metadata VALUES ('version', '1.0', NULL, NULL), ('data_path', 'data/', NULL, NULL), ('encrypted', 'false', NULL, NULL)`,
    );
    // 0 created schema, 1 table, 2 file insert, 3 inlined insert (2 rows), 4 inlined delete of file rows 1 and 4,
    // 5 inlined delete of one inlined row.
    await w.run(`INSERT INTO k.ducklake_snapshot VALUES (0, now(), 0, 1, 0), (1, now(), 1, 2, 0), (2, now(), 1, 2, 1),
      (3, now(), 1, 2, 2), (4, now(), 1, 2, 2), (5, now(), 1, 2, 2)`);
    await w.run(`INSERT INTO k.ducklake_schema VALUES (0, uuid(), 0, NULL, 'main', 'main/', true)`);
    await w.run(`INSERT INTO k.ducklake_table VALUES (1, uuid(), 1, NULL, 0, 't', 't/', true)`);
    await w.run(`INSERT INTO k.ducklake_column VALUES (1, 1, NULL, 1, 1, 'id', 'int64', NULL, 'NULL', false, NULL, 'literal', 'duckdb'),
      (2, 1, NULL, 1, 2, 'v', 'varchar', NULL, 'NULL', true, NULL, 'literal', 'duckdb')`);
    await w.run(
      `INSERT INTO k.ducklake_data_file VALUES (0, 1, 2, NULL, NULL, 'ducklake-a.parquet', true, 'parquet', 5, 100, 10, 0, NULL, NULL, NULL, NULL)`,
    );
    await w.run(
      `CREATE TABLE k.ducklake_inlined_data_1_1 (row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, id BIGINT, v VARCHAR)`,
    );
    await w.run(`INSERT INTO k.ducklake_inlined_data_tables VALUES (1, 'ducklake_inlined_data_1_1', 1)`);
    await w.run(
      `INSERT INTO k.ducklake_inlined_data_1_1 VALUES (5, 3, NULL, 50, 'in ''50'''), (6, 3, 5, 60, 'in 60')`,
    );
    await w.run(
      `CREATE TABLE k.ducklake_inlined_delete_1 (file_id BIGINT, row_id BIGINT, begin_snapshot BIGINT)`,
    );
    await w.run(`INSERT INTO k.ducklake_inlined_delete_1 VALUES (0, 1, 4), (0, 4, 4)`);
    await w.run("DETACH k");
    const cat = await duckdbFileCatalog(duck, file, "dk");
    const at = async (snapshot: number) =>
      ids((await readLakeTable(cat, duck, { table: "t", snapshot })).rows);
    expect(await at(2)).toEqual(["0", "1", "2", "3", "4"]);
    expect(await at(3)).toEqual(["0", "1", "2", "3", "4", "50", "60"]);
    expect(await at(4)).toEqual(["0", "2", "3", "50", "60"]);
    expect(await at(5)).toEqual(["0", "2", "3", "50"]);
    const latest = await readLakeTable(cat, duck, { table: "t" });
    expect(latest.rows.find((r) => r.id === "50")!.v).toBe("in '50'");
  });
});
