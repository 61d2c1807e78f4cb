/**
 * The flush service as a process (`pnpm stellar-lake flush`) against a private PostgreSQL 16 that is killed and
 * restarted (issue 22): it keeps flushing without a restart of its own, /health answers 503 with the reason
 * while it cannot flush, liveness stays separate, and the temporary files of a killed flush are swept on start.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latestFlushState } from "@stellar-lake/lake";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { type EmbeddedServer, freePort, repoRoot, startEmbeddedPostgres } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let server: EmbeddedServer;
let dataDir: string;
let port: number;
let work: string;
let hotUrl: string;
let catalogUrl: string;

const withDb = (admin: string, db: string) => {
  const u = new URL(admin);
  u.pathname = `/${db}`;
  return u.toString();
};

async function startPg() {
  server = await startEmbeddedPostgres({ dataDir, port, persistent: true, fast: true });
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function seed(seqs: number[]) {
  const c = new pg.Client({ connectionString: hotUrl });
  await c.connect();
  try {
    for (const s of seqs)
      for (const t of dataTables) {
        const row = sampleRow(t, s);
        if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - 60_000);
        const { text, values } = insertSql(t, row);
        await c.query(text, values);
      }
  } finally {
    await c.end();
  }
}

interface Health {
  code: number;
  body: Record<string, unknown>;
}

async function health(healthPort: number, path = "/health"): Promise<Health | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${healthPort}${path}`);
    return { code: r.status, body: (await r.json()) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

async function until<T>(what: string, f: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startFlusher(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "flush"],
    {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: hotUrl, DUCKLAKE_CATALOG_URL: catalogUrl, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (b) => {
    out += b;
  });
  child.stderr?.on("data", (b) => {
    out += b;
  });
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return await exited;
}

const watermark = async () => (await latestFlushState(pgPool(), "bronze_meta"))?.watermark;
let pool: pg.Pool | undefined;
const pgPool = () => {
  if (!pool) {
    pool = new pg.Pool({ connectionString: catalogUrl, max: 1 });
    pool.on("error", () => {});
  }
  return pool;
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "flusher-service-"));
  // A directory of its own: PostgreSQL runs as an unprivileged user when the tests run as root, and could not
  // enter one nested in another 0700 temp directory.
  dataDir = await mkdtemp(join(tmpdir(), "flusher-service-pg-"));
  port = await freePort();
  await startPg();
  await query(server.adminUrl, "CREATE DATABASE hot");
  await query(server.adminUrl, "CREATE DATABASE catalog");
  hotUrl = withDb(server.adminUrl, "hot");
  catalogUrl = withDb(server.adminUrl, "catalog");
  await migrateUp(hotUrl);
}, 120_000);

afterAll(async () => {
  await pool?.end().catch(() => {});
  await server?.stop();
  await rm(work, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe("the flush service survives PostgreSQL restarts (issue 22)", () => {
  it("recovers after the server is killed and restarted twice; /health is 503 with the reason meanwhile; temp files are swept", async () => {
    const healthPort = await freePort();
    const tempDir = join(work, "flush-tmp");
    // What a flusher SIGKILLed mid-flush leaves behind: swept when the next one starts.
    await mkdir(join(tempDir, "flush-left-by-a-killed-flush"), { recursive: true });
    await writeFile(join(tempDir, "flush-left-by-a-killed-flush", "ledgers_row_v2.csv"), "x\n");
    await seed([100, 101, 102]);
    const f = startFlusher({
      DUCKLAKE_DATA_PATH: join(work, "lake"),
      FLUSH_INTERVAL: "250ms",
      FLUSHER_HEALTH_PORT: String(healthPort),
      FLUSH_TEMP_DIR: tempDir,
      FLUSH_UNHEALTHY_AFTER: "2",
      FLUSH_COMPACT_EVERY: "0",
    });
    try {
      await until("the first flush", async () => (await watermark()) === 102);
      await until("healthy", async () => (await health(healthPort))?.code === 200);
      expect(await readdir(tempDir)).toEqual([]);

      let next = 103;
      for (const round of [1, 2]) {
        await server.crash();
        const down = await until(`503 after crash ${round}`, async () => {
          const h = await health(healthPort);
          return h && h.code === 503 ? h : undefined;
        });
        expect(down.body.status).toBe("unhealthy");
        expect(String(down.body.error)).toMatch(/unreachable|flusher lock|flushes failed/);
        // Liveness is separate: the process is not wedged, a supervisor need not restart it.
        expect((await health(healthPort, "/health/live"))?.code).toBe(200);
        expect((await health(healthPort, "/health/ready"))?.code).toBe(503);
        await startPg();
        // The crash emptied the UNLOGGED hot tables; new ledgers arrive after the restart.
        await seed([next, next + 1]);
        const target = next + 1;
        await until(
          `a flush after restart ${round}`,
          async () => (await watermark()) === target,
          90_000,
        ).catch((err: Error) => {
          throw new Error(`${err.message}\n${f.output().slice(-6000)}`);
        });
        await until(`healthy after restart ${round}`, async () => (await health(healthPort))?.code === 200);
        next += 2;
      }
      // The hot delete follows the catalog commit that moved the watermark.
      await until(
        "the flushed hot rows deleted",
        async () => (await query(hotUrl, "SELECT COUNT(*)::int AS n FROM ledgers_row_v2"))[0]!.n === 0,
      );
      expect(f.child.exitCode).toBeNull();
    } finally {
      const code = await stop(f.child);
      expect(code, f.output()).toBe(0);
    }
    expect(existsSync(join(tempDir, "flush-left-by-a-killed-flush"))).toBe(false);
  }, 300_000);
});
