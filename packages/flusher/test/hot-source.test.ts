import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { dataTables, migrateUp, table } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deleteFlushed, exportCsvOptions, exportRange, flushWatermark } from "../src/hot-source";
import { copyDoneSplitProxy } from "./split-proxy";

let client: pg.Client;
let dir: string;
let hotUrl: string;

beforeAll(async () => {
  const db = await freshDatabase("flushhot");
  hotUrl = db.url;
  await migrateUp(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  dir = await mkdtemp(join(tmpdir(), "flush-hot-"));
});
afterAll(async () => {
  await client?.end();
  await rm(dir, { recursive: true, force: true });
});

async function seed(seqs: number[], agoMs: (seq: number) => number = () => 60_000) {
  for (const s of seqs) {
    for (const t of dataTables) {
      const row = sampleRow(t, s);
      if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - agoMs(s));
      const { text, values } = insertSql(t, row);
      await client.query(text, values);
    }
  }
}

beforeEach(async () => {
  await client.query(`TRUNCATE ${dataTables.map((t) => `"${t.name}"`).join(", ")}`);
});

describe("flushWatermark", () => {
  it("is the end of the run of consecutive ledgers old enough, after the last flushed one", async () => {
    await seed([100, 101, 102, 103, 105, 106], (s) => (s >= 103 ? 1_000 : 60_000));
    expect(await flushWatermark(client, undefined, 30_000)).toEqual({ from: 100, to: 102 });
    expect(await flushWatermark(client, undefined, 0)).toEqual({ from: 100, to: 103 });
    expect(await flushWatermark(client, 101, 0)).toEqual({ from: 102, to: 103 });
    expect(await flushWatermark(client, undefined, 0, 2)).toEqual({ from: 100, to: 101 });
    expect(await flushWatermark(client, 103, 0)).toBeUndefined(); // 104 is missing: never flush past a gap
    expect(await flushWatermark(client, 104, 0)).toEqual({ from: 105, to: 106 });
  });
  it("is undefined on an empty hot buffer", async () => {
    expect(await flushWatermark(client, undefined, 0)).toBeUndefined();
  });
});

describe("flushWatermark across two clocks (issue 17 defect 4)", () => {
  const HOUR = 3_600_000;
  // The ingester just committed ledger 103 (checkpoint updated_at = PostgreSQL's now()); 100-102 a minute
  // before, by the ingester's clock, which is `skewMs` off PostgreSQL's.
  async function ingestedWithSkew(skewMs: number) {
    await client.query("DELETE FROM stellar_lake.ingest_checkpoint");
    await seed([100, 101, 102, 103], (s) => (s === 103 ? 0 : 60_000) - skewMs);
    await client.query(
      "INSERT INTO stellar_lake.ingest_checkpoint (pipeline, last_ledger, last_ledger_hash, total_ledgers, updated_at) VALUES ('ingester', 103, 'h', 4, now())",
    );
  }
  afterEach(async () => {
    await client.query("DELETE FROM stellar_lake.ingest_checkpoint");
  });
  it.each([
    ["an hour ahead", HOUR],
    ["an hour behind", -HOUR],
    ["in step", 0],
  ])(
    "an ingester whose clock is %s: only the ledgers ingested at least min-age ago flush",
    async (_, skew) => {
      await ingestedWithSkew(skew);
      expect(await flushWatermark(client, undefined, 30_000)).toEqual({ from: 100, to: 102 });
      expect(await flushWatermark(client, undefined, 0)).toEqual({ from: 100, to: 103 });
    },
  );
});

describe("exportRange", () => {
  it("counts every row when the server's CommandComplete (the row count) arrives in a later read than CopyDone", async () => {
    await seed([100, 101, 102]);
    const proxy = await copyDoneSplitProxy(hotUrl, 200);
    const split = new pg.Client({ connectionString: proxy.url });
    await split.connect();
    try {
      for (const t of dataTables) {
        const n = await exportRange(split, t, 100, 102, join(dir, `${t.name}-split.csv`));
        expect(n, t.name).toBe(3);
      }
      expect(proxy.splits).toBe(dataTables.length);
    } finally {
      await split.end();
      await proxy.close();
    }
  });
  it("round-trips every value through CSV into DuckDB exactly, including NULLs, \\N, quotes, tabs and newlines", async () => {
    const t = table("operations_row_v2");
    const tricky = [
      "\\N",
      "",
      '"quoted" "x"',
      "tab\there",
      "line\nbreak\r\n",
      "comma,semi;",
      "ünïcödé ✓",
      "\\",
    ];
    for (const [i, s] of tricky.entries()) {
      const row = { ...sampleRow(t, 200, i), details: s, asset: null, amount: 2n ** 62n + BigInt(i) };
      const { text, values } = insertSql(t, row);
      await client.query(text, values);
    }
    const csv = join(dir, "ops.csv");
    expect(await exportRange(client, t, 200, 200, csv)).toBe(tricky.length);
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const types = t.columns
      .map(
        (c) =>
          `'${c.name}': '${{ BIGINT: "BIGINT", INTEGER: "INTEGER", TEXT: "VARCHAR", BOOLEAN: "BOOLEAN", TIMESTAMPTZ: "TIMESTAMPTZ" }[c.pg]}'`,
      )
      .join(", ");
    const r = await duck.runAndReadAll(
      `SELECT details, asset, amount::VARCHAR AS amount FROM read_csv('${csv}', ${exportCsvOptions}, auto_detect=false, columns={${types}}) ORDER BY operation_index`,
    );
    expect(r.getRowObjects()).toEqual(
      tricky.map((s, i) => ({ details: s, asset: null, amount: String(2n ** 62n + BigInt(i)) })),
    );
  });
});

describe("deleteFlushed", () => {
  it("deletes exactly the ledgers ≤ w from every table, by sequence", async () => {
    await seed([9997, 9998, 9999, 10000]);
    const out = await deleteFlushed(client, 9998);
    expect(Object.values(out).every((n) => n === 2)).toBe(true);
    const left = await client.query("SELECT MIN(ledger_sequence)::int AS m FROM transactions_row_v2");
    expect(left.rows[0].m).toBe(9999);
  });
  it("uses cleanup_flushed_data when w + 1 starts a bucket, deleting nothing above w", async () => {
    await seed([9998, 9999, 10000, 10001]);
    const out = await deleteFlushed(client, 9999);
    expect(Object.keys(out)).toHaveLength(20);
    expect(Object.values(out).every((n) => n === 2)).toBe(true);
    const left = await client.query(
      "SELECT array_agg(sequence ORDER BY sequence)::int[] AS s FROM ledgers_row_v2",
    );
    expect(left.rows[0].s).toEqual([10000, 10001]);
  });
});
