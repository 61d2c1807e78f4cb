/**
 * Rows reach the response from two stores with their own value spellings (node-postgres text for PostgreSQL,
 * DuckDB casts for Parquet) and must come out as the same bytes — for every value a column can hold, not only
 * those real ledgers happen to hold. Every table gets four rows with hostile values for each column type
 * (control characters, quotes, backslashes, non-ASCII and astral text; int64 and int32 extremes; timestamps with
 * and without a fraction, before 1970, with a three-digit year) and NULL in every nullable column. Each row's JSON
 * is compared with an expectation written out here by hand — from the hot buffer, then again after a flush
 * moved most of them to DuckLake.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { flushOnce } from "@stellar-lake/flusher";
import { type ColumnDef, migrateUp } from "@stellar-lake/schema";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestRows, rangeRows, type Stores, withView } from "../src/query";
import { ColdStore } from "../src/stores/cold";
import { dollarQuote, HotStore, inlineParams } from "../src/stores/hot";
import { type Resource, resources } from "../src/tables";
import { encodeRow } from "../src/values";

const TEXTS = ['q"uote\\back\bsp\fff\nnl\rcr\ttab \u0001\u001f\u007f', "ünïcødé € 日本 😀 \u2028\u2029", ""];
// [PostgreSQL input, the RFC 3339 text the API must write]; row 3 is NULL where the column allows it.
const TIMES = [
  ["2024-02-29 23:59:59.123456+00", "2024-02-29T23:59:59.123456Z"],
  ["1969-12-31 23:59:59.5+00", "1969-12-31T23:59:59.5Z"],
  ["0999-01-01 00:00:00+00", "0999-01-01T00:00:00Z"],
  ["2020-07-13 08:47:40.0001+00", "2020-07-13T08:47:40.0001Z"],
] as const;
const SEQ = 1000;
const ROWS = 4;

/** Row `i`'s value of column `c`: the text inserted and the JSON the API must write for it. */
function value(c: ColumnDef, i: number): { sql: string | null; json: string } {
  if (c.nullable && i === 3) return { sql: null, json: "null" };
  switch (c.pg) {
    case "BIGINT": {
      const v =
        c.name === "sequence" || c.name === "ledger_sequence" || c.name === "ledger_range"
          ? String(SEQ + i)
          : ["9223372036854775807", "-9223372036854775808", "0", "9007199254740993"][i]!;
      return { sql: v, json: v };
    }
    case "INTEGER": {
      const v = String([2147483647, -2147483648, 0, 7][i]!);
      return { sql: v, json: v };
    }
    case "BOOLEAN":
      return { sql: String(i % 2 === 0), json: String(i % 2 === 0) };
    case "TIMESTAMPTZ":
      return { sql: TIMES[i]![0], json: `"${TIMES[i]![1]}"` };
    case "TEXT": {
      const v = `${TEXTS[i % TEXTS.length]!}${i}`;
      return { sql: v, json: JSON.stringify(v) };
    }
  }
}

const expected = new Map<string, string[]>();

function expectedRows(res: Resource): string[] {
  const rows = expected.get(res.name);
  if (!rows) throw new Error(`no rows inserted for ${res.name}`);
  return rows;
}

async function check(stores: Stores, res: Resource, where: "hot" | "cold+hot") {
  const cols = res.table.columns;
  const page = await withView(stores, (v) =>
    rangeRows(v, { res, from: BigInt(SEQ), to: BigInt(SEQ + ROWS - 1), filters: [], limit: 100 }),
  );
  expect(page.rows).toHaveLength(ROWS);
  if (where === "hot") expect(page.coldRows).toBe(0);
  else expect(page.coldRows).toBeGreaterThan(0);
  expect(page.rows.map((r) => encodeRow(cols, r)).sort()).toEqual([...expectedRows(res)].sort());
  if (res.snapshot) {
    // Latest state: every row is its own entity (its key values differ); rows 0 and 2 are removals.
    const latest = await withView(stores, (v) =>
      latestRows(v, { res, asOf: BigInt(SEQ + ROWS - 1), filters: [], limit: 100 }),
    );
    const e = expectedRows(res);
    expect(latest.rows.map((r) => encodeRow(cols, r)).sort()).toEqual([e[1]!, e[3]!].sort());
  }
}

describe("every value is written the same from the hot buffer and from DuckLake", () => {
  let hotUrl: string;
  let hot: HotStore;
  beforeAll(async () => {
    const db = await freshDatabase("rowjson");
    hotUrl = db.url;
    await migrateUp(hotUrl);
    hot = new HotStore({ url: hotUrl, max: 2 });
    const client = new pg.Client({ connectionString: hotUrl });
    await client.connect();
    try {
      for (const res of resources) {
        const cols = res.table.columns;
        const rows: string[] = [];
        for (let i = 0; i < ROWS; i++) {
          const vals = cols.map((c) => value(c, i));
          await client.query(
            `INSERT INTO public."${res.table.name}" (${cols.map((c) => `"${c.name}"`).join(", ")})
             VALUES (${cols.map((_, k) => `$${k + 1}`).join(", ")})`,
            vals.map((v) => v.sql),
          );
          rows.push(`{${cols.map((c, k) => `${JSON.stringify(c.name)}:${vals[k]!.json}`).join(",")}}`);
        }
        expected.set(res.name, rows);
      }
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    await hot?.close();
  });

  describe("from the hot buffer", () => {
    for (const res of resources) it(res.name, () => check({ hot }, res, "hot"));
  });

  describe("a hot read sent with the snapshot's first round trip", () => {
    it("parameters written in as literals arrive verbatim, whatever they hold", async () => {
      const hostile = [
        ...TEXTS,
        "$v$",
        "$v0$ $v$ $v1$",
        "'; DROP TABLE ledgers_row_v2; --",
        "\\' \\x00 $$ $1::",
      ];
      const client = new pg.Client({ connectionString: hotUrl });
      await client.connect();
      try {
        for (const v of hostile) {
          expect(dollarQuote(v)).not.toBe(v);
          const r = await client.query(inlineParams("SELECT $1::text AS v, $2::bigint AS n", [v, "-5"]));
          expect(r.rows[0]).toEqual({ v, n: "-5" });
        }
      } finally {
        await client.end();
      }
      expect(() => inlineParams("SELECT $2::text", ["x"])).toThrow(/no parameter \$2/);
    });

    it("is used when the request asks exactly that statement, never for another", async () => {
      const res = resources.find((r) => r.name === "operations")!;
      const q = { res, from: BigInt(SEQ), to: BigInt(SEQ + ROWS - 1), filters: [], limit: 100 };
      const counting = async (likely?: typeof q) => {
        let statements = 0;
        const page = await withView(
          { hot },
          (v) =>
            rangeRows(
              {
                ...v,
                hot: {
                  ...v.hot,
                  query: (sql, params) => {
                    statements++;
                    return v.hot.query(sql, params);
                  },
                },
              },
              q,
            ),
          likely,
        );
        return { statements, json: page.rows.map((r) => encodeRow(res.table.columns, r)).sort() };
      };
      const plain = await counting();
      const ahead = await counting(q);
      expect(plain.statements).toBe(1);
      expect(ahead.statements).toBe(0);
      expect(ahead.json).toEqual(plain.json);
      // A different statement (another limit) is not answered from the prefetched rows: the closed snapshot
      // refuses it and the request starts over on an open one, where it is read normally.
      const other = await counting({ ...q, limit: 2 });
      expect(other.statements).toBe(2);
      expect(other.json).toEqual(plain.json);
    });
  });

  describe("after a flush (DuckLake ≤ W, hot above)", () => {
    let cold: ColdStore;
    let dataPath: string;
    beforeAll(async () => {
      const cat = await freshDatabase("rowjsoncat");
      dataPath = `${await mkdtemp(join(tmpdir(), "rowjson-lake-"))}/`;
      const client = new pg.Client({ connectionString: hotUrl });
      const catalog = new pg.Client({ connectionString: cat.url });
      await client.connect();
      await catalog.connect();
      const duck = await (await DuckDBInstance.create(":memory:")).connect();
      try {
        const r = await flushOnce({
          hot: client,
          catalog,
          duck,
          metaSchema: "bronze_meta",
          lakeSchema: "bronze",
          dataPath,
          minAgeMs: 0,
        });
        // Ledger 1003 has no ingestion time (NULL in every nullable column), so it stays hot.
        expect(r.flushed).toBe(true);
      } finally {
        duck.closeSync();
        await client.end();
        await catalog.end();
      }
      cold = new ColdStore({ catalogUrl: cat.url });
    });
    afterAll(async () => {
      await cold?.close();
      if (dataPath) await rm(dataPath, { recursive: true, force: true });
    });
    for (const res of resources) it(res.name, () => check({ hot, cold }, res, "cold+hot"));
  });
});
