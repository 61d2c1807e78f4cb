import { readdirSync, rmSync, statSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  deleteOrphanFiles,
  latestFlushState,
  latestWatermark,
  pgCatalog,
  readLakeTable,
} from "@stellar-lake/lake";
import { readColdState } from "@stellar-lake/pipeline-state";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushOnce } from "../src/index";
import { copyDoneSplitProxy } from "./split-proxy";

let hotUrl: string;
let hot: pg.Client;
let catalog: pg.Client;
let sweeper: pg.Client;
let dir: string;
let catUrl: string;

async function seed(seqs: number[], ageMs = 60_000) {
  for (const s of seqs) {
    for (const t of dataTables) {
      const row = sampleRow(t, s);
      if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - ageMs);
      const { text, values } = insertSql(t, row);
      await hot.query(text, values);
    }
  }
}

beforeAll(async () => {
  const h = await freshDatabase("flushhot");
  await migrateUp(h.url);
  hotUrl = h.url;
  hot = new pg.Client({ connectionString: h.url });
  await hot.connect();
  catUrl = (await freshDatabase("flushcat")).url;
  catalog = new pg.Client({ connectionString: catUrl });
  await catalog.connect();
  sweeper = new pg.Client({ connectionString: catUrl });
  await sweeper.connect();
  dir = await mkdtemp(join(tmpdir(), "flush-lake-"));
});
afterAll(async () => {
  await hot?.end();
  await catalog?.end();
  await sweeper?.end();
  await rm(dir, { recursive: true, force: true });
});

function flushOptions(duck: DuckDBConnection, minAgeMs: number) {
  return {
    hot,
    catalog,
    duck,
    metaSchema: "bronze_meta",
    lakeSchema: "bronze",
    dataPath: `${dir}/`,
    minAgeMs,
  };
}

describe("flushOnce", () => {
  it("moves (W, W'] of every table to bronze in one snapshot, records W', then deletes exactly those hot rows", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const opts = flushOptions(duck, 30_000);
    await seed([100, 101, 102]);
    await seed([103], 1_000); // too young to flush
    const r1 = await flushOnce(opts);
    expect(r1).toMatchObject({ flushed: true, watermark: 102, range: [100, 102] });
    expect(Object.values(r1.rowsPerTable).every((n) => n === 3)).toBe(true);
    expect(await latestWatermark(catalog, "bronze_meta")).toBe(102);
    const left = await hot.query(
      "SELECT array_agg(sequence ORDER BY sequence)::int[] AS s FROM ledgers_row_v2",
    );
    expect(left.rows[0].s).toEqual([103]);
    // All 20 tables' files are in the one snapshot.
    const files = await catalog.query(
      "SELECT begin_snapshot, COUNT(*)::int AS n FROM bronze_meta.ducklake_data_file GROUP BY 1",
    );
    expect(files.rows).toEqual([{ begin_snapshot: String(r1.snapshotId), n: 20 }]);
    expect(
      (await readdir(join(dir, "bronze", "transactions_row_v2"))).filter((f) => f.endsWith(".parquet")),
    ).toHaveLength(1);
    // Nothing ready: no snapshot. Later ledgers: the next range starts after W.
    const r2 = await flushOnce({ ...opts, minAgeMs: 30_000 });
    expect(r2.flushed).toBe(false);
    await seed([104, 105]);
    const r3 = await flushOnce({ ...opts, minAgeMs: 0 });
    expect(r3).toMatchObject({ flushed: true, watermark: 105, range: [103, 105] });
    const cold = await duck.runAndReadAll(
      `SELECT COUNT(*)::INT AS n, MIN(ledger_sequence)::INT AS lo, MAX(ledger_sequence)::INT AS hi FROM read_parquet('${dir}/bronze/operations_row_v2/*.parquet')`,
    );
    expect(cold.getRowObjectsJson()).toEqual([{ n: 6, lo: 100, hi: 105 }]);
    expect((await hot.query("SELECT COUNT(*)::int AS n FROM operations_row_v2")).rows[0].n).toBe(0);
    // Read back through the catalog: all rows at the latest snapshot, the first flush's only at its snapshot, and
    // a one-ledger range opens only the file whose stats cover it.
    const cat = pgCatalog(catalog, "bronze_meta");
    const all = await readLakeTable(cat, duck, { schema: "bronze", table: "operations_row_v2" });
    expect(all.rows.map((r) => Number(r.ledger_sequence)).sort()).toEqual([100, 101, 102, 103, 104, 105]);
    expect(all.files).toHaveLength(2);
    const old = await readLakeTable(cat, duck, {
      schema: "bronze",
      table: "operations_row_v2",
      snapshot: r1.snapshotId!,
    });
    expect(old.rows.map((r) => Number(r.ledger_sequence)).sort()).toEqual([100, 101, 102]);
    const one = await readLakeTable(cat, duck, {
      schema: "bronze",
      table: "operations_row_v2",
      range: { column: "ledger_sequence", from: 104, to: 104 },
    });
    expect(one.files).toEqual([all.files[1]]);
  });

  it("a crash after the catalog commit leaves flushed rows in hot; the next flush deletes them first", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const opts = flushOptions(duck, 0);
    await seed([106, 107]);
    await expect(
      flushOnce({
        ...opts,
        failpoint: (n) => {
          if (n === "after-catalog-commit") throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect(await latestWatermark(catalog, "bronze_meta")).toBe(107);
    expect((await hot.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2")).rows[0].n).toBe(2); // still in hot too
    const r = await flushOnce(opts);
    expect(r.flushed).toBe(false);
    expect(r.deletedPerTable.ledgers_row_v2).toBe(2);
    expect((await hot.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2")).rows[0].n).toBe(0);
  });

  it("a file removed (as an orphan) between its write and the commit is noticed: nothing is committed", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const opts = flushOptions(duck, 0);
    await seed([108]);
    const before = await latestWatermark(catalog, "bronze_meta");
    const folder = join(dir, "bronze", "ledgers_row_v2");
    let removed = "";
    const err = await flushOnce({
      ...opts,
      failpoint: (n) => {
        if (n !== "after-parquet-write") return;
        // What a sweep in another process would do: remove the newest (still unregistered) file.
        const newest = readdirSync(folder)
          .map((f) => ({ f, t: statSync(join(folder, f)).mtimeMs }))
          .sort((x, y) => y.t - x.t)[0]!.f;
        removed = join(folder, newest);
        rmSync(removed);
      },
    }).catch((e) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(
      `Parquet file ${removed} of table 'ledgers_row_v2' disappeared before its catalog commit`,
    );
    expect(await latestWatermark(catalog, "bronze_meta")).toBe(before);
    expect((await hot.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2")).rows[0].n).toBe(1);
    // The sweep itself takes the writer lock and removes only unreferenced files; the retry flushes 108 once.
    await deleteOrphanFiles({
      catalog: sweeper,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      dataPath: `${dir}/`,
    });
    await flushOnce(opts);
    expect(await latestWatermark(catalog, "bronze_meta")).toBe(108);
    const rows = await readLakeTable(pgCatalog(catalog, "bronze_meta"), duck, {
      schema: "bronze",
      table: "ledgers_row_v2",
    });
    expect(rows.rows.filter((x) => Number(x.sequence) === 108)).toHaveLength(1);
  });

  it("moves every table's rows when each COPY's row count (CommandComplete) arrives in a later read than its data", async () => {
    // The e2e flake: an export read as 0 rows was left out of the flush, which then deleted those hot rows.
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const proxy = await copyDoneSplitProxy(hotUrl, 100);
    const split = new pg.Client({ connectionString: proxy.url });
    await split.connect();
    try {
      await seed([109, 110]);
      const r = await flushOnce({ ...flushOptions(duck, 0), hot: split });
      expect(proxy.splits).toBeGreaterThanOrEqual(dataTables.length);
      expect(r).toMatchObject({ flushed: true, watermark: 110, range: [109, 110] });
      expect(r.rowsPerTable).toEqual(Object.fromEntries(dataTables.map((t) => [t.name, 2])));
      const cat = pgCatalog(catalog, "bronze_meta");
      for (const t of dataTables) {
        const lake = await readLakeTable(cat, duck, {
          schema: "bronze",
          table: t.name,
          range: { column: t.sequenceColumn!, from: 109, to: 110 },
        });
        const seqs = lake.rows.map((x) => Number(x[t.sequenceColumn!])).filter((n) => n >= 109);
        expect(seqs.sort(), t.name).toEqual([109, 110]);
      }
    } finally {
      await split.end();
      await proxy.close();
    }
  });

  it("records the hash of ledger W' with W', which the ingester's start planning reads back (issue 17 defect 3)", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    await seed([111, 112]);
    const hash = (await hot.query("SELECT ledger_hash FROM ledgers_row_v2 WHERE sequence = 112")).rows[0]
      .ledger_hash as string;
    expect(hash).toMatch(/./);
    const r = await flushOnce(flushOptions(duck, 0));
    expect(r).toMatchObject({ flushed: true, watermark: 112 });
    const st = await latestFlushState(catalog, "bronze_meta");
    expect(st).toMatchObject({ watermark: 112, watermarkHash: hash });
    // The ingester's cold-state read (what a rewind to W + 1 checks the chain with) sees the same hash.
    const cold = await readColdState(catUrl, "bronze_meta");
    expect(cold).toEqual({ watermark: 112, watermarkHash: hash });
  });
});
