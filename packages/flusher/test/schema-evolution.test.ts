/**
 * Bronze schema evolution (issue 20): a lake flushed by a release that knew 19 data tables (hot buffer at
 * migration 0006) gains token_transfers_row_v1 in a new snapshot (`created_table`) when the current flusher
 * first opens it; the old snapshot still reads as it was, and the next flush fills the new table.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  commitFiles,
  ensureCatalog,
  ensureLakeTables,
  pgCatalog,
  readLakeTable,
  type WrittenFile,
  writeParquet,
} from "@stellar-lake/lake";
import { dataTables, dataTablesAsOf, migrateDown, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import { exportCsvOptions, exportRange } from "../src/hot-source";
import { flushOnce } from "../src/index";

const META = "bronze_meta";
const LAKE = "bronze";

async function seed(hot: pg.Client, tables: readonly (typeof dataTables)[number][], seqs: number[]) {
  for (const s of seqs) {
    for (const t of tables) {
      const row = sampleRow(t, s);
      if (t.name === "ledgers_row_v2") row.ingestion_timestamp = new Date(Date.now() - 60_000);
      const { text, values } = insertSql(t, row);
      await hot.query(text, values);
    }
  }
}

describe("bronze schema evolution", () => {
  it("a lake written before token_transfers_row_v1 gains it in a new snapshot; old snapshots still read", async () => {
    const h = await freshDatabase("evolvehot");
    await migrateUp(h.url);
    await migrateDown(h.url, 2); // the previous release's hot buffer: 0001-0006, 19 data tables
    const hot = new pg.Client({ connectionString: h.url });
    await hot.connect();
    const catalog = new pg.Client({ connectionString: (await freshDatabase("evolvecat")).url });
    await catalog.connect();
    const dir = await mkdtemp(join(tmpdir(), "evolve-lake-"));
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    onTestFinished(async () => {
      duck.closeSync();
      await hot.end();
      await catalog.end();
      await rm(dir, { recursive: true, force: true });
    });
    const dataPath = `${dir}/`;
    const old = dataTablesAsOf("0006");
    expect(old.map((t) => t.name)).not.toContain("token_transfers_row_v1");

    // The previous release's flush of ledgers 100-101: every one of its tables in one snapshot, with W = 101.
    await ensureCatalog(catalog, { schema: META, dataPath, createdBy: "previous release" });
    const oldLake = await ensureLakeTables(catalog, { metaSchema: META, lakeSchema: LAKE, tables: old });
    await seed(hot, old, [100, 101]);
    const files: WrittenFile[] = [];
    for (const t of old) {
      const csv = join(dir, `${t.name}.csv`);
      expect(await exportRange(hot, t, 100, 101, csv)).toBe(2);
      files.push(
        await writeParquet(duck, {
          dataPath,
          lakeSchema: LAKE,
          table: t,
          lake: oldLake.get(t.name)!,
          csvPath: csv,
          csvOptions: exportCsvOptions,
        }),
      );
    }
    await catalog.query("BEGIN");
    const oldSnap = await commitFiles(catalog, {
      metaSchema: META,
      files,
      commitExtraInfo: { watermark: 101, range: [100, 101] },
      message: "flush",
    });
    await catalog.query("COMMIT");
    await hot.query("SELECT * FROM cleanup_flushed_data(0)");

    // Upgrade: migrations 0007 and 0008, then ledgers 102-103 with rows in all 20 tables, flushed by this release.
    await migrateUp(h.url);
    await seed(hot, dataTables, [102, 103]);
    const r = await flushOnce({
      hot,
      catalog,
      duck,
      metaSchema: META,
      lakeSchema: LAKE,
      dataPath,
      minAgeMs: 30_000,
    });
    expect(r).toMatchObject({ flushed: true, range: [102, 103] });
    expect(r.rowsPerTable.token_transfers_row_v1).toBe(2);

    const changes = await catalog.query(
      `SELECT snapshot_id::int AS id, changes_made FROM ${META}.ducklake_snapshot_changes WHERE snapshot_id > $1 ORDER BY 1`,
      [oldSnap],
    );
    const created = changes.rows.filter((c) => c.changes_made.includes("created_table"));
    expect(created).toEqual([
      { id: oldSnap + 1, changes_made: `created_table:"${LAKE}"."token_transfers_row_v1"` },
    ]);
    expect(r.snapshotId).toBeGreaterThan(oldSnap + 1);

    const cat = pgCatalog(catalog, META);
    const seqs = (rows: Record<string, unknown>[]) => rows.map((x) => Number(x.ledger_sequence)).sort();
    const before = await readLakeTable(cat, duck, {
      schema: LAKE,
      table: "transactions_row_v2",
      snapshot: oldSnap,
    });
    expect(seqs(before.rows)).toEqual([100, 101]);
    const now = await readLakeTable(cat, duck, { schema: LAKE, table: "transactions_row_v2" });
    expect(seqs(now.rows)).toEqual([100, 101, 102, 103]);
    const tt = await readLakeTable(cat, duck, { schema: LAKE, table: "token_transfers_row_v1" });
    expect(seqs(tt.rows)).toEqual([102, 103]);
    expect(tt.rows[0]).toHaveProperty("from");
    await expect(
      readLakeTable(cat, duck, { schema: LAKE, table: "token_transfers_row_v1", snapshot: oldSnap }),
    ).rejects.toThrow(/token_transfers_row_v1/);
  });
});
