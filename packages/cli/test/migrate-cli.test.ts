import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { migrations } from "@stellar-lake/schema";
import { freePort, freshDatabase, repoRoot, withDatabase } from "@stellar-lake/test-support";
import { describe, expect, inject, it } from "vitest";
import { createMigration } from "../src/create-migration";

const run = promisify(execFile);
const tsx = join(repoRoot, "node_modules/.bin/tsx");
const main = join(repoRoot, "packages/cli/src/main.ts");

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const r = await run(tsx, [main, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe("pnpm stellar-lake migrate", () => {
  it("applies, reports and reverts migrations against DATABASE_URL", async () => {
    const db = await freshDatabase("cli");
    const up = await cli(["migrate", "up"], { DATABASE_URL: db.url });
    expect(up.code, up.out).toBe(0);
    expect(up.out).toMatch(/applied: 0001_hot_buffer_tables/);
    const again = await cli(["migrate", "up"], { DATABASE_URL: db.url });
    expect(again.out).toMatch(/already up to date/);
    const version = await cli(["migrate", "version"], { DATABASE_URL: db.url });
    expect(version.out).toMatch(/pending: \(none\)/);
    const down = await cli(["migrate", "down", "2"], { DATABASE_URL: db.url });
    const [last, beforeLast] = Object.keys(migrations).reverse();
    expect(down.out).toContain(`reverted: ${last}, ${beforeLast}`);
    const bad = await cli(["migrate", "down", "x"], { DATABASE_URL: db.url });
    expect(bad.code).toBe(2);
  });

  it("says host, port, database and reason in one line for an unreachable server, never the password", async () => {
    const port = await freePort();
    const r = await cli(["migrate", "up"], {
      DATABASE_URL: `postgres://alice:s3cret-pw@127.0.0.1:${port}/hot`,
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `cannot connect to PostgreSQL at 127.0.0.1:${port}, database 'hot', user 'alice'`,
    );
    expect(r.out).toMatch(/connection refused/);
    expect(r.out).not.toContain("s3cret-pw");
    expect(r.out.trim().split("\n")).toHaveLength(1);
  });

  it("reports a wrong password without echoing it", async () => {
    const url = new URL(inject("pgAdminUrl"));
    url.password = "definitely-wrong-pw";
    const r = await cli(["migrate", "version"], { DATABASE_URL: url.toString() });
    expect(r.code).toBe(1);
    // A trust-auth server (TEST_DATABASE_URL) accepts any password; the embedded one checks it.
    if (!process.env.TEST_DATABASE_URL) expect(r.out).toMatch(/password authentication failed/);
    expect(r.out).not.toContain("definitely-wrong-pw");
  });

  it("reports a missing database", async () => {
    const r = await cli(["migrate", "up"], {
      DATABASE_URL: withDatabase(inject("pgAdminUrl"), "no_such_db_here"),
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/database 'no_such_db_here'.*database does not exist/);
  });

  it("rejects a URL that is not a PostgreSQL URL", async () => {
    const r = await cli(["migrate", "up"], { DATABASE_URL: "mysql://root:pw@localhost/x" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not a PostgreSQL URL/);
    expect(r.out).not.toContain(":pw@");
  });

  it("create writes the next numbered migration and registers it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "migrations-"));
    await copyFile(join(repoRoot, "packages/schema/src/migrations/index.ts"), join(dir, "index.ts"));
    for (const f of ["0001_a.ts", "0005_b.ts"]) await copyFile(join(dir, "index.ts"), join(dir, f));
    const file = await createMigration("Add fee stats!", dir);
    expect(file).toBe(join(dir, "0006_add_fee_stats.ts"));
    const index = await readFile(join(dir, "index.ts"), "utf8");
    expect(index).toContain('import * as m0006 from "./0006_add_fee_stats";');
    expect(index).toMatch(/"0006_add_fee_stats": m0006,\n};/);
    expect(await readFile(file, "utf8")).toContain('applyCatalogMigration(db, "0006")');
    await rm(dir, { recursive: true, force: true });
  });
});
