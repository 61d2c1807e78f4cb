/**
 * A full disk under the lake path and the flush's temporary directory (issue 22 item 4), on a real small
 * filesystem: a tmpfs mounted for the test (needs root and mount rights; skipped with a message otherwise).
 * A flush that runs out of space fails cleanly — nothing committed, what it wrote removed, the hot rows kept —
 * the service's /health says why, and the next flush once space is back succeeds, without a restart.
 */
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, statfsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { latestFlushState } from "@stellar-lake/lake";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freePort, freshDatabase, repoRoot } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushOnce } from "../src/index";

const work = await mkdtemp(join(tmpdir(), "flusher-disk-full-"));
const mnt = join(work, "mnt");
let mounted = false;
try {
  await mkdir(mnt);
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt], { stdio: "pipe" });
  mounted = true;
} catch (err) {
  console.warn(
    `[flusher disk-full] skipped: cannot mount a small tmpfs here (${(err as Error).message.split("\n")[0]}); needs root and mount rights`,
  );
}

let hotUrl: string;
let catalogUrl: string;
let hot: pg.Client;
let catalog: pg.Client;
const lakeDir = join(mnt, "lake");
const tempDir = join(mnt, "tmp");
const filler = join(mnt, "filler");
const LEDGERS = Array.from({ length: 40 }, (_, i) => 100 + i);

/** Fill the filesystem so that only `leaveBytes` remain. */
async function fill(leaveBytes: number) {
  await rm(filler, { force: true });
  const st = statfsSync(mnt);
  const free = Number(st.bavail) * Number(st.bsize);
  await writeFile(filler, Buffer.alloc(Math.max(0, free - leaveBytes)));
}

const parquetFiles = () =>
  readdirSync(join(lakeDir, "bronze"), { recursive: true }).filter((f) => String(f).endsWith(".parquet"));
const hotLedgers = async () =>
  Number((await hot.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2")).rows[0].n);

beforeAll(async () => {
  if (!mounted) return;
  hotUrl = (await freshDatabase("diskfullhot")).url;
  catalogUrl = (await freshDatabase("diskfullcat")).url;
  await migrateUp(hotUrl);
  hot = new pg.Client({ connectionString: hotUrl });
  catalog = new pg.Client({ connectionString: catalogUrl });
  await hot.connect();
  await catalog.connect();
  await mkdir(lakeDir, { recursive: true });
  await mkdir(tempDir, { recursive: true });
});

afterAll(async () => {
  await hot?.end();
  await catalog?.end();
  if (mounted) execFileSync("umount", ["-l", mnt]);
  await rm(work, { recursive: true, force: true });
});

async function seed(seqs: number[]) {
  for (const s of seqs)
    for (const t of dataTables) {
      const row = sampleRow(t, s);
      if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - 60_000);
      const { text, values } = insertSql(t, row);
      await hot.query(text, values);
    }
}

describe.skipIf(!mounted)("a flush on a full disk (issue 22)", () => {
  it("fails cleanly: nothing committed, no file left in the lake or the temp dir, the hot rows kept; succeeds once space is back", async () => {
    await seed(LEDGERS);
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const opts = {
      hot,
      catalog,
      duck,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      dataPath: `${lakeDir}/`,
      minAgeMs: 0,
      tempDir,
    };
    // The catalog and the bronze folders exist (a first, empty flush), then the disk fills up.
    await flushOnce({ ...opts, maxLedgers: 1 });
    const before = await hotLedgers();
    const snapshotBefore = (await latestFlushState(catalog, "bronze_meta"))?.snapshotId;
    await fill(16 * 1024);
    await expect(flushOnce(opts)).rejects.toThrow(/space|ENOSPC/i);
    expect(await hotLedgers()).toBe(before);
    expect((await latestFlushState(catalog, "bronze_meta"))?.snapshotId).toBe(snapshotBefore);
    expect(parquetFiles()).toHaveLength(dataTables.length); // the first flush's only
    expect(await readdir(tempDir)).toEqual([]);
    const live = await catalog.query(
      "SELECT COUNT(*)::int AS n FROM bronze_meta.ducklake_data_file WHERE end_snapshot IS NULL",
    );
    expect(live.rows[0].n).toBe(dataTables.length);

    await rm(filler, { force: true });
    const r = await flushOnce(opts);
    expect(r).toMatchObject({ flushed: true, watermark: LEDGERS.at(-1) });
    expect(await hotLedgers()).toBe(0);
  }, 120_000);

  it("the running service answers 503 naming the cause while the disk is full, and flushes again once it is not", async () => {
    await seed(LEDGERS.map((s) => s + LEDGERS.length)); // consecutive after the first test's watermark
    const healthPort = await freePort();
    await fill(16 * 1024);
    let out = "";
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "flush"],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: hotUrl,
          DUCKLAKE_CATALOG_URL: catalogUrl,
          DUCKLAKE_DATA_PATH: lakeDir,
          FLUSH_TEMP_DIR: tempDir,
          FLUSH_INTERVAL: "300ms",
          FLUSHER_HEALTH_PORT: String(healthPort),
          FLUSH_UNHEALTHY_AFTER: "2",
          FLUSH_COMPACT_EVERY: "0",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout.on("data", (b) => {
      out += b;
    });
    child.stderr.on("data", (b) => {
      out += b;
    });
    const health = async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${healthPort}/health`);
        return { code: r.status, body: (await r.json()) as { error?: string } };
      } catch {
        return undefined;
      }
    };
    const until = async <T>(what: string, f: () => Promise<T | undefined | false>) => {
      const end = Date.now() + 120_000;
      for (;;) {
        const v = await f();
        if (v) return v;
        if (Date.now() > end) {
          const act = await hot.query(
            "SELECT datname, application_name, state, wait_event_type, wait_event, left(query, 120) AS q FROM pg_stat_activity WHERE backend_type = 'client backend'",
          );
          throw new Error(`timed out waiting for ${what}\n${JSON.stringify(act.rows)}\n${out.slice(-4000)}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      const down = await until("503", async () => {
        const h = await health();
        return h?.code === 503 && /space|ENOSPC/i.test(h.body.error ?? "") ? h : undefined;
      });
      expect(down.body.error).toMatch(/flushes failed/);
      await rm(filler, { force: true });
      const last = LEDGERS.at(-1)! + LEDGERS.length;
      await until("the flush once space is back", async () => {
        return (await latestFlushState(catalog, "bronze_meta"))?.watermark === last;
      });
      await until("200", async () => (await health())?.code === 200);
    } finally {
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      expect(await exited, out.slice(-4000)).toBe(0);
    }
  }, 180_000);
});
