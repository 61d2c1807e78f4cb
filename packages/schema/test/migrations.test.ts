import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allTables,
  dataTables,
  MigrationError,
  metaTables,
  migrateDown,
  migrateUp,
  migrationStatus,
  migrations,
  table,
} from "../src/index";
import { KEY_LOOKUP_INDEXES, keyLookupIndexName } from "../src/migrations/0008_key_lookup_indexes";
import { insertSql, sampleRow } from "../src/testing";

const PG_TYPE_NAMES: Record<string, string> = {
  BIGINT: "bigint",
  INTEGER: "integer",
  TEXT: "text",
  BOOLEAN: "boolean",
  TIMESTAMPTZ: "timestamp with time zone",
};

let url: string;
let client: pg.Client;

beforeAll(async () => {
  url = (await freshDatabase("schema")).url;
  await migrateUp(url);
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

async function q<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await client.query(text, values)).rows as T[];
}

describe("migrations up on an empty database", () => {
  it("creates exactly the 25 contract tables in public", async () => {
    const rows = await q<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual(allTables.map((t) => t.name).sort());
    expect(rows).toHaveLength(25);
  });

  it("makes the 20 data tables UNLOGGED and the 5 metadata tables logged", async () => {
    const rows = await q<{ relname: string; relpersistence: string }>(
      "SELECT relname, relpersistence FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
    );
    const unlogged = rows.filter((r) => r.relpersistence === "u").map((r) => r.relname);
    expect(unlogged.sort()).toEqual(dataTables.map((t) => t.name).sort());
    expect(
      rows
        .filter((r) => r.relpersistence === "p")
        .map((r) => r.relname)
        .sort(),
    ).toEqual(metaTables.map((t) => t.name).sort());
  });

  it("creates the query API's key lookup indexes as (key, sequence)", async () => {
    const rows = await q<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'lookup\\_%' ORDER BY indexname",
    );
    expect(rows.map((r) => r.indexname)).toEqual(KEY_LOOKUP_INDEXES.map(keyLookupIndexName).sort());
    for (const i of KEY_LOOKUP_INDEXES) {
      const def = rows.find((r) => r.indexname === keyLookupIndexName(i))!.indexdef;
      expect(def).toContain(`ON public.${i.table} USING btree (${i.column}, ${i.seq})`);
    }
  });

  it("sets FILLFACTOR 90 on exactly the 8 snapshot tables the contract marks", async () => {
    const rows = await q<{ relname: string }>(
      "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND 'fillfactor=90' = ANY(reloptions)",
    );
    expect(rows.map((r) => r.relname).sort()).toEqual([
      "accounts_snapshot_v1",
      "claimable_balances_snapshot_v1",
      "contract_data_snapshot_v1",
      "liquidity_pools_snapshot_v1",
      "native_balances_snapshot_v1",
      "offers_snapshot_v1",
      "trustlines_snapshot_v1",
      "ttl_snapshot_v1",
    ]);
  });

  it("creates exactly 40 non-constraint indexes: ledger_range and the sequence column per data table", async () => {
    const rows = await q<{ tablename: string; indexdef: string }>(
      `SELECT i.tablename, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.indexname NOT LIKE 'lookup_%'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    expect(rows).toHaveLength(40);
    for (const t of dataTables) {
      const defs = rows.filter((r) => r.tablename === t.name).map((r) => r.indexdef);
      expect(defs, t.name).toHaveLength(2);
      expect(
        defs.some((d) => d.endsWith("(ledger_range)")),
        t.name,
      ).toBe(true);
      expect(
        defs.some((d) => d.endsWith(`(${t.sequenceColumn})`)),
        t.name,
      ).toBe(true);
    }
    for (const t of metaTables) expect(rows.filter((r) => r.tablename === t.name)).toHaveLength(0);
  });

  it("declares no foreign keys", async () => {
    const rows = await q(
      "SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
    );
    expect(rows).toHaveLength(0);
  });

  it("creates the 3 helper functions with the contract's signatures", async () => {
    const rows = await q<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`,
    );
    expect(rows.map((r) => r.sig)).toEqual([
      "cleanup_flushed_data(bigint)",
      "get_flush_candidates(integer)",
      "get_high_watermark()",
    ]);
  });

  it("gives every table exactly the catalog's columns, types and nullability, in order", async () => {
    for (const t of allTables) {
      const cols = await q<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [t.name],
      );
      expect(
        cols.map((c) => [c.column_name, c.data_type, c.is_nullable === "YES"]),
        t.name,
      ).toEqual(t.columns.map((c) => [c.name, PG_TYPE_NAMES[c.pg], c.nullable]));
    }
  });

  it("matches the contract on hand-checked columns", async () => {
    const col = async (t: string, c: string) =>
      (
        await q<{ data_type: string; is_nullable: string; ordinal_position: number }>(
          `SELECT data_type, is_nullable, ordinal_position FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2`,
          [t, c],
        )
      )[0];
    // Part B ledgers_row_v2: sequence first, soroban_fee_write1kb 18th, 26 contract columns.
    expect(await col("ledgers_row_v2", "sequence")).toMatchObject({
      data_type: "bigint",
      ordinal_position: 1,
    });
    expect(await col("ledgers_row_v2", "soroban_fee_write1kb")).toMatchObject({ ordinal_position: 18 });
    expect(await col("ledgers_row_v2", "version_label")).toMatchObject({ ordinal_position: 26 });
    // Part B transactions_row_v2: 48 columns, extra_signers 46th.
    expect(await col("transactions_row_v2", "extra_signers")).toMatchObject({ ordinal_position: 46 });
    // Part B trades_row_v1: selling_amount is TEXT, trade_timestamp a timestamp.
    expect(await col("trades_row_v1", "selling_amount")).toMatchObject({ data_type: "text" });
    expect(await col("trades_row_v1", "trade_timestamp")).toMatchObject({
      data_type: "timestamp with time zone",
    });
    // Part A: native balances sequence_number is nullable, contract events topics_json NOT NULL.
    expect(await col("native_balances_snapshot_v1", "sequence_number")).toMatchObject({ is_nullable: "YES" });
    expect(await col("contract_events_stream_v1", "topics_json")).toMatchObject({ is_nullable: "NO" });
    expect(await col("_meta_eras", "ledger_end")).toMatchObject({ data_type: "bigint", is_nullable: "YES" });
    // Documented deviations.
    expect(await col("trustlines_snapshot_v1", "asset_code")).toMatchObject({ is_nullable: "YES" });
    expect(await col("evicted_keys_state_v1", "contract_id")).toMatchObject({ is_nullable: "YES" });
    expect(await col("accounts_snapshot_v1", "deleted")).toMatchObject({
      data_type: "boolean",
      is_nullable: "NO",
    });
  });

  it("seeds _meta_datasets with the 20 datasets and records the changes in _meta_changes", async () => {
    const ds = await q<{ dataset: string; tier: string; major_version: number; grain: string }>(
      "SELECT dataset, tier, major_version, grain FROM _meta_datasets ORDER BY dataset",
    );
    expect(ds.map((d) => d.dataset)).toEqual(dataTables.map((t) => t.name).sort());
    expect(ds.find((d) => d.dataset === "ledgers_row_v2")).toMatchObject({
      tier: "bronze",
      major_version: 2,
    });
    expect(ds.every((d) => d.grain && d.grain.length > 0)).toBe(true);
    const changes = await q<{ dataset: string; change_type: string }>(
      "SELECT dataset, change_type FROM _meta_changes",
    );
    expect(changes.filter((c) => c.change_type === "create_table")).toHaveLength(20);
    // One per table for its flush indexes (0003, 0007), one per key lookup index (0008).
    expect(changes.filter((c) => c.change_type === "create_index")).toHaveLength(
      20 + KEY_LOOKUP_INDEXES.length,
    );
  });

  it("keeps the migrator's tables and pipeline state out of public", async () => {
    const rows = await q<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'stellar_lake' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      "ingest_checkpoint",
      "kysely_migration",
      "kysely_migration_lock",
    ]);
  });
});

// Minutes since close: range 0 (9998, 9999) is at least 10 minutes old, range 10000 at most 2.
const AGE_MINUTES: Record<number, number> = { 9998: 20, 9999: 10, 10000: 2, 10001: 1, 10002: 0 };

describe("helper functions on seeded rows", () => {
  beforeAll(async () => {
    // Ledgers 9998..10002 straddle a bucket boundary; every data table gets one row per ledger.
    for (const seq of [9998, 9999, 10000, 10001, 10002]) {
      for (const t of dataTables) {
        const row = sampleRow(t, seq);
        if (t.name === "ledgers_row_v2") row.closed_at = new Date(Date.now() - AGE_MINUTES[seq]! * 60_000);
        const { text, values } = insertSql(t, row);
        await client.query(text, values);
      }
    }
  });

  it("get_high_watermark() returns one row per data table", async () => {
    const rows = await q<{
      table_name: string;
      max_ledger_sequence: string;
      max_ledger_range: string;
      row_count: string;
    }>("SELECT * FROM get_high_watermark()");
    expect(rows).toHaveLength(20);
    for (const r of rows) {
      expect(r).toMatchObject({ max_ledger_sequence: "10002", max_ledger_range: "10000", row_count: "5" });
    }
    expect(rows.map((r) => r.table_name).sort()).toEqual(dataTables.map((t) => t.name).sort());
  });

  it("get_flush_candidates(age) returns ranges whose newest ledger is older than the age", async () => {
    const byDefault = await q<{ ledger_range: string; ledger_count: string }>(
      "SELECT * FROM get_flush_candidates()",
    );
    expect(byDefault).toEqual([expect.objectContaining({ ledger_range: "0", ledger_count: "2" })]);
    expect(await q("SELECT * FROM get_flush_candidates(5)")).toEqual(byDefault);
    expect(await q("SELECT * FROM get_flush_candidates(0)")).toHaveLength(2);
    expect(await q("SELECT * FROM get_flush_candidates(15)")).toHaveLength(0);
  });

  it("cleanup_flushed_data(p) deletes only ledger_range <= p and returns per-table counts", async () => {
    await client.query("BEGIN");
    const rows = await q<{ table_name: string; deleted_rows: string }>(
      "SELECT * FROM cleanup_flushed_data(0)",
    );
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(r.deleted_rows, r.table_name).toBe("2");
    const left = await q<{ n: string }>("SELECT COUNT(*) AS n FROM transactions_row_v2");
    expect(left[0]!.n).toBe("3");
    await client.query("ROLLBACK");
  });
});

describe("natural keys", () => {
  it("reject a duplicate row on every data table", async () => {
    for (const t of dataTables) {
      const row = sampleRow(t, 20000, 7);
      const { text, values } = insertSql(t, row);
      await client.query(text, values);
      await expect(client.query(text, values), t.name).rejects.toMatchObject({ code: "23505" });
    }
  });

  it("treat two pool-share trust lines of one account as different, the same one twice as a duplicate", async () => {
    const t = table("trustlines_snapshot_v1");
    const a = { ...sampleRow(t, 30000), asset_code: null, asset_issuer: null, liquidity_pool_id: "aa" };
    const b = { ...a, liquidity_pool_id: "bb" };
    await client.query(insertSql(t, a).text, insertSql(t, a).values);
    await client.query(insertSql(t, b).text, insertSql(t, b).values);
    await expect(client.query(insertSql(t, a).text, insertSql(t, a).values)).rejects.toMatchObject({
      code: "23505",
    });
  });
});

describe("down and up", () => {
  it("down fully reverts, up re-applies, and status reports it", async () => {
    const db = await freshDatabase("updown");
    await migrateUp(db.url);
    const all = Object.keys(migrations);
    expect(await migrateDown(db.url, Number.POSITIVE_INFINITY)).toEqual([...all].reverse());
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const left = await c.query(
        `SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public')::int AS tables,
                (SELECT COUNT(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)::int AS funcs,
                (SELECT COUNT(*) FROM information_schema.tables
                  WHERE table_schema = 'stellar_lake' AND table_name = 'ingest_checkpoint')::int AS state`,
      );
      expect(left.rows[0]).toEqual({ tables: 0, funcs: 0, state: 0 });
      expect((await migrationStatus(db.url)).pending).toEqual(all);
      expect(await migrateUp(db.url)).toEqual(all);
      const lastTwo = all.slice(-2);
      expect(await migrateDown(db.url, 2)).toEqual([...lastTwo].reverse());
      expect((await migrationStatus(db.url)).pending).toEqual(lastTwo);
      expect(await migrateUp(db.url)).toEqual(lastTwo);
      const t = await c.query(
        "SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(t.rows[0].n).toBe(25);
    } finally {
      await c.end();
    }
  });

  it("refuses a database migrated by a build with migrations this code does not know", async () => {
    const db = await freshDatabase("unknown");
    await migrateUp(db.url);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(
      "INSERT INTO stellar_lake.kysely_migration (name, timestamp) VALUES ('9999_from_the_future', now()::text)",
    );
    await c.end();
    await expect(migrateUp(db.url)).rejects.toThrow(MigrationError);
    await expect(migrateUp(db.url)).rejects.toThrow(/9999_from_the_future/);
    expect((await migrationStatus(db.url)).unknown).toEqual(["9999_from_the_future"]);
  });
});
