/**
 * The compose PostgreSQL's init SQL (infra/postgres/initdb/10-stellar-lake.sql), run with psql as the postgres
 * image's entrypoint would, then the migrations: every service's login can do its job and no more.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { migrateUp, ROLES } from "@stellar-lake/schema";
import { freshDatabase, withDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CATALOG_DATABASE, composeLogins } from "../scripts/init-sql";
import { infraPath } from "./support";

const run = promisify(execFile);
const psql = ["/usr/bin/psql", "/usr/local/bin/psql"].find((p) => existsSync(p));
if (!psql) console.warn("[infra] psql is not installed: the compose init SQL test is SKIPPED");

describe.skipIf(!psql)("compose init SQL + migrations", () => {
  // Unique names so the cluster-wide logins and the catalog database do not collide with anything else.
  const tag = randomBytes(3).toString("hex");
  const catalogDb = `${CATALOG_DATABASE}_${tag}`;
  const user = (u: string) => `${u}_${tag}`;
  const passwords = Object.fromEntries(composeLogins.map((l) => [l.passwordEnv, `${l.role}-${tag}-'"`]));
  let hotUrl: string;
  let dir: string;
  const clients: pg.Client[] = [];

  function localize(sql: string): string {
    let out = sql.replaceAll(CATALOG_DATABASE, catalogDb);
    for (const l of composeLogins)
      out = out.replaceAll(`"${l.user}"`, `"${user(l.user)}"`).replaceAll(`'${l.user}'`, `'${user(l.user)}'`);
    return out;
  }

  async function runInit(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    const file = join(dir, "init.sql");
    writeFileSync(file, localize(readFileSync(infraPath("postgres/initdb/10-stellar-lake.sql"), "utf8")));
    const admin = new URL(hotUrl);
    try {
      await run(psql!, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", hotUrl, "-f", file], {
        env: { PATH: process.env.PATH, PGPASSWORD: decodeURIComponent(admin.password), ...env },
      });
      return { code: 0, stderr: "" };
    } catch (e) {
      const err = e as { code?: number; stderr?: string };
      return { code: err.code ?? -1, stderr: err.stderr ?? "" };
    }
  }

  async function login(l: (typeof composeLogins)[number], database: string): Promise<pg.Client> {
    const u = new URL(withDatabase(hotUrl, database));
    u.username = user(l.user);
    u.password = passwords[l.passwordEnv]!;
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    const db = await freshDatabase("initdb");
    hotUrl = db.url;
    dir = mkdtempSync(join(tmpdir(), "initdb-"));
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${catalogDb}" WITH (FORCE)`);
      if (hotUrl)
        await admin.query(`DROP DATABASE IF EXISTS "${new URL(hotUrl).pathname.slice(1)}" WITH (FORCE)`);
      for (const l of composeLogins) await admin.query(`DROP ROLE IF EXISTS "${user(l.user)}"`);
    } finally {
      await admin.end();
    }
  });

  it("refuses to run without the service passwords", async () => {
    const r = await runInit({});
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("INGESTER_DB_PASSWORD is not set");
  });

  it("creates the catalog database and the logins; after migrating, each login has exactly its role's rights", async () => {
    const r = await runInit(passwords);
    expect(r.stderr).toBe("");
    // Idempotent: the entrypoint runs it once, but an operator may re-run it to rotate passwords.
    expect((await runInit(passwords)).code).toBe(0);
    await migrateUp(hotUrl);
    const hotName = new URL(hotUrl).pathname.slice(1);
    const [ingester, flusher, api] = composeLogins;
    const ing = await login(ingester!, hotName);
    await ing.query("BEGIN");
    await ing.query(
      "INSERT INTO stellar_lake.ingest_checkpoint (pipeline, last_ledger, last_ledger_hash) VALUES ('x', 1, 'h')",
    );
    await ing.query("ROLLBACK");
    const reader = await login(api!, hotName);
    await expect(reader.query("DELETE FROM public.ledgers_row_v2")).rejects.toMatchObject({ code: "42501" });
    expect((await reader.query("SELECT COUNT(*)::int AS n FROM public.ledgers_row_v2")).rows[0].n).toBe(0);

    const fl = await login(flusher!, catalogDb);
    await fl.query("CREATE TABLE ducklake_metadata (key TEXT, value TEXT)");
    const owner = await fl.query("SELECT tableowner FROM pg_tables WHERE tablename = 'ducklake_metadata'");
    expect(owner.rows[0].tableowner).toBe(ROLES.flusher);
    const apiCatalog = await login(api!, catalogDb);
    expect((await apiCatalog.query("SELECT COUNT(*)::int AS n FROM ducklake_metadata")).rows[0].n).toBe(0);
    await expect(apiCatalog.query("INSERT INTO ducklake_metadata VALUES ('a', 'b')")).rejects.toMatchObject({
      code: "42501",
    });
  });
});
