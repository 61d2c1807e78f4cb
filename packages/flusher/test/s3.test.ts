/**
 * DuckLake bronze on S3-compatible object storage, against a real S3 HTTP server (s3rver on a local port), real
 * PostgreSQL and real DuckDB: flush → read back, compaction + cleanup deleting the replaced objects, the orphan
 * sweep, a failed upload committing nothing (and leaking no secret), and the bounded download cache.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  deleteOrphanFiles,
  type LakeStorage,
  lakeStorage,
  latestWatermark,
  maintainLake,
  pgCatalog,
  readLakeTable,
  S3LakeStorage,
} from "@stellar-lake/lake";
import { startS3, type TestS3 } from "@stellar-lake/lake/testing";
import { dataTables, migrateUp, type TableDef } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushOnce } from "../src/index";

const BUCKET = "lake-test";
const DATA_PATH = `s3://${BUCKET}/bronze-lake/`;
const meta = "bronze_meta";

let s3: TestS3;
let hot: pg.Client;
let catalog: pg.Client;
let duck: DuckDBConnection;
let tmp: string;
let catalogUrl: string;

async function seed(seqs: number[]) {
  for (const s of seqs) {
    for (const t of dataTables) {
      const row = sampleRow(t, s);
      if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - 60_000);
      const { text, values } = insertSql(t, row);
      await hot.query(text, values);
    }
  }
}

/** A value as comparable text whichever store it came from (pg's parsers vs DuckDB's JSON rows). */
function norm(t: TableDef, row: Record<string, unknown>): string {
  return JSON.stringify(
    t.columns.map((c) => {
      const v = row[c.name];
      if (v === null || v === undefined) return null;
      if (c.pg === "TIMESTAMPTZ") {
        const d =
          v instanceof Date
            ? v
            : new Date(
                String(v)
                  .replace(" ", "T")
                  .replace(/([+-]\d\d)$/, "$1:00"),
              );
        return d.toISOString();
      }
      return String(v);
    }),
  );
}

async function hotRows(t: TableDef): Promise<string[]> {
  return (await hot.query(`SELECT * FROM ${t.name}`)).rows.map((r) => norm(t, r)).sort();
}

async function coldRows(t: TableDef, storage?: S3LakeStorage): Promise<string[]> {
  const r = await readLakeTable(pgCatalog(catalog, meta), duck, {
    schema: "bronze",
    table: t.name,
    ...(storage ? { storage } : {}),
  });
  return r.rows.map((x) => norm(t, x)).sort();
}

async function objects(storage: S3LakeStorage): Promise<string[]> {
  return (await storage.list("bronze/")).map((o) => o.path).sort();
}

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
  const h = await freshDatabase("s3hot");
  await migrateUp(h.url);
  hot = new pg.Client({ connectionString: h.url });
  await hot.connect();
  catalogUrl = (await freshDatabase("s3cat")).url;
  catalog = new pg.Client({ connectionString: catalogUrl });
  await catalog.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  tmp = await mkdtemp(join(tmpdir(), "s3-test-"));
});
afterAll(async () => {
  await hot?.end();
  await catalog?.end();
  duck?.closeSync();
  await s3?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe("DuckLake on S3", () => {
  /** The flusher's options for this file's lake in the bucket, through `storage`. */
  const lakeOn = (storage: LakeStorage) => ({
    hot,
    catalog,
    duck,
    metaSchema: meta,
    lakeSchema: "bronze",
    dataPath: DATA_PATH,
    storage,
    minAgeMs: 0,
  });

  it("a flush uploads every table's Parquet object before the commit; read back, the rows are the hot buffer's", async () => {
    const storage = s3.storage(DATA_PATH, join(tmp, "cache-flush"));
    await seed([200, 201, 202]);
    const before = new Map<string, string[]>();
    for (const t of dataTables) before.set(t.name, await hotRows(t));
    const r = await flushOnce(lakeOn(storage));
    expect(r).toMatchObject({ flushed: true, watermark: 202 });
    const dp = await catalog.query(`SELECT value FROM ${meta}.ducklake_metadata WHERE key = 'data_path'`);
    expect(dp.rows[0].value).toBe(DATA_PATH);
    // One object per table, named as the catalog names them.
    const keys = await objects(storage);
    expect(keys).toHaveLength(dataTables.length);
    const registered = await catalog.query(
      `SELECT 'bronze/' || t.path || f.path AS p FROM ${meta}.ducklake_data_file f JOIN ${meta}.ducklake_table t USING (table_id) ORDER BY 1`,
    );
    expect(registered.rows.map((x) => x.p)).toEqual(keys);
    expect((await hot.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2")).rows[0].n).toBe(0);
    for (const t of dataTables) {
      expect(before.get(t.name)!.length, t.name).toBe(3);
      expect(await coldRows(t, storage), t.name).toEqual(before.get(t.name));
    }
    // The reader alone (no storage given) builds one from the environment's S3 settings.
    const env = s3.env(join(tmp, "cache-env"));
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const t = dataTables.find((x) => x.name === "operations_row_v2")!;
      expect(await coldRows(t)).toEqual(before.get(t.name));
    } finally {
      for (const k of Object.keys(env)) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it("a failed upload commits nothing, names the object and not the secret; the rows stay in hot", async () => {
    const secret = "do-not-leak-Xq81vT0";
    const storage = lakeStorage(DATA_PATH, {
      ...s3.env(join(tmp, "cache-bad")),
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_ACCESS_KEY_ID: "WRONGKEY",
    });
    await seed([203]);
    const snaps = (await catalog.query(`SELECT COUNT(*)::int AS n FROM ${meta}.ducklake_snapshot`)).rows[0].n;
    const err = await flushOnce(lakeOn(storage)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(
      /upload of s3:\/\/lake-test\/bronze-lake\/bronze\/\w+\/ducklake-[0-9a-f-]+\.parquet failed/,
    );
    expect(err!.message).not.toContain(secret);
    expect(String(err!.stack)).not.toContain(secret);
    expect((await catalog.query(`SELECT COUNT(*)::int AS n FROM ${meta}.ducklake_snapshot`)).rows[0].n).toBe(
      snaps,
    );
    expect(await latestWatermark(catalog, meta)).toBe(202);
    expect((await hot.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2")).rows[0].n).toBe(1);
    // Nothing new in the bucket.
    const good = s3.storage(DATA_PATH, join(tmp, "cache-check"));
    expect(await objects(good)).toHaveLength(dataTables.length);
  });

  it("compaction reads through the cache, uploads the merged objects; cleanup deletes the replaced ones", async () => {
    // A 1-byte cache: a merge's sources are pinned while it reads them, or they would evict each other.
    const storage = s3.storage(DATA_PATH, join(tmp, "cache-compact"), 1);
    const opts = lakeOn(storage);
    await seed([204]);
    expect(await flushOnce(opts)).toMatchObject({ flushed: true, watermark: 204 });
    const t = dataTables.find((x) => x.name === "transactions_row_v2")!;
    const rowsBefore = await coldRows(t, storage);
    expect(rowsBefore).toHaveLength(5); // 200–202, 203 (left by the failed flush), 204
    const replaced = await objects(storage);
    expect(replaced).toHaveLength(2 * dataTables.length);
    // Compaction and cleanup with no retention: every table's two files become one.
    const r = await maintainLake({ ...opts, retentionMs: 0, targetFileBytes: 64 * 1024 * 1024 });
    expect(Object.keys(r.compact.tables)).toHaveLength(dataTables.length);
    expect(storage.cache.usedBytes).toBe(0); // released, then evicted down to the budget
    expect(r.cleanup!.deletedFiles).toHaveLength(2 * dataTables.length);
    expect(r.cleanup!.deletedFiles.every((f) => f.startsWith(`${DATA_PATH}bronze/`))).toBe(true);
    const after = await objects(storage);
    expect(after).toHaveLength(dataTables.length);
    expect(after.filter((k) => replaced.includes(k))).toEqual([]);
    const live = await catalog.query(
      `SELECT 'bronze/' || t.path || f.path AS p FROM ${meta}.ducklake_data_file f JOIN ${meta}.ducklake_table t USING (table_id) WHERE f.end_snapshot IS NULL ORDER BY 1`,
    );
    expect(live.rows.map((x) => x.p)).toEqual(after);
    // Same rows, read from the merged objects by a fresh cache.
    expect(await coldRows(t, s3.storage(DATA_PATH, join(tmp, "cache-after")))).toEqual(rowsBefore);
    // The replaced objects were dropped from the compaction's cache too.
    for (const k of replaced)
      expect(existsSync(join(tmp, "cache-compact", BUCKET, "bronze-lake", k))).toBe(false);
  });

  it("the orphan sweep deletes unreferenced objects in the table folders and nothing else", async () => {
    const storage = s3.storage(DATA_PATH, join(tmp, "cache-orphans"));
    const live = await objects(storage);
    const f = join(tmp, "orphan.parquet");
    await writeFile(f, "not registered");
    await storage.put(f, "bronze/ledgers_row_v2/ducklake-00000000-0000-4000-8000-00000000000a.parquet");
    await storage.put(f, "bronze/ledgers_row_v2/notes.txt");
    const deleted = await deleteOrphanFiles({
      catalog,
      metaSchema: meta,
      lakeSchema: "bronze",
      dataPath: DATA_PATH,
      storage,
    });
    expect(deleted).toEqual([
      `${DATA_PATH}bronze/ledgers_row_v2/ducklake-00000000-0000-4000-8000-00000000000a.parquet`,
    ]);
    expect(await objects(storage)).toEqual([...live, "bronze/ledgers_row_v2/notes.txt"].sort());
  });
  it("a flush killed after its uploads leaves orphan objects; the next flusher start removes them", async () => {
    const storage = s3.storage(DATA_PATH, join(tmp, "cache-crash"));
    const opts = lakeOn(storage);
    const before = await objects(storage);
    await seed([205]);
    await expect(
      flushOnce({
        ...opts,
        catalog,
        failpoint: (n) => {
          if (n === "after-parquet-write") throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    const orphans = (await objects(storage)).filter((k) => !before.includes(k));
    expect(orphans).toHaveLength(dataTables.length);
    expect(await latestWatermark(catalog, meta)).toBe(204);
    // A new flusher process: a new catalog connection, whose first flush sweeps the orphans, then flushes 205.
    const restarted = new pg.Client({ connectionString: catalogUrl });
    await restarted.connect();
    try {
      expect(await flushOnce({ ...opts, catalog: restarted })).toMatchObject({
        flushed: true,
        watermark: 205,
      });
    } finally {
      await restarted.end();
    }
    const now = await objects(storage);
    expect(now.filter((k) => orphans.includes(k))).toEqual([]);
    expect(now).toHaveLength(before.length + dataTables.length);
    const t = dataTables.find((x) => x.name === "ledgers_row_v2")!;
    expect((await coldRows(t, storage)).length).toBe(6); // 200–205, once each
  });
});

describe("the S3 read cache", () => {
  it("keeps within its byte budget, evicting the least recently used file, and re-downloads an evicted one", async () => {
    const src = join(tmp, "blob");
    await writeFile(src, Buffer.alloc(1000, 7));
    const up = s3.storage(`s3://${BUCKET}/cache-test/`, join(tmp, "cache-up"));
    for (const k of ["a", "b", "c"]) await up.put(src, `x/${k}.bin`);
    const cacheDir = join(tmp, "cache-lru");
    const s = s3.storage(`s3://${BUCKET}/cache-test/`, cacheDir, 2500);
    const pa = await s.localPath("x/a.bin");
    await s.localPath("x/b.bin");
    await s.localPath("x/a.bin"); // a is now more recent than b
    expect(s.gets()).toBe(2);
    await s.localPath(`s3://${BUCKET}/cache-test/x/c.bin`); // 3,000 bytes > 2,500: b goes
    expect(s.gets()).toBe(3);
    expect(s.cache.usedBytes).toBeLessThanOrEqual(2500);
    const onDisk = (await readdir(join(cacheDir, BUCKET, "cache-test", "x"))).sort();
    expect(onDisk).toEqual(["a.bin", "c.bin"]);
    expect(existsSync(pa)).toBe(true);
    await s.localPath("x/b.bin"); // evicted: downloaded again (and a goes)
    expect(s.gets()).toBe(4);
    expect((await readdir(join(cacheDir, BUCKET, "cache-test", "x"))).sort()).toEqual(["b.bin", "c.bin"]);
  });

  it("a pinned file is not evicted until released; then the budget holds again", async () => {
    const cacheDir = join(tmp, "cache-pin");
    const s = s3.storage(`s3://${BUCKET}/cache-test/`, cacheDir, 1500);
    const a = await s.pin("x/a.bin");
    const b = await s.pin("x/b.bin");
    await s.localPath("x/c.bin"); // 3,000 bytes: only c itself may not go, a and b are pinned
    expect(s.cache.usedBytes).toBe(3000);
    expect([existsSync(a.path), existsSync(b.path)]).toEqual([true, true]);
    await a.release();
    expect(existsSync(a.path)).toBe(false); // least recently used and unpinned: evicted
    await b.release();
    await b.release(); // twice is harmless
    expect(s.cache.usedBytes).toBeLessThanOrEqual(1500);
    expect(s.gets()).toBe(3);
  });

  it("downloads an object once under concurrent requests; no temporary files are left", async () => {
    const src = join(tmp, "big");
    await writeFile(src, Buffer.alloc(3 * 1024 * 1024, 1));
    const up = s3.storage(`s3://${BUCKET}/cache-test/`, join(tmp, "cache-up2"));
    await up.put(src, "y/big.bin");
    const cacheDir = join(tmp, "cache-conc");
    const s = s3.storage(`s3://${BUCKET}/cache-test/`, cacheDir);
    const paths = await Promise.all(Array.from({ length: 8 }, () => s.localPath("y/big.bin")));
    expect(new Set(paths).size).toBe(1);
    expect(s.gets()).toBe(1);
    expect(await readdir(join(cacheDir, BUCKET, "cache-test", "y"))).toEqual(["big.bin"]);
    const r = await duck.runAndReadAll(`SELECT size FROM read_blob('${paths[0]}')`);
    expect(Number(r.getRowObjectsJson()[0]!.size)).toBe(3 * 1024 * 1024);
  });

  it("the settings come from the environment; a bad cache size is an error naming the variable", () => {
    const env = s3.env(join(tmp, "cache-env2"), 3);
    const s = lakeStorage("s3://lake-test/p", env) as S3LakeStorage;
    expect(s).toBeInstanceOf(S3LakeStorage);
    expect([s.dataPath, s.bucket, s.prefix, s.cache.budget]).toEqual([
      "s3://lake-test/p/",
      "lake-test",
      "p/",
      3 * 1024 * 1024,
    ]);
    expect(s.client.config.forcePathStyle).toBe(true);
    expect(lakeStorage("/tmp/lake", env).remote).toBe(false);
    expect(() => lakeStorage("s3://lake-test/p/", { ...env, DUCKLAKE_CACHE_MB: "lots" })).toThrow(
      "DUCKLAKE_CACHE_MB must be a positive number of MiB, got 'lots'",
    );
    expect(() => s.lakePathOf("s3://other-bucket/p/x.parquet")).toThrow(
      "is not under the data path s3://lake-test/p/",
    );
  });

  it("files a previous process cached are served without a download and count against the budget", async () => {
    const cacheDir = join(tmp, "cache-restart");
    const first = s3.storage(`s3://${BUCKET}/cache-test/`, cacheDir, 2500);
    await first.localPath("x/a.bin");
    await first.localPath("x/b.bin");
    const dir = join(cacheDir, BUCKET, "cache-test", "x");
    const stale = join(dir, `c.bin.tmp-${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`);
    await writeFile(stale, "a download that died");
    await utimes(stale, new Date(Date.now() - 7200_000), new Date(Date.now() - 7200_000));
    const second = s3.storage(`s3://${BUCKET}/cache-test/`, cacheDir, 2500);
    await second.localPath("x/b.bin");
    expect(second.gets()).toBe(0);
    expect(second.cache.usedBytes).toBe(2000);
    expect(existsSync(stale)).toBe(false);
    await second.localPath("x/c.bin"); // over budget: a (inherited, never used here) goes first
    expect(second.gets()).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(["b.bin", "c.bin"]);
  });

  it("a missing object is an error naming it", async () => {
    const s = s3.storage(`s3://${BUCKET}/cache-test/`, join(tmp, "cache-missing"));
    await expect(s.localPath("nope/missing.parquet")).rejects.toThrow(
      /download of s3:\/\/lake-test\/cache-test\/nope\/missing\.parquet failed \(HTTP 404\)/,
    );
    expect(existsSync(join(tmp, "cache-missing", BUCKET, "cache-test", "nope"))).toBe(true);
    expect(await readdir(join(tmp, "cache-missing", BUCKET, "cache-test", "nope"))).toEqual([]);
  });
});
