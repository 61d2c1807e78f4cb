/**
 * Released migrations are frozen (issue 17, defect 2): each reads the data tables as of itself, so a table a
 * later migration adds changes none of their SQL. The end-to-end proof (a fresh database and an upgraded one
 * both migrate) is in migrations.test.ts once such a table exists.
 */
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  allFlushIndexes,
  dataTableGrantStatements,
  dataTables,
  dataTablesAsOf,
  grantStatements,
  helperFunctionsSql,
  migrateDown,
  migrateUp,
  table,
} from "../src/index";
import { insertSql, sampleRow } from "../src/testing";

const later = { ...table("trades_row_v1"), name: "later_row_v1", since: "0099" };
const withLater = [...dataTables, later];

describe("frozen migrations", () => {
  it("dataTablesAsOf keeps exactly the tables whose migration had run", () => {
    expect(dataTablesAsOf("0004", withLater).map((t) => t.name)).toEqual(
      dataTables.filter((t) => t.since <= "0004").map((t) => t.name),
    );
    expect(dataTablesAsOf("0099", withLater).map((t) => t.name)).toContain("later_row_v1");
  });

  it("the SQL of 0003, 0004 and 0006 over their own tables never names a later table", () => {
    const mentions = (sql: string[]) => sql.some((s) => s.includes("later_row_v1"));
    expect(mentions(helperFunctionsSql(dataTablesAsOf("0004", withLater)))).toBe(false);
    expect(mentions(helperFunctionsSql(withLater))).toBe(true);
    expect(allFlushIndexes(dataTablesAsOf("0003", withLater)).some((i) => i.table === "later_row_v1")).toBe(
      false,
    );
    expect(mentions(grantStatements(dataTablesAsOf("0006", withLater)))).toBe(false);
    expect(mentions(dataTableGrantStatements([later]))).toBe(true);
  });

  it("helper functions are CREATE OR REPLACE, so a later migration can redefine them over more tables", () => {
    for (const s of helperFunctionsSql()) expect(s).toMatch(/^CREATE OR REPLACE FUNCTION public\./);
  });
});

describe("upgrading a database migrated before token_transfers_row_v1 (0001-0006)", () => {
  it("0007 adds the table, its indexes, dataset row and grants, and widens the helper functions; old rows stay", async () => {
    const db = await freshDatabase("upgrade0007");
    await migrateUp(db.url);
    // 0008 (key lookup indexes) came later; the database of the previous release stopped at 0006.
    expect(await migrateDown(db.url, 2)).toEqual(["0008_key_lookup_indexes", "0007_token_transfers"]);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    onTestFinished(() => c.end());
    const q = async (sql: string) => (await c.query(sql)).rows;
    const before = dataTablesAsOf("0006");
    expect(before).toHaveLength(19);
    for (const t of before) {
      const { text, values } = insertSql(t, sampleRow(t, 5000));
      await c.query(text, values);
    }
    expect(await q("SELECT * FROM get_high_watermark()")).toHaveLength(19);
    expect(await q("SELECT to_regclass('public.token_transfers_row_v1') AS t")).toEqual([{ t: null }]);

    expect(await migrateUp(db.url)).toEqual(["0007_token_transfers", "0008_key_lookup_indexes"]);
    const marks = await q("SELECT table_name, row_count::int AS n FROM get_high_watermark() ORDER BY 1");
    expect(marks).toHaveLength(20);
    expect(marks.find((m) => m.table_name === "token_transfers_row_v1")).toEqual({
      table_name: "token_transfers_row_v1",
      n: 0,
    });
    expect(marks.filter((m) => m.n === 1)).toHaveLength(19);
    const tt = table("token_transfers_row_v1");
    const { text, values } = insertSql(tt, sampleRow(tt, 5000));
    await c.query(text, values);
    const cleaned = await q("SELECT table_name, deleted_rows::int AS n FROM cleanup_flushed_data(0)");
    expect(cleaned.find((r) => r.table_name === "token_transfers_row_v1")?.n).toBe(1);
    expect(
      (await q("SELECT indexname FROM pg_indexes WHERE tablename = 'token_transfers_row_v1' ORDER BY 1")).map(
        (r) => r.indexname,
      ),
    ).toEqual([
      "idx_token_transfers_row_v1_ledger_range",
      "idx_token_transfers_row_v1_ledger_sequence",
      "token_transfers_row_v1_key",
    ]);
    expect(
      await q("SELECT dataset FROM _meta_datasets WHERE dataset = 'token_transfers_row_v1'"),
    ).toHaveLength(1);
    const priv = await q(`SELECT
        has_table_privilege('stellar_lake_ingester', 'public.token_transfers_row_v1', 'INSERT') AS ingester,
        has_table_privilege('stellar_lake_flusher', 'public.token_transfers_row_v1', 'DELETE') AS flusher,
        has_table_privilege('stellar_lake_reader', 'public.token_transfers_row_v1', 'SELECT') AS reader,
        has_table_privilege('stellar_lake_reader', 'public.token_transfers_row_v1', 'INSERT') AS reader_writes`);
    expect(priv).toEqual([{ ingester: true, flusher: true, reader: true, reader_writes: false }]);

    // And back: down restores the 19-table functions and drops only the new table.
    expect(await migrateDown(db.url, 2)).toEqual(["0008_key_lookup_indexes", "0007_token_transfers"]);
    expect(await q("SELECT * FROM get_high_watermark()")).toHaveLength(19);
    expect(await q("SELECT to_regclass('public.token_transfers_row_v1') AS t")).toEqual([{ t: null }]);
    expect(await q("SELECT COUNT(*)::int AS n FROM _meta_datasets")).toEqual([{ n: 19 }]);
  });
});
