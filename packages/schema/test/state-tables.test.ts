import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrateUp, STATE_SCHEMA, stateTables } from "../src/index";

const PG_NAME: Record<string, string> = {
  TEXT: "text",
  BIGINT: "bigint",
  TIMESTAMPTZ: "timestamp with time zone",
};

describe("pipeline state tables in the catalog", () => {
  it("ingest_checkpoint as declared is the table migration 0005 created (columns, types, nullability, key)", async () => {
    const db = await freshDatabase("statetables");
    await migrateUp(db.url);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const t = stateTables.ingestCheckpoint;
      const cols = await c.query(
        `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [STATE_SCHEMA, t.name],
      );
      expect(cols.rows.map((r) => [r.column_name, r.data_type, r.is_nullable === "YES"])).toEqual(
        t.columns.map((col) => [col.name, PG_NAME[col.pg], col.nullable]),
      );
      const defaults = Object.fromEntries(
        cols.rows.filter((r) => r.column_default !== null).map((r) => [r.column_name, r.column_default]),
      );
      expect(defaults).toEqual(
        Object.fromEntries(t.columns.filter((col) => col.default).map((col) => [col.name, col.default])),
      );
      const pk = await c.query(
        `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary`,
        [`${STATE_SCHEMA}.${t.name}`],
      );
      expect(pk.rows.map((r) => r.attname)).toEqual([...t.key]);
    } finally {
      await c.end();
    }
  });
});
