/**
 * Backfill in one process against real PostgreSQL (queue + catalog) and DuckDB: a datastore of re-sequenced
 * mainnet ledgers planned as jobs, run by a worker until empty, registered in ledger order. Every table of the
 * lake holds exactly the transform's rows (by key, values equal), the flush state advertises the contiguous
 * range, planning again plans nothing, and overlaps with the lake or the live pipeline are refused by name.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TransformPool } from "@stellar-lake/ingester";
import { deleteOrphanFiles, latestFlushState, pgCatalog } from "@stellar-lake/lake";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { openDatastoreAt, resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { afterFile, fixture, freshDatabase, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BackfillQueue,
  coldRange,
  liveRange,
  openDuck,
  openLake,
  planError,
  planJobs,
  repairLake,
  runWorker,
  verifyLake,
} from "../src/index";
import { lakeRows, transformRows } from "./testing";

const PUBNET = "Public Global Stellar Network ; September 2015";
const START = 5000;
const COUNT = 40;
const END = START + COUNT - 1;

let dir: string;
let ledgers: { sequence: number; xdr: Buffer }[];
let dbUrl: string;

/** Asserts every table holds exactly the transform's rows; returns how many tables have rows. */
async function tablesMatchTransform(catalog: pg.ClientBase, duck: Awaited<ReturnType<typeof openDuck>>) {
  const want = transformRows(ledgers, PUBNET);
  const got = await lakeRows(catalog, duck);
  let tablesWithRows = 0;
  for (const t of dataTables) {
    expect(got.get(t.name)?.length, t.name).toBe(want.get(t.name)?.length ?? 0);
    expect(got.get(t.name), t.name).toEqual(want.get(t.name) ?? []);
    if (want.get(t.name)?.length) tablesWithRows++;
  }
  return tablesWithRows;
}

describe.skipIf(!haveFixtures())("backfill: plan, work, register", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "backfill-"));
    afterFile(() => rm(dir, { recursive: true, force: true }));
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start: START, count: COUNT, closeTimeStart: 1_725_000_000 },
      ),
    ];
    // 64,000-file partitions as the public lake has them, 1 ledger per file.
    await writeDatastore(join(dir, "ds"), ledgers, {
      networkPassphrase: PUBNET,
      ledgersPerBatch: 1,
      batchesPerPartition: 64000,
    });
  });

  it("backfills every table with exactly the transform's rows, once, in a contiguous range", async () => {
    const db = await freshDatabase("bf");
    dbUrl = db.url;
    const target = {
      catalogUrl: db.url,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      dataPath: join(dir, "lake"),
    };
    const lake = await openLake(target);
    const queue = await BackfillQueue.open(db.url, {
      retryLimit: 2,
      heartbeatSeconds: 10,
      expireInSeconds: 600,
      superviseSeconds: 2,
    });
    const hot = new pg.Client({ connectionString: db.url });
    await hot.connect();
    try {
      const jobs = planJobs(START, END, 16);
      expect(jobs.map((j) => [j.first, j.last])).toEqual([
        [5000, 5007],
        [5008, 5023],
        [5024, 5039],
      ]);
      expect((await queue.plan(jobs)).planned).toHaveLength(3);
      expect(await queue.plan(jobs)).toEqual({ planned: [], existing: 3 });
      const ds = openDatastoreAt(join(dir, "ds"));
      const r = await runWorker({
        queue,
        lake,
        datastore: ds,
        hot,
        stamp: { eraId: "pubnet", versionLabel: "v1" },
        untilEmpty: true,
        pollMs: 200,
      });
      expect(r).toMatchObject({ jobs: 3, ledgers: COUNT, failedJobs: 0 });
      expect((await queue.counts()).jobs).toMatchObject({ registered: 3, queued: 0, running: 0, done: 0 });

      const st = await latestFlushState(lake.catalog, "bronze_meta");
      expect(st).toMatchObject({ watermark: END, operation: "backfill" });
      expect(await coldRange(lake.catalog, "bronze_meta")).toEqual({ oldest: START, watermark: END });

      // Every table: the lake's rows are the transform's rows, each once.
      const duck = await openDuck();
      expect(await tablesMatchTransform(lake.catalog, duck)).toBeGreaterThan(8);
      // One file per table per job, named by the job and its attempt.
      const files = await readdir(join(dir, "lake", "bronze", "ledgers_row_v2"));
      expect(files.sort()).toEqual([
        "ducklake-backfill-5000-5007-a0.parquet",
        "ducklake-backfill-5008-5023-a0.parquet",
        "ducklake-backfill-5024-5039-a0.parquet",
      ]);
      duck.closeSync();

      // The live pipeline: a hot buffer above the lake, an overlap named, a gap refused.
      await migrateUp(db.url);
      await hot.query(
        `INSERT INTO ledgers_row_v2 (sequence, ledger_hash, previous_ledger_hash, closed_at, protocol_version, total_coins,
          fee_pool, base_fee, base_reserve, max_tx_set_size, successful_tx_count, failed_tx_count, ledger_range,
          transaction_count, operation_count, tx_set_operation_count, ledger_header)
         SELECT s, 'h', 'p', now(), 21, 0, 0, 100, 5000000, 1000, 0, 0, 0, 0, 0, 0, 'x' FROM generate_series(6000, 6010) s`,
      );
      const live = await liveRange(hot);
      expect(live.hot).toEqual([6000, 6010]);
      const cold = await coldRange(lake.catalog, "bronze_meta");
      expect(planError({ first: 5030, last: 5100 }, cold, live, [])).toMatch(
        /ledgers 5030-5039 are already in the lake \(its history is 5000-5039\)/,
      );
      expect(planError({ first: 6005, last: 6100 }, undefined, live, [])).toMatch(
        /ledgers 6005-6010 are in the live pipeline's hot buffer \(it holds 6000-6010\)/,
      );
      expect(planError({ first: 4000, last: 4500 }, cold, live, [])).toMatch(
        /ledgers 4501-4999 would be missing/,
      );
      expect(planError({ first: 4000, last: 4999 }, cold, live, [])).toBeUndefined();
    } finally {
      await hot.end();
      await queue.close();
      await lake.close();
    }
  }, 300_000);

  it("verify finds injected gaps, duplicates and a broken chain; repair replaces the jobs' files in one snapshot", async () => {
    const lake = await openLake({
      catalogUrl: dbUrl,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      dataPath: join(dir, "lake"),
    });
    const queue = await BackfillQueue.open(dbUrl, {
      retryLimit: 2,
      heartbeatSeconds: 10,
      expireInSeconds: 600,
      superviseSeconds: 2,
    });
    const duck = await openDuck();
    const c = lake.catalog;
    const cat = pgCatalog(c, "bronze_meta");
    const m = '"bronze_meta"';
    try {
      const clean = await verifyLake(cat, duck, { schema: "bronze", from: START, to: END });
      expect(clean).toMatchObject({ ledgers: COUNT, issues: [] });
      const ledgersTable = Number(
        (await c.query(`SELECT table_id FROM ${m}.ducklake_table WHERE table_name = 'ledgers_row_v2'`))
          .rows[0].table_id,
      );
      const fileOf = async (job: string) =>
        (
          await c.query(`SELECT * FROM ${m}.ducklake_data_file WHERE table_id = $1 AND path = $2`, [
            ledgersTable,
            `ducklake-backfill-${job}-a0.parquet`,
          ])
        ).rows[0];
      // A gap: the second job's ledgers file is gone from the catalog.
      const gapFile = await fileOf("5008-5023");
      await c.query(`DELETE FROM ${m}.ducklake_data_file WHERE data_file_id = $1`, [gapFile.data_file_id]);
      // A duplicate: the third job's ledgers file registered twice.
      const dup = await fileOf("5024-5039");
      const nextId = Number(
        (await c.query(`SELECT MAX(data_file_id) + 100 AS n FROM ${m}.ducklake_data_file`)).rows[0].n,
      );
      await c.query(
        `INSERT INTO ${m}.ducklake_data_file SELECT $2, table_id, begin_snapshot, end_snapshot, file_order, path,
           path_is_relative, file_format, record_count, file_size_bytes, footer_size, row_id_start + 1000000,
           partition_id, encryption_key, mapping_id, partial_max FROM ${m}.ducklake_data_file WHERE data_file_id = $1`,
        [dup.data_file_id, nextId],
      );
      await c.query(
        `INSERT INTO ${m}.ducklake_file_column_stats SELECT $2, table_id, column_id, column_size_bytes, value_count,
           null_count, min_value, max_value, contains_nan, extra_stats FROM ${m}.ducklake_file_column_stats WHERE data_file_id = $1`,
        [dup.data_file_id, nextId],
      );
      // A broken chain: ledger 5003's previous-ledger hash rewritten in the first job's file.
      const first = await fileOf("5000-5007");
      const path = join(dir, "lake", "bronze", "ledgers_row_v2", first.path);
      const broken = join(dir, "lake", "bronze", "ledgers_row_v2", "broken.parquet");
      const fieldIdsSql = [...lake.lake.get("ledgers_row_v2")!.columnIds]
        .map(([name, id]) => `"${name}": ${id}`)
        .join(", ");
      await duck.run(
        `COPY (SELECT * REPLACE (CASE WHEN sequence = 5003 THEN '${"ab".repeat(32)}' ELSE previous_ledger_hash END AS previous_ledger_hash)
         FROM read_parquet('${path}')) TO '${broken}' (FORMAT parquet, FIELD_IDS {${fieldIdsSql}})`,
      );
      const fieldIds = (
        await duck.runAndReadAll(`SELECT COUNT(field_id) AS n FROM parquet_schema('${broken}')`)
      ).getRowObjectsJson();
      expect(Number(fieldIds[0]!.n)).toBeGreaterThan(0);
      const { stat, rename } = await import("node:fs/promises");
      await rename(broken, path);
      await c.query(`UPDATE ${m}.ducklake_data_file SET file_size_bytes = $2 WHERE data_file_id = $1`, [
        first.data_file_id,
        (await stat(path)).size,
      ]);

      const v = await verifyLake(cat, duck, { schema: "bronze", from: START, to: END });
      expect(v.issues.map((i) => [i.kind, i.from, i.to])).toEqual([
        ["chain", 5003, 5003],
        ["gap", 5008, 5023],
        ["duplicate", 5024, 5039],
      ]);
      expect(v.issues[0]!.detail).toMatch(
        /^ledger 5003's previous-ledger hash (ab){32} is not ledger 5002's hash [0-9a-f]{64}$/,
      );
      expect(v.issues.slice(1).map((i) => i.detail)).toEqual([
        "ledgers 5008-5023 missing (16)",
        "ledgers 5024-5039 stored 2 times",
      ]);

      // The CLI says the same and exits 1.
      const cli = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          join(repoRoot, "packages/cli/src/main.ts"),
          "lake",
          "verify",
          "--from",
          String(START),
          "--to",
          String(END),
        ],
        { env: { ...process.env, DUCKLAKE_CATALOG_URL: dbUrl, DATABASE_URL: dbUrl }, encoding: "utf8" },
      );
      expect(cli.status, cli.stderr).toBe(1);
      expect(cli.stdout).toContain("gap: ledgers 5008-5023 missing (16)");
      expect(cli.stdout).toContain("duplicate: ledgers 5024-5039 stored 2 times");
      expect(cli.stdout).toContain("chain: ledger 5003's previous-ledger hash");

      const snapBefore = Number(
        (await c.query(`SELECT MAX(snapshot_id) AS s FROM ${m}.ducklake_snapshot`)).rows[0].s,
      );
      const pool = new TransformPool({
        module: new URL("../src/transformer.ts", import.meta.url).href,
        config: { passphrase: PUBNET, stamp: { eraId: "pubnet", versionLabel: "v1" } },
        size: 1,
      });
      try {
        const r = await repairLake({
          lake,
          duck,
          queue,
          from: START,
          to: END,
          job: { datastore: openDatastoreAt(join(dir, "ds")), pool, workDir: join(dir, "work") },
        });
        expect(r.ranges).toEqual([{ first: START, last: END }]);
        expect(r.snapshotId).toBe(snapBefore + 1);
      } finally {
        await pool.close();
      }
      expect((await verifyLake(cat, duck, { schema: "bronze", from: START, to: END })).issues).toEqual([]);
      await tablesMatchTransform(c, duck);
      expect(await latestFlushState(c, "bronze_meta")).toMatchObject({ watermark: END, operation: "repair" });
    } finally {
      duck.closeSync();
      await queue.close();
      await lake.close();
    }
  }, 300_000);

  it("a flusher's orphan sweep (no grace) leaves unregistered backfill files alone, not other orphans", async () => {
    const lake = await openLake({
      catalogUrl: dbUrl,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      dataPath: join(dir, "lake"),
    });
    try {
      const folder = join(dir, "lake", "bronze", "ledgers_row_v2");
      const backfill = join(folder, "ducklake-backfill-9000-9099-a0.parquet");
      // A crashed flush's file, named as the flusher names them (uuid v4; other writers' names get a grace period).
      const other = join(folder, "ducklake-00000000-0000-4000-8000-000000000000.parquet");
      await writeFile(backfill, "x");
      await writeFile(other, "x");
      const deleted = await deleteOrphanFiles({
        catalog: lake.catalog,
        metaSchema: "bronze_meta",
        lakeSchema: "bronze",
        dataPath: lake.dataPath,
        olderThanMs: 0,
      });
      expect(deleted).toEqual([other]);
      expect(existsSync(backfill)).toBe(true);
      await rm(backfill);
    } finally {
      await lake.close();
    }
  });
});
