/**
 * Conformance: values come back as the column's DuckLake type whatever physical type the file stores (item 7) —
 * the extension's reader casts each file column to the table column's type: a HUGEINT column in a file that
 * stores DOUBLE, an int32 column promoted to int64 by ALTER (the older files keep INT32), a file from before an
 * ADD COLUMN (NULL). Files and catalog rows as the extension writes them (./extension.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCatalog, lakeFileSelect, lakeTableFiles, pgCatalog, readLakeTable } from "../../src/index";
import { Extension } from "./extension";

let c: pg.Client;
let duck: DuckDBConnection;
let dir: string;
const meta = "types_meta";

beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("types")).url });
  await c.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "conform-types-"));
  await ensureCatalog(c, { schema: meta, dataPath: `${dir}/`, createdBy: "test" });
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

describe("reading casts to the column's type", () => {
  it("a HUGEINT column stored as DOUBLE, an int32 promoted to int64, a column added later", async () => {
    const ext = new Extension(c, duck, meta);
    const tableId = await ext.createTable("t", [
      { name: "id", type: "int32" },
      { name: "h", type: "int128" },
    ]);
    // A file whose `h` is DOUBLE in Parquet (another writer's choice), mapped by field id 2.
    const [s1] = await ext.insert("t", "SELECT 1 AS id, 12345 AS h UNION ALL SELECT 2, -7");
    const cat = pgCatalog(c, meta);
    const files = await lakeTableFiles(cat, { table: "t" });
    const dataDir = `${dir}/main/t/`;
    const f = files.files[0]!;
    await duck.run(
      `COPY (SELECT id, h::DOUBLE AS h FROM read_parquet('${f.path}')) TO '${dataDir}double.parquet' (FORMAT parquet, FIELD_IDS {id: 1, h: 2})`,
    );
    await c.query(`UPDATE ${meta}.ducklake_data_file SET path = 'double.parquet' WHERE table_id = $1`, [
      tableId,
    ]);
    const read1 = await readLakeTable(cat, duck, { table: "t", snapshot: s1 });
    // HUGEINT comes out as DuckDB prints a HUGEINT (a string in JSON), not as the double 12345.
    expect(read1.rows).toEqual([
      { id: 1, h: "12345" },
      { id: 2, h: "-7" },
    ]);
    // The query API's path: the SELECT of one file, with the columns' types.
    const plan = await lakeTableFiles(cat, { table: "t", snapshot: s1 });
    const sel = await lakeFileSelect(duck, "t", plan.columns, plan.files[0]!);
    const viaSelect = (await duck.runAndReadAll(`DESCRIBE ${sel}`)).getRowObjectsJson();
    expect(viaSelect.map((r) => [r.column_name, r.column_type])).toEqual([
      ["id", "INTEGER"],
      ["h", "HUGEINT"],
    ]);

    const s2 = await ext.alterType("t", "id", "int64");
    const s3 = await ext.addColumn("t", "label", "varchar");
    const [s4] = await ext.insert("t", "SELECT 3 AS id, 1 AS h, 'three' AS label");
    // Before the ALTER the file's INT32 reads as int32; after it, as int64 (a string in JSON).
    expect((await readLakeTable(cat, duck, { table: "t", snapshot: s1 })).rows.map((r) => r.id)).toEqual([
      1, 2,
    ]);
    expect((await readLakeTable(cat, duck, { table: "t", snapshot: s2 })).rows.map((r) => r.id)).toEqual([
      "1",
      "2",
    ]);
    expect((await readLakeTable(cat, duck, { table: "t", snapshot: s3 })).rows).toEqual([
      { id: "1", h: "12345", label: null },
      { id: "2", h: "-7", label: null },
    ]);
    const latest = await readLakeTable(cat, duck, { table: "t", snapshot: s4 });
    expect(latest.rows).toContainEqual({ id: "3", h: "1", label: "three" });
  });
});
