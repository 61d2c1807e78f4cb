import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { latestFlushState } from "@stellar-lake/lake";
import { S3_SECRET, startS3 } from "@stellar-lake/lake/testing";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase, repoRoot } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("pnpm stellar-lake flush --once", () => {
  it("flushes with parallel export connections and compacts on schedule (FLUSH_COMPACT_EVERY=1)", async () => {
    const hotUrl = (await freshDatabase("flushclihot")).url;
    await migrateUp(hotUrl);
    const catalogUrl = (await freshDatabase("flushclicat")).url;
    const dir = await mkdtemp(join(tmpdir(), "flush-cli-"));
    const hot = new pg.Client({ connectionString: hotUrl });
    const cat = new pg.Client({ connectionString: catalogUrl });
    await hot.connect();
    await cat.connect();
    try {
      const env = {
        ...process.env,
        DATABASE_URL: hotUrl,
        DUCKLAKE_CATALOG_URL: catalogUrl,
        DUCKLAKE_DATA_PATH: dir,
        FLUSH_COMPACT_EVERY: "1",
        COMPACT_RETENTION: "0s",
        FLUSH_EXPORT_CONNECTIONS: "3",
      };
      const flush = () =>
        run(
          process.execPath,
          [
            "--import",
            "tsx",
            join(repoRoot, "packages/cli/src/main.ts"),
            "flush",
            "--once",
            "--health-port",
            "0",
          ],
          { cwd: repoRoot, env, timeout: 60_000 },
        );
      for (const seqs of [
        [50, 51],
        [52, 53],
      ]) {
        for (const s of seqs)
          for (const t of dataTables) {
            const { text, values } = insertSql(t, sampleRow(t, s));
            await hot.query(text, values);
          }
        await flush();
      }
      expect(await latestFlushState(cat, "bronze_meta")).toMatchObject({
        watermark: 53,
        operation: "compact",
      });
      expect((await hot.query("SELECT COUNT(*)::int AS n FROM operations_row_v2")).rows[0].n).toBe(0);
      // Two flushes, each compacted into the table's one file; the replaced ones deleted (retention 0).
      const files = (await readdir(join(dir, "bronze", "operations_row_v2"))).filter((f) =>
        f.endsWith(".parquet"),
      );
      expect(files).toHaveLength(1);
      const live = await cat.query(
        "SELECT record_count::int AS n FROM bronze_meta.ducklake_data_file f JOIN bronze_meta.ducklake_table t USING (table_id) WHERE t.table_name = 'operations_row_v2' AND f.end_snapshot IS NULL",
      );
      expect(live.rows).toEqual([{ n: 4 }]);
    } finally {
      await hot.end();
      await cat.end();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("with DUCKLAKE_DATA_PATH=s3://…: flushes and compacts into the bucket, and logs no credentials", async () => {
    const s3 = await startS3();
    await s3.createBucket("cli-lake");
    const hotUrl = (await freshDatabase("flushclis3hot")).url;
    await migrateUp(hotUrl);
    const catalogUrl = (await freshDatabase("flushclis3cat")).url;
    const cache = await mkdtemp(join(tmpdir(), "flush-cli-s3-"));
    const hot = new pg.Client({ connectionString: hotUrl });
    const cat = new pg.Client({ connectionString: catalogUrl });
    await hot.connect();
    await cat.connect();
    try {
      const env = {
        ...process.env,
        ...s3.env(join(cache, "cli")),
        DATABASE_URL: hotUrl,
        DUCKLAKE_CATALOG_URL: catalogUrl,
        DUCKLAKE_DATA_PATH: "s3://cli-lake/lake",
        FLUSH_COMPACT_EVERY: "1",
        COMPACT_RETENTION: "0s",
      };
      let output = "";
      for (const seqs of [[60], [61, 62]]) {
        for (const s of seqs)
          for (const t of dataTables) {
            const { text, values } = insertSql(t, sampleRow(t, s));
            await hot.query(text, values);
          }
        const r = await run(
          process.execPath,
          [
            "--import",
            "tsx",
            join(repoRoot, "packages/cli/src/main.ts"),
            "flush",
            "--once",
            "--health-port",
            "0",
          ],
          { cwd: repoRoot, env, timeout: 60_000 },
        );
        output += r.stdout + r.stderr;
      }
      expect(await latestFlushState(cat, "bronze_meta")).toMatchObject({
        watermark: 62,
        operation: "compact",
      });
      const dp = await cat.query("SELECT value FROM bronze_meta.ducklake_metadata WHERE key = 'data_path'");
      expect(dp.rows[0].value).toBe("s3://cli-lake/lake/");
      const storage = s3.storage("s3://cli-lake/lake/", join(cache, "check"));
      const objects = (await storage.list("bronze/operations_row_v2/")).map((o) => o.path);
      expect(objects).toHaveLength(1); // two flushes compacted into one object, the replaced ones deleted
      const live = await cat.query(
        "SELECT 'bronze/operations_row_v2/' || f.path AS p, record_count::int AS n FROM bronze_meta.ducklake_data_file f JOIN bronze_meta.ducklake_table t USING (table_id) WHERE t.table_name = 'operations_row_v2' AND f.end_snapshot IS NULL",
      );
      expect(live.rows).toEqual([{ p: objects[0], n: 3 }]);
      expect(output).toContain("s3://cli-lake/lake/");
      expect(output).not.toContain(S3_SECRET);
    } finally {
      await hot.end();
      await cat.end();
      await s3.close();
      await rm(cache, { recursive: true, force: true });
    }
  });
});
