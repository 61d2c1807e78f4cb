import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureCatalog, ensureLakeTables } from "@stellar-lake/flusher";
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
