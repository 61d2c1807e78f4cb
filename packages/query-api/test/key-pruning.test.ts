/**
 * Key-pruned cold reads: a lookup by a key column (`/effects?account_id=…`, `/operations?source_account=…`)
 * scans only the Parquet files whose key filter may hold the key — after many flushes, after compaction, and
 * with filters missing (those files are read) — and answers exactly what the all-hot buffer answered.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { buildKeyFilter, KEY_FILTER_TABLE, mayContain } from "@stellar-lake/lake";
import { haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { apiOver, get, type Lake, lakeWith, walk } from "./harness";

// 23 ledgers, eight accounts each active in 2 to 7 of them.
const FILE = "lcm-synthetic/core-test-lcms/PathPaymentTests/6b8dd7030be55252.xdr";

describe("key filters", () => {
  it("hold every key they were built from; few other keys pass", () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `GKEY${i}`);
    const f = buildKeyFilter(keys);
    for (const k of keys) expect(mayContain(f, k)).toBe(true);
    let passed = 0;
    for (let i = 0; i < 100_000; i++) if (mayContain(f, `GOTHER${i}`)) passed += 1;
    // 15 bits and 10 hashes per key: about 0.1 % by theory; 0.3 % leaves room, 1 % would be a broken hash.
    expect(passed / 100_000).toBeLessThan(0.003);
  });

  it("an empty filter holds nothing", () => {
    expect(mayContain(buildKeyFilter([]), "GANY")).toBe(false);
  });
});

describe.skipIf(!haveFixtures())("key-pruned cold reads", () => {
  let lake: Lake;
  let api: ApiServer;
  /** Answers while every ledger is hot: the oracle. */
  const oracle = new Map<string, string>();
  let paths: string[] = [];
  let accounts: string[] = [];

  /** The number of live effects files that hold rows of `account`, counted by reading each one. */
  async function filesHolding(table: string, column: string, value: string): Promise<number> {
    const cat = new pg.Client({ connectionString: lake.catalogUrl });
    await cat.connect();
    try {
      const r = await cat.query(
        `SELECT f.path FROM bronze_meta.ducklake_data_file f JOIN bronze_meta.ducklake_table t USING (table_id)
         WHERE t.table_name = $1 AND f.end_snapshot IS NULL AND t.end_snapshot IS NULL`,
        [table],
      );
      const duck = await (await DuckDBInstance.create(":memory:")).connect();
      let n = 0;
      for (const row of r.rows) {
        const c = await duck.runAndReadAll(
          `SELECT count(*) FROM read_parquet('${lake.dataPath}bronze/${table}/${row.path}') WHERE "${column}" = '${value}'`,
        );
        if (Number(c.getRows()[0]![0]) > 0) n += 1;
      }
      duck.closeSync();
      return n;
    } finally {
      await cat.end();
    }
  }

  const metaOf = async (path: string) =>
    JSON.parse((await get(api, path)).body).meta as { cold_files: number; cold_bytes: number };

  beforeAll(async () => {
    lake = await lakeWith(FILE);
    api = await apiOver(lake);
    const history = JSON.parse((await get(api, `/accounts/history?limit=10000`)).body).accounts as {
      account_id: string;
    }[];
    accounts = [...new Set(history.map((e) => e.account_id))];
    expect(accounts.length).toBeGreaterThan(3);
    for (const a of accounts) {
      paths.push(`/effects?start=${lake.first}&end=${lake.last}&account_id=${a}&limit=5`);
      paths.push(`/operations?start=${lake.first}&end=${lake.last}&source_account=${a}&limit=5`);
      paths.push(`/accounts/${a}`);
      paths.push(`/accounts/${a}/history?limit=4`);
    }
    paths = paths.slice(0, 60);
    for (const p of paths) oracle.set(p, (await walk(api, p)).pages.join("\n"));
    // Eight separate flushes: eight files per table, each holding only the accounts active in its ledgers.
    const step = Math.ceil((lake.last - lake.first + 1) / 8);
    for (let w = lake.first + step - 1; w < lake.last; w += step) await lake.flushTo(w);
    await lake.flushTo(lake.last);
  });

  it("after many flushes: answers equal the all-hot ones; only the files that may hold the key are read", async () => {
    let pruned = 0;
    for (const p of paths) expect((await walk(api, p)).pages.join("\n"), p).toBe(oracle.get(p));
    for (const [route, table] of [
      ["effects", "effects_row_v1"],
      ["accounts/history", "accounts_snapshot_v1"],
    ] as const) {
      const all = await metaOf(`/${route}?start=${lake.first}&end=${lake.last}&limit=1`);
      expect(all.cold_files).toBeGreaterThanOrEqual(8);
      for (const a of accounts.slice(0, 12)) {
        const m = await metaOf(`/${route}?start=${lake.first}&end=${lake.last}&account_id=${a}&limit=10000`);
        const holding = await filesHolding(table, "account_id", a);
        // Never fewer than the files holding the key (a filter has no false negatives); extra only by chance.
        expect(m.cold_files, a).toBeGreaterThanOrEqual(holding);
        expect(m.cold_files, a).toBeLessThanOrEqual(holding + 1);
        expect(m.cold_bytes).toBeLessThanOrEqual(all.cold_bytes);
        if (m.cold_files < all.cold_files) pruned += 1;
      }
    }
    // The accounts of this test do not all act in every eighth of it.
    expect(pruned).toBeGreaterThan(0);
  });

  it("files without key filters are read (a lake written before them answers the same)", async () => {
    const cat = new pg.Client({ connectionString: lake.catalogUrl });
    await cat.connect();
    const saved = await cat.query(`SELECT * FROM bronze_meta.${KEY_FILTER_TABLE}`);
    await cat.query(`DELETE FROM bronze_meta.${KEY_FILTER_TABLE}`);
    try {
      // A fresh API (the running one caches filters it has read).
      const fresh = await apiOver(lake);
      const a = accounts[0]!;
      const path = `/effects?start=${lake.first}&end=${lake.last}&account_id=${a}&limit=10000`;
      const m = JSON.parse((await get(fresh, path)).body).meta;
      expect(m.cold_files).toBe(
        (await metaOf(`/effects?start=${lake.first}&end=${lake.last}&limit=1`)).cold_files,
      );
      for (const p of paths.slice(0, 9))
        expect((await walk(fresh, p)).pages.join("\n"), p).toBe(oracle.get(p));
    } finally {
      for (const r of saved.rows) {
        await cat.query(
          `INSERT INTO bronze_meta.${KEY_FILTER_TABLE} (data_file_id, table_id, column_id, hashes, keys, bits) VALUES ($1, $2, $3, $4, $5, $6)`,
          [r.data_file_id, r.table_id, r.column_id, r.hashes, r.keys, r.bits],
        );
      }
      await cat.end();
    }
  });

  it("compaction writes the merged file's filters: one file read for a key it holds, none for one it does not", async () => {
    await lake.compact();
    for (const p of paths) expect((await walk(api, p)).pages.join("\n"), p).toBe(oracle.get(p));
    const a = accounts[0]!;
    const m = await metaOf(`/effects?start=${lake.first}&end=${lake.last}&account_id=${a}&limit=10000`);
    expect(m.cold_files).toBe(1);
    // A valid strkey that is in no ledger of the test.
    const nobody = "GAAPFCW3Q3RK2EHJAG6LJIEOBXXUG6HVCY4V5HZHTOHYLQZI7KLKNPJW";
    expect(accounts).not.toContain(nobody);
    const none = await metaOf(`/effects?start=${lake.first}&end=${lake.last}&account_id=${nobody}&limit=10`);
    expect(none.cold_files).toBe(0);
  });
});
