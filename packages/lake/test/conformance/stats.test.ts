/**
 * Conformance: the catalog rows the project writes for a table — its column rows (nulls_allowed for NOT NULL
 * columns), its files' column stats (value_count = num_values − null_count, contains_nan from has_nan, min/max)
 * and the table's stats — equal the rows the extension writes for the same CREATE TABLE and the same INSERT
 * (./extension.ts: the extension's `AddWrittenFiles` / `MergeStats` shapes), ids and snapshots aside.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { TableDef } from "@stellar-lake/schema";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUCKLAKE_TYPE, ensureCatalog, ensureLakeTables } from "../../src/index";
import { Extension } from "./extension";
import { ledgers, projectFlush, row, valuesSelect } from "./lake";

let c: pg.Client;
let duck: DuckDBConnection;
let dir: string;
const meta = "stats_meta";

beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("stats")).url });
  await c.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "conform-stats-"));
  await ensureCatalog(c, { schema: meta, dataPath: `${dir}/`, createdBy: "test" });
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

const twin = { ...ledgers, name: "ext_ledgers" } as TableDef;

async function tableId(name: string): Promise<number> {
  return Number(
    (
      await c.query(
        `SELECT table_id FROM ${meta}.ducklake_table WHERE table_name = $1 AND end_snapshot IS NULL`,
        [name],
      )
    ).rows[0].table_id,
  );
}

describe("the project's catalog rows equal the extension's for the same table", () => {
  it("columns (nulls_allowed false for NOT NULL: item 5), file stats (value_count: item 6, contains_nan, min/max) and table stats (item 3)", async () => {
    const lake = await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [ledgers] });
    const ext = new Extension(c, duck, meta);
    await ext.createTable(
      twin.name,
      twin.columns.map((col) => ({ name: col.name, type: DUCKLAKE_TYPE[col.pg], notNull: !col.nullable })),
    );
    const colRows = async (name: string) =>
      (
        await c.query(
          `SELECT column_id, column_order, column_name, column_type, initial_default, default_value, nulls_allowed,
                  parent_column, default_value_type, default_value_dialect
           FROM ${meta}.ducklake_column WHERE table_id = $1 ORDER BY column_id`,
          [await tableId(name)],
        )
      ).rows;
    const ours = await colRows("ledgers");
    expect(ours).toEqual(await colRows(twin.name));
    expect(ours.filter((r) => !r.nulls_allowed).map((r) => r.column_name)).toEqual([
      "sequence",
      "hash",
      "closed_at",
      "tx_count",
    ]);

    // The same rows written by both: NULL-heavy columns so value_count ≠ num_values.
    const rows = Array.from({ length: 12 }, (_, i) => row(i + 1));
    await projectFlush(c, duck, { meta, dataPath: `${dir}/`, lake: lake.get("ledgers")!, rows });
    await ext.insert(twin.name, valuesSelect(rows));
    const fileStats = async (name: string) =>
      (
        await c.query(
          `SELECT column_id, value_count, null_count, min_value, max_value, contains_nan, extra_stats
           FROM ${meta}.ducklake_file_column_stats WHERE table_id = $1 ORDER BY column_id`,
          [await tableId(name)],
        )
      ).rows;
    const ourFile = await fileStats("ledgers");
    expect(ourFile).toEqual(await fileStats(twin.name));
    const note = ourFile.find((r) => Number(r.column_id) === 5)!;
    expect([note.value_count, note.null_count]).toEqual(["8", "4"]); // 12 rows, 4 NULL notes
    const tableStats = async (name: string) => ({
      stats: (
        await c.query(
          `SELECT record_count, next_row_id FROM ${meta}.ducklake_table_stats WHERE table_id = $1`,
          [await tableId(name)],
        )
      ).rows,
      columns: (
        await c.query(
          `SELECT column_id, contains_null, contains_nan, min_value, max_value, extra_stats
           FROM ${meta}.ducklake_table_column_stats WHERE table_id = $1 ORDER BY column_id`,
          [await tableId(name)],
        )
      ).rows,
    });
    expect(await tableStats("ledgers")).toEqual(await tableStats(twin.name));

    // A second file from each: the merged table stats stay equal.
    const more = Array.from({ length: 5 }, (_, i) => row(100 + i, { note: null }));
    await projectFlush(c, duck, { meta, dataPath: `${dir}/`, lake: lake.get("ledgers")!, rows: more });
    await ext.insert(twin.name, valuesSelect(more));
    expect(await tableStats("ledgers")).toEqual(await tableStats(twin.name));
  });

  it("a catalog written before NOT NULL was declared gets it declared in one altered_table snapshot", async () => {
    const old = { ...ledgers, name: "old_ledgers" } as TableDef;
    await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [old] });
    const id = await tableId("old_ledgers");
    // What earlier versions of the project wrote: every column nullable.
    await c.query(`UPDATE ${meta}.ducklake_column SET nulls_allowed = true WHERE table_id = $1`, [id]);
    const before = Number(
      (await c.query(`SELECT max(snapshot_id) AS s FROM ${meta}.ducklake_snapshot`)).rows[0].s,
    );
    await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [old] });
    const snap = (await c.query(`SELECT * FROM ${meta}.ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1`))
      .rows[0];
    expect(Number(snap.snapshot_id)).toBe(before + 1);
    const prev = (await c.query(`SELECT * FROM ${meta}.ducklake_snapshot WHERE snapshot_id = $1`, [before]))
      .rows[0];
    expect(Number(snap.schema_version)).toBe(Number(prev.schema_version) + 1);
    const changes = (
      await c.query(`SELECT changes_made FROM ${meta}.ducklake_snapshot_changes WHERE snapshot_id = $1`, [
        before + 1,
      ])
    ).rows[0].changes_made;
    expect(changes).toBe(`altered_table:${id}`);
    const live = (
      await c.query(
        `SELECT column_id, column_name, nulls_allowed, begin_snapshot FROM ${meta}.ducklake_column WHERE table_id = $1 AND end_snapshot IS NULL ORDER BY column_id`,
        [id],
      )
    ).rows;
    expect(live.map((r) => [r.column_name, r.nulls_allowed])).toEqual(
      old.columns.map((col) => [col.name, col.nullable]),
    );
    // Column ids keep; the changed columns' rows begin at the new snapshot, the old rows end there.
    expect(live.map((r) => Number(r.column_id))).toEqual([1, 2, 3, 4, 5, 6]);
    const ended = (
      await c.query(
        `SELECT count(*)::int AS n FROM ${meta}.ducklake_column WHERE table_id = $1 AND end_snapshot = $2`,
        [id, before + 1],
      )
    ).rows[0].n;
    expect(ended).toBe(4);
    // Nothing more to declare: a further call writes no snapshot.
    await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [old] });
    expect(
      Number((await c.query(`SELECT max(snapshot_id) AS s FROM ${meta}.ducklake_snapshot`)).rows[0].s),
    ).toBe(before + 1);
  });
});
