import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { TableDef } from "@stellar-lake/schema";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commitFiles,
  ensureCatalog,
  ensureLakeTables,
  pgCatalog,
  readLakeTable,
  writeParquetFromQuery,
} from "../src/index";

let c: pg.Client;
let dir: string;
beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("inlined")).url });
  await c.connect();
  dir = await mkdtemp(join(tmpdir(), "inlined-lake-"));
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

const table = {
  name: "events",
  columns: [
    { name: "id", pg: "BIGINT" },
    { name: "note", pg: "TEXT" },
    { name: "at", pg: "TIMESTAMPTZ" },
    { name: "ok", pg: "BOOLEAN" },
  ],
} as unknown as TableDef;

describe("reader: inlined data", () => {
  it("returns rows inlined in the catalog next to file rows, exactly as Parquet rows come out, visible by snapshot", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    await ensureCatalog(c, { schema: "m", dataPath: `${dir}/`, createdBy: "t" });
    const lake = await ensureLakeTables(c, { metaSchema: "m", lakeSchema: "main", tables: [table] });
    const lt = lake.get("events")!;
    const file = await writeParquetFromQuery(duck, {
      dataPath: `${dir}/`,
      lakeSchema: "main",
      table,
      lake: lt,
      select: `SELECT 1::BIGINT AS id, 'from file' AS note, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS at, true AS ok`,
    });
    await c.query("BEGIN");
    const s2 = await commitFiles(c, { metaSchema: "m", files: [file], commitExtraInfo: {}, message: "f" });
    await c.query("COMMIT");
    // What the extension's inlining writes: a table per schema version, registered in ducklake_inlined_data_tables.
    await c.query(`CREATE TABLE m.ducklake_inlined_data_${lt.tableId}_1 (row_id bigint, begin_snapshot bigint, end_snapshot bigint, id bigint, note text, at timestamptz, ok boolean);
      INSERT INTO m.ducklake_inlined_data_tables VALUES (${lt.tableId}, 'ducklake_inlined_data_${lt.tableId}_1', 1);
      INSERT INTO m.ducklake_snapshot VALUES (${s2 + 1}, now(), 1, 100, 100), (${s2 + 2}, now(), 1, 100, 100);
      INSERT INTO m.ducklake_inlined_data_${lt.tableId}_1 VALUES
        (1, ${s2 + 1}, NULL, 2, 'it''s inlined', '2024-01-02 03:04:05+00', false),
        (2, ${s2 + 1}, ${s2 + 2}, 3, NULL, NULL, NULL)`);
    const cat = pgCatalog(c, "m");
    const atFile = await readLakeTable(cat, duck, { table: "events", snapshot: s2 });
    expect(atFile.rows).toHaveLength(1);
    expect(atFile.inlinedRows).toBeUndefined();
    const both = await readLakeTable(cat, duck, { table: "events", snapshot: s2 + 1 });
    expect(both.inlinedRows).toBe(2);
    expect(both.rows.map((r) => r.id)).toEqual(["1", "2", "3"]);
    // Same representation as the file row for the same value.
    expect(both.rows[1]).toEqual({ ...both.rows[0], id: "2", note: "it's inlined", ok: false });
    expect(both.rows[2]).toEqual({ id: "3", note: null, at: null, ok: null });
    const latest = await readLakeTable(cat, duck, { table: "events" });
    expect(latest.rows.map((r) => r.id)).toEqual(["1", "2"]);
  });
});
