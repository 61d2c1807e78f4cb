import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdbFileCatalog, LakeReadError, readLakeTable } from "../src/reader";

describe.skipIf(!haveFixtures())("reading catalogs the real ducklake extension wrote", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-read-"));
    for (const [gz, name] of [
      ["ducklake/iceberg_deletes/delete_ignore_extra_columns.db.gz", "iceberg.db"],
      ["ducklake/old_ducklake/v04-dev1_types.db.gz", "types.db"],
    ]) {
      execFileSync("sh", ["-c", `gunzip -c '${fixture(gz!)}' > '${join(dir, name!)}'`]);
    }
    // The catalog's data_path is relative to the catalog file: put its data folder beside the copy.
    await symlink(
      fixture("ducklake/iceberg_deletes/delete_ignore_extra_columns"),
      join(dir, "delete_ignore_extra_columns"),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("iceberg_deletes (spec 0.3): 100 rows at snapshot 1, 91 after its delete file at the latest", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const cat = await duckdbFileCatalog(duck, join(dir, "iceberg.db"));
    const first = await readLakeTable(cat, duck, { table: "test", snapshot: 1 });
    expect(first.rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    const latest = await readLakeTable(cat, duck, { table: "test" });
    expect(latest.snapshot).toBe(2);
    expect(latest.rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 91 }, (_, i) => i),
    );
  });

  it("v04-dev1_types ships without data files: reading names the missing file", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const cat = await duckdbFileCatalog(duck, join(dir, "types.db"));
    const tables = await cat.query(
      `SELECT DISTINCT t.table_name FROM ${cat.t("ducklake_table")} t JOIN ${cat.t("ducklake_data_file")} f USING (table_id)
       WHERE t.end_snapshot IS NULL AND f.end_snapshot IS NULL`,
    );
    expect(tables.length).toBeGreaterThan(0);
    const err = await readLakeTable(cat, duck, { table: String(tables[0]!.table_name) }).catch((e) => e);
    expect(err).toBeInstanceOf(LakeReadError);
    expect(err.message).toMatch(/cannot read data file .*ducklake-[0-9a-f-]+\.parquet of table/);
  });
});
