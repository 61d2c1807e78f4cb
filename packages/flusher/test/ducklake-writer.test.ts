import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { commitFiles, ensureCatalog, ensureLakeTables, writeParquet } from "@stellar-lake/lake";
import { dataTables, migrateUp, table } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCsvOptions, exportRange } from "../src/hot-source";

let hot: pg.Client;
let dir: string;

beforeAll(async () => {
  const db = await freshDatabase("lakewrite");
  await migrateUp(db.url);
  hot = new pg.Client({ connectionString: db.url });
  await hot.connect();
  dir = await mkdtemp(join(tmpdir(), "lake-"));
  const t = table("transactions_row_v2");
  for (const seq of [100, 101, 102, 103]) {
    for (const n of [0, 1]) {
      const { text, values } = insertSql(t, {
        ...sampleRow(t, seq, n),
        transaction_id: BigInt(seq) * 2n ** 32n + BigInt(n),
      });
      await hot.query(text, values);
    }
  }
});
afterAll(async () => {
  await hot?.end();
  await rm(dir, { recursive: true, force: true });
});

describe("DuckLake writer", () => {
  it("creates the bronze schema and the 20 tables in one snapshot, then registers each flush's files in one snapshot", async () => {
    const meta = "bronze_meta";
    const dataPath = `${dir}/`;
    await ensureCatalog(hot, { schema: meta, dataPath, createdBy: "test" });
    const lake = await ensureLakeTables(hot, { metaSchema: meta, lakeSchema: "bronze", tables: dataTables });
    expect(lake.size).toBe(20);
    const s1 =
      await hot.query(`SELECT s.schema_version, s.next_catalog_id, c.changes_made FROM ${meta}.ducklake_snapshot s
      JOIN ${meta}.ducklake_snapshot_changes c USING (snapshot_id) WHERE snapshot_id = 1`);
    expect(s1.rows[0].schema_version).toBe("1");
    expect(s1.rows[0].next_catalog_id).toBe("22"); // schema 1 + tables 2..21
    expect(s1.rows[0].changes_made).toMatch(
      /^created_schema:"bronze",created_table:"bronze"."ledgers_row_v2",/,
    );
    // Idempotent: nothing new, no new snapshot.
    await ensureLakeTables(hot, { metaSchema: meta, lakeSchema: "bronze", tables: dataTables });
    expect(
      (await hot.query(`SELECT MAX(snapshot_id)::int AS m FROM ${meta}.ducklake_snapshot`)).rows[0].m,
    ).toBe(1);

    const t = table("transactions_row_v2");
    const lt = lake.get(t.name)!;
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const files = [];
    for (const [from, to] of [
      [100, 101],
      [102, 103],
    ] as const) {
      const csv = join(dir, `tx-${from}.csv`);
      expect(await exportRange(hot, t, from, to, csv)).toBe(4);
      const f = await writeParquet(duck, {
        dataPath,
        lakeSchema: "bronze",
        table: t,
        lake: lt,
        csvPath: csv,
        csvOptions: exportCsvOptions,
      });
      expect(f.recordCount).toBe(4);
      await hot.query("BEGIN");
      const snap = await commitFiles(hot, {
        metaSchema: meta,
        files: [f],
        commitExtraInfo: { watermark: to, range: [from, to] },
        message: "flush",
      });
      await hot.query("COMMIT");
      expect(snap).toBe(from === 100 ? 2 : 3);
      files.push(f);
    }
    const df = await hot.query(
      `SELECT data_file_id, begin_snapshot, path, record_count, row_id_start FROM ${meta}.ducklake_data_file ORDER BY 1`,
    );
    expect(df.rows.map((r) => [r.data_file_id, r.begin_snapshot, r.record_count, r.row_id_start])).toEqual([
      ["0", "2", "4", "0"],
      ["1", "3", "4", "4"],
    ]);
    expect(df.rows[0].path).toMatch(/^ducklake-[0-9a-f-]{36}\.parquet$/);
    const seqCol = lt.columnIds.get("ledger_sequence")!;
    const fstats = await hot.query(
      `SELECT data_file_id, min_value, max_value FROM ${meta}.ducklake_file_column_stats WHERE column_id = $1 AND table_id = $2 ORDER BY 1`,
      [seqCol, lt.tableId],
    );
    expect(fstats.rows.map((r) => [r.min_value, r.max_value])).toEqual([
      ["100", "101"],
      ["102", "103"],
    ]);
    const tstats = await hot.query(
      `SELECT min_value, max_value FROM ${meta}.ducklake_table_column_stats WHERE table_id = $1 AND column_id = $2`,
      [lt.tableId, seqCol],
    );
    expect(tstats.rows[0]).toEqual({ min_value: "100", max_value: "103" });
    const ts = await hot.query(
      `SELECT record_count, next_row_id FROM ${meta}.ducklake_table_stats WHERE table_id = $1`,
      [lt.tableId],
    );
    expect(ts.rows[0]).toEqual({ record_count: "8", next_row_id: "8" });
    const changes = await hot.query(
      `SELECT changes_made, commit_extra_info FROM ${meta}.ducklake_snapshot_changes WHERE snapshot_id = 3`,
    );
    expect(changes.rows[0]).toEqual({
      changes_made: `inserted_into_table:${lt.tableId}`,
      commit_extra_info: '{"watermark":103,"range":[102,103]}',
    });
    // Files carry field ids = column ids, and read back to the hot rows.
    const schema = await duck.runAndReadAll(
      `SELECT name, field_id FROM parquet_schema('${files[0]!.absolutePath}') WHERE name = 'ledger_sequence'`,
    );
    expect(schema.getRowObjects().map((r) => [r.name, Number(r.field_id)])).toEqual([
      ["ledger_sequence", seqCol],
    ]);
    const back = await duck.runAndReadAll(
      `SELECT transaction_hash, transaction_id::VARCHAR AS id FROM read_parquet([${files.map((f) => `'${f.absolutePath}'`).join(", ")}]) ORDER BY transaction_id`,
    );
    const hotRows = await hot.query(
      "SELECT transaction_hash, transaction_id::text AS id FROM transactions_row_v2 ORDER BY transaction_id",
    );
    expect(back.getRowObjectsJson()).toEqual(hotRows.rows);
  });
});
