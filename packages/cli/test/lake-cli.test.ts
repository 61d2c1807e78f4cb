import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureCatalog, ensureLakeTables } from "@stellar-lake/lake";
import { startS3 } from "@stellar-lake/lake/testing";
import { dataTables } from "@stellar-lake/schema";
import { freshDatabase, repoRoot } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "lake", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

describe("pnpm stellar-lake lake info", () => {
  it("lists the snapshots and every bronze table with its files and rows", async () => {
    const db = await freshDatabase("lakeinfo");
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await ensureCatalog(c, { schema: "bronze_meta", dataPath: "/tmp/lake/", createdBy: "test" });
    await ensureLakeTables(c, { metaSchema: "bronze_meta", lakeSchema: "bronze", tables: dataTables });
    await c.end();
    const r = await cli(["info"], { DUCKLAKE_CATALOG_URL: db.url });
    expect(r.stdout).toMatch(/^\s+1\s+\S+\s+schema v1\s+created_schema:"bronze"/m);
    expect(r.stdout).toMatch(/^\s+0\s+\S+\s+schema v0\s+created_schema:"main"/m);
    for (const t of dataTables)
      expect(r.stdout).toMatch(new RegExp(`^  ${t.name}\\s+0 files\\s+0 rows`, "m"));
  });

  it("without a sub-command prints usage and exits 2", async () => {
    await expect(cli([], {})).rejects.toMatchObject({ code: 2 });
  });
});

describe("pnpm stellar-lake lake compact / cleanup", () => {
  it("merges the flushed files per table, then cleanup deletes the replaced ones", async () => {
    const { mkdtemp, readdir, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const { flushOnce } = await import("@stellar-lake/flusher");
    const { migrateUp } = await import("@stellar-lake/schema");
    const { insertSql, sampleRow } = await import("@stellar-lake/schema/testing");
    const hotDb = await freshDatabase("lakecompacthot");
    await migrateUp(hotDb.url);
    const catDb = await freshDatabase("lakecompactcat");
    const dir = await mkdtemp(join(tmpdir(), "lake-cli-"));
    const hot = new pg.Client({ connectionString: hotDb.url });
    const cat = new pg.Client({ connectionString: catDb.url });
    await hot.connect();
    await cat.connect();
    try {
      const duck = await (await DuckDBInstance.create(":memory:")).connect();
      for (const seq of [10, 11, 12]) {
        for (const t of dataTables) {
          const { text, values } = insertSql(t, sampleRow(t, seq));
          await hot.query(text, values);
        }
        await flushOnce({
          hot,
          catalog: cat,
          duck,
          metaSchema: "bronze_meta",
          lakeSchema: "bronze",
          dataPath: `${dir}/`,
          minAgeMs: 0,
        });
      }
      const parquet = async () =>
        (await readdir(join(dir, "bronze", "trades_row_v1"))).filter((f) => f.endsWith(".parquet")).length;
      expect(await parquet()).toBe(3);
      const env = { DUCKLAKE_CATALOG_URL: catDb.url };
      const c = JSON.parse((await cli(["compact"], env)).stdout);
      expect(c.tables.trades_row_v1).toEqual({ filesBefore: 3, filesAfter: 1, rows: 3 });
      expect(await parquet()).toBe(4); // the replaced files stay until cleanup
      const info = (await cli(["info"], env)).stdout;
      expect(info).toMatch(/^ {2}trades_row_v1\s+1 files\s+3 rows/m);
      // lake info lists the 20th table (token transfers) like the others.
      expect(info).toMatch(/^ {2}token_transfers_row_v1\s+1 files\s+3 rows/m);
      expect(info).toMatch(/awaiting cleanup: 60/);
      expect(JSON.parse((await cli(["cleanup", "--older-than", "1h"], env)).stdout).deleted_files).toBe(0);
      expect(JSON.parse((await cli(["cleanup", "--older-than", "0s"], env)).stdout).deleted_files).toBe(60);
      expect(await parquet()).toBe(1);
      // Expiry: every snapshot but the latest (catalog, tables, 3 flushes); the merged files need none of them.
      expect(JSON.parse((await cli(["expire", "--older-than", "0s"], env)).stdout)).toEqual({
        expired_snapshots: 5,
        scheduled_files: 0,
      });
      expect((await cli(["info"], env)).stdout).toMatch(/^ {2}trades_row_v1\s+1 files\s+3 rows/m);
    } finally {
      await hot.end();
      await cat.end();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("on an s3:// lake (the catalog's data_path): compact uploads the merged objects, cleanup deletes the replaced", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const { flushOnce } = await import("@stellar-lake/flusher");
    const { migrateUp } = await import("@stellar-lake/schema");
    const { insertSql, sampleRow } = await import("@stellar-lake/schema/testing");
    const s3 = await startS3();
    await s3.createBucket("lake-cli");
    const dataPath = "s3://lake-cli/data/";
    const hotDb = await freshDatabase("lakes3hot");
    await migrateUp(hotDb.url);
    const catDb = await freshDatabase("lakes3cat");
    const cache = await mkdtemp(join(tmpdir(), "lake-cli-s3-"));
    const hot = new pg.Client({ connectionString: hotDb.url });
    const cat = new pg.Client({ connectionString: catDb.url });
    await hot.connect();
    await cat.connect();
    try {
      const duck = await (await DuckDBInstance.create(":memory:")).connect();
      const storage = s3.storage(dataPath, join(cache, "flush"));
      for (const seq of [20, 21]) {
        for (const t of dataTables) {
          const { text, values } = insertSql(t, sampleRow(t, seq));
          await hot.query(text, values);
        }
        await flushOnce({
          hot,
          catalog: cat,
          duck,
          metaSchema: "bronze_meta",
          lakeSchema: "bronze",
          dataPath,
          storage,
          minAgeMs: 0,
        });
      }
      const objects = async () => (await storage.list("bronze/trades_row_v1/")).map((o) => o.path);
      const flushed = await objects();
      expect(flushed).toHaveLength(2);
      const env = { DUCKLAKE_CATALOG_URL: catDb.url, ...s3.env(join(cache, "cli")) };
      const c = JSON.parse((await cli(["compact"], env)).stdout);
      expect(c.tables.trades_row_v1).toEqual({ filesBefore: 2, filesAfter: 1, rows: 2 });
      expect(await objects()).toHaveLength(3);
      expect(JSON.parse((await cli(["cleanup", "--older-than", "0s"], env)).stdout).deleted_files).toBe(
        2 * dataTables.length,
      );
      const left = await objects();
      expect(left).toHaveLength(1);
      expect(flushed).not.toContain(left[0]);
    } finally {
      await hot.end();
      await cat.end();
      await s3.close();
      await rm(cache, { recursive: true, force: true });
    }
  });
});
