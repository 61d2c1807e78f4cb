import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { fixture, freshDatabase, haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_TABLES, CatalogVersionError, ensureCatalog } from "../src/catalog";

let client: pg.Client;
beforeAll(async () => {
  const db = await freshDatabase("ducklake");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => client?.end());

const opts = { schema: "bronze_meta", dataPath: "/var/lake/", createdBy: "stellar-lake test" };

describe("DuckLake 1.0 catalog in PostgreSQL", () => {
  it("creates all 28 catalog tables with the initial snapshot, schema and metadata rows, once", async () => {
    expect(await ensureCatalog(client, opts)).toBe(true);
    expect(await ensureCatalog(client, opts)).toBe(false);
    const tables = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bronze_meta' ORDER BY 1",
    );
    expect(tables.rows).toHaveLength(28);
    const snap = await client.query(
      "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM bronze_meta.ducklake_snapshot",
    );
    expect(snap.rows).toEqual([
      { snapshot_id: "0", schema_version: "0", next_catalog_id: "1", next_file_id: "0" },
    ]);
    const changes = await client.query("SELECT changes_made FROM bronze_meta.ducklake_snapshot_changes");
    expect(changes.rows).toEqual([{ changes_made: 'created_schema:"main"' }]);
    const meta = await client.query("SELECT key, value FROM bronze_meta.ducklake_metadata ORDER BY key");
    expect(Object.fromEntries(meta.rows.map((r) => [r.key, r.value]))).toEqual({
      version: "1.0",
      created_by: "stellar-lake test",
      data_path: "/var/lake/",
      encrypted: "false",
    });
    const schema = await client.query(
      "SELECT schema_id, schema_name, path, path_is_relative, end_snapshot FROM bronze_meta.ducklake_schema",
    );
    expect(schema.rows).toEqual([
      { schema_id: "0", schema_name: "main", path: "main/", path_is_relative: true, end_snapshot: null },
    ]);
  });

  it("refuses to write into a catalog of another spec version", async () => {
    await ensureCatalog(client, { ...opts, schema: "old_meta" });
    await client.query("UPDATE old_meta.ducklake_metadata SET value = '0.4' WHERE key = 'version'");
    await expect(ensureCatalog(client, { ...opts, schema: "old_meta" })).rejects.toThrow(CatalogVersionError);
    await expect(ensureCatalog(client, { ...opts, schema: "old_meta" })).rejects.toThrow(
      /spec version 0\.4; this writer writes 1\.0 only/,
    );
  });

  it.skipIf(!haveFixtures())(
    "has the same tables and columns, in order, as a catalog the real extension wrote",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "ducklake-fixture-"));
      try {
        const db = join(dir, "v04.db");
        execFileSync("sh", ["-c", `gunzip -c '${fixture("ducklake/old_ducklake/v04.db.gz")}' > '${db}'`]);
        const duck = await (await DuckDBInstance.create(db, { access_mode: "READ_ONLY" })).connect();
        const r = await duck.runAndReadAll(
          `SELECT table_name, list(lower(column_name) || ' ' || data_type ORDER BY ordinal_position) AS cols
         FROM information_schema.columns
         WHERE table_name LIKE 'ducklake%' AND NOT regexp_matches(table_name, '^ducklake_inlined_data_[0-9]+_[0-9]+$')
         GROUP BY table_name ORDER BY table_name`,
        );
        const theirs = Object.fromEntries(
          r
            .getRowObjectsJson()
            .map((row) => [
              row.table_name as string,
              (row.cols as string[]).map((c) => c.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")),
            ]),
        );
        const ours = Object.fromEntries(
          CATALOG_TABLES.map((t) => [t.name, t.columns.map((c) => c.replace(" NOT NULL", ""))]),
        );
        expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
        for (const name of Object.keys(theirs)) expect(ours[name], name).toEqual(theirs[name]);
        // And PostgreSQL got exactly those columns, in that order.
        for (const t of CATALOG_TABLES) {
          const cols = await client.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'bronze_meta' AND table_name = $1 ORDER BY ordinal_position",
            [t.name],
          );
          expect(
            cols.rows.map((c) => c.column_name),
            t.name,
          ).toEqual(t.columns.map((c) => c.split(" ")[0]));
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
