/**
 * The cold store on a lake another writer shares: the extension's inlined deletes of file rows are applied to the
 * rows it serves, rows it inlined in the catalog (text as bytea in PostgreSQL) are served with the files' rows, and
 * a table whose deletes are deletion vectors (Puffin, WRITE_DELETION_VECTORS) is a 503 naming the file — never an
 * empty or an undeleted answer.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  commitFiles,
  ensureCatalog,
  ensureLakeTables,
  type LakeTable,
  writeParquetFromQuery,
} from "@stellar-lake/lake";
import type { TableDef } from "@stellar-lake/schema";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../src/errors";
import { ColdStore } from "../src/stores/cold";
import type { Resource } from "../src/tables";

const meta = "cold_meta";
const table = {
  name: "things",
  columns: [
    { name: "ledger_sequence", pg: "BIGINT", nullable: false },
    { name: "v", pg: "TEXT", nullable: true },
  ],
} as unknown as TableDef;
const res = { table, seq: "ledger_sequence" } as unknown as Resource;

let c: pg.Client;
let url: string;
let dir: string;
let store: ColdStore;
let lake: Map<string, LakeTable>;

beforeAll(async () => {
  url = (await freshDatabase("coldx")).url;
  c = new pg.Client({ connectionString: url });
  await c.connect();
  dir = await mkdtemp(join(tmpdir(), "cold-unsupported-"));
  await ensureCatalog(c, { schema: meta, dataPath: `${dir}/`, createdBy: "test" });
  lake = await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "bronze", tables: [table] });
  const duck = await (await DuckDBInstance.create(":memory:")).connect();
  const f = await writeParquetFromQuery(duck, {
    dataPath: `${dir}/`,
    lakeSchema: "bronze",
    table,
    lake: lake.get("things")!,
    select: "SELECT i::BIGINT AS ledger_sequence, 'v' || i AS v FROM range(1, 6) r(i)",
  });
  await c.query("BEGIN");
  await commitFiles(c, { metaSchema: meta, files: [f], commitExtraInfo: {}, message: "flush" });
  await c.query("COMMIT");
  store = new ColdStore({ catalogUrl: url, metaSchema: meta, lakeSchema: "bronze" });
});
afterAll(async () => {
  await store?.close();
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

const latest = async () =>
  Number((await c.query(`SELECT max(snapshot_id) AS s FROM ${meta}.ducklake_snapshot`)).rows[0].s);

/** The extension's commit of one change: snapshot latest + 1 and its changes row, with `sql` run in between. */
async function extensionCommit(
  changes: string,
  sql: (S: number, fileId: number) => Promise<void>,
): Promise<number> {
  await c.query("BEGIN");
  const snap = (await c.query(`SELECT * FROM ${meta}.ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1`))
    .rows[0];
  const S = Number(snap.snapshot_id) + 1;
  await sql(S, Number(snap.next_file_id));
  await c.query(`INSERT INTO ${meta}.ducklake_snapshot VALUES ($1, now(), $2, $3, $4)`, [
    S,
    snap.schema_version,
    snap.next_catalog_id,
    Number(snap.next_file_id) + 1,
  ]);
  await c.query(`INSERT INTO ${meta}.ducklake_snapshot_changes VALUES ($1, $2, NULL, NULL, NULL)`, [
    S,
    changes,
  ]);
  await c.query("COMMIT");
  return S;
}

describe("the cold store on what the extension writes", () => {
  it("applies inlined deletes of file rows, serves inlined rows, and answers 503 naming a deletion-vector file", async () => {
    const { tableId } = lake.get("things")!;
    const fileId = Number(
      (await c.query(`SELECT data_file_id FROM ${meta}.ducklake_data_file`)).rows[0].data_file_id,
    );
    const s1 = await extensionCommit(`inlined_delete:${tableId}`, async (S) => {
      await c.query(
        `CREATE TABLE ${meta}.ducklake_inlined_delete_${tableId} (file_id bigint, row_id bigint, begin_snapshot bigint)`,
      );
      await c.query(`INSERT INTO ${meta}.ducklake_inlined_delete_${tableId} VALUES ($1, 1, $2)`, [fileId, S]);
    });
    const t = await store.table(res, s1);
    const sel = await store.fileSelect(res, t, t.files[0]!);
    const rows = await store.withDuck(async (d) =>
      (await d.runAndReadAll(`SELECT v FROM (${sel}) ORDER BY 1`)).getRowObjectsJson(),
    );
    expect(rows.map((r) => r.v)).toEqual(["v1", "v3", "v4", "v5"]);
    // The snapshot before the delete still has the row (its SELECT is cached apart).
    const t0 = await store.table(res, s1 - 1);
    const sel0 = await store.fileSelect(res, t0, t0.files[0]!);
    expect(sel0).not.toBe(sel);

    // An inlined insert (the extension's PostgreSQL layout: varchar as bytea), served with the file rows.
    const s2 = await extensionCommit(`inlined_insert:${tableId}`, async (S) => {
      const name = `ducklake_inlined_data_${tableId}_2`;
      await c.query(
        `CREATE TABLE ${meta}.${name} (row_id bigint, begin_snapshot bigint, end_snapshot bigint, ledger_sequence bigint, v bytea)`,
      );
      await c.query(`INSERT INTO ${meta}.ducklake_inlined_data_tables VALUES ($1, $2, 2)`, [tableId, name]);
      await c.query(`INSERT INTO ${meta}.${name} VALUES (5, $1, NULL, 6, convert_to('v6 ünï', 'UTF8'))`, [S]);
    });
    const t2 = await store.table(res, s2);
    const sources = [...(await Promise.all(t2.files.map((f) => store.fileSelect(res, t2, f)))), t2.inlined!];
    const all = await store.withDuck(async (d) =>
      (
        await d.runAndReadAll(`SELECT ledger_sequence, v FROM (${sources.join(" UNION ALL ")}) ORDER BY 1`)
      ).getRowObjectsJson(),
    );
    expect(all).toEqual([
      { ledger_sequence: "1", v: "v1" },
      { ledger_sequence: "3", v: "v3" },
      { ledger_sequence: "4", v: "v4" },
      { ledger_sequence: "5", v: "v5" },
      { ledger_sequence: "6", v: "v6 ünï" },
    ]);
    expect((await store.table(res, s1)).inlined).toBeUndefined();

    await writeFile(join(dir, "bronze", "things", "ducklake-dv.puffin"), Buffer.from("PFA1 not read"));
    const s3 = await extensionCommit(`deleted_from_table:${tableId}`, async (S, next) => {
      await c.query(
        `INSERT INTO ${meta}.ducklake_delete_file VALUES ($1, $2, $3, NULL, $4, 'ducklake-dv.puffin', true, 'puffin', 1, 13, 4, NULL, NULL)`,
        [next, tableId, S, fileId],
      );
    });
    expect(s3).toBe(await latest());
    const err = await store.table(res, s3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).store).toBe("cold-data");
    expect((err as Error).message).toMatch(/ducklake-dv\.puffin of table 'things' is a deletion vector/);
  });
});
