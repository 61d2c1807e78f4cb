import { createServer } from "node:http";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectStatus, renderStatusPage } from "../src/index";

let hot: pg.Client;

beforeAll(async () => {
  const db = await freshDatabase("status");
  await migrateUp(db.url);
  hot = new pg.Client({ connectionString: db.url });
  await hot.connect();
  for (const seq of [500, 501, 502]) {
    for (const t of dataTables) {
      const { text, values } = insertSql(t, sampleRow(t, seq));
      await hot.query(text, values);
    }
  }
  await hot.query(
    "INSERT INTO stellar_lake.ingest_checkpoint (pipeline, last_ledger, last_ledger_hash, total_ledgers) VALUES ('ingester', 502, 'h', 3)",
  );
  await hot.query(`INSERT INTO _meta_lineage (dataset, source_ledger_start, source_ledger_end, pipeline_version, processor_name, created_at)
    VALUES ('ledgers_row_v2', 500, 501, 't', 'p', now() - interval '2 minutes'), ('ledgers_row_v2', 502, 502, 't', 'p', now())`);
  // A catalog with the three DuckLake tables the page reads, as the flusher writes them.
  await hot.query(`CREATE SCHEMA bronze_meta;
    CREATE TABLE bronze_meta.ducklake_snapshot (snapshot_id bigint, snapshot_time timestamptz, schema_version bigint, next_catalog_id bigint, next_file_id bigint);
    CREATE TABLE bronze_meta.ducklake_snapshot_changes (snapshot_id bigint, changes_made text, author text, commit_message text, commit_extra_info text);
    CREATE TABLE bronze_meta.ducklake_table (table_id bigint, table_uuid uuid, begin_snapshot bigint, end_snapshot bigint, schema_id bigint, table_name text, path text, path_is_relative boolean);
    CREATE TABLE bronze_meta.ducklake_data_file (data_file_id bigint, table_id bigint, begin_snapshot bigint, end_snapshot bigint, record_count bigint, file_size_bytes bigint);
    INSERT INTO bronze_meta.ducklake_snapshot VALUES (0, now(), 0, 1, 0), (1, now(), 1, 2, 2);
    INSERT INTO bronze_meta.ducklake_snapshot_changes VALUES (0, 'created_schema:"main"', NULL, NULL, NULL),
      (1, 'inserted_into_table:1', 'stellar-lake', 'flush', '{"watermark": 499, "range": [400, 499], "rows": 1234, "seconds": 0.5}');
    INSERT INTO bronze_meta.ducklake_table VALUES (1, gen_random_uuid(), 0, NULL, 0, 'ledgers_row_v2', 'ledgers_row_v2/', true);
    INSERT INTO bronze_meta.ducklake_data_file VALUES (0, 1, 1, NULL, 100, 4096), (1, 1, 1, NULL, 20, 1024), (2, 1, 0, 1, 5, 10);`);
});
afterAll(async () => hot?.end());

describe("status page", () => {
  it("collects lag, hot rows per table, flush history, cold files and the ingest rate from the stores", async () => {
    const source = createServer((_, res) => res.end(JSON.stringify({ current_sequence: 510 })));
    await new Promise<void>((r) => source.listen(0, "127.0.0.1", r));
    const port = (source.address() as { port: number }).port;
    try {
      const s = await collectStatus({
        hot,
        catalog: { pool: hot, schema: "bronze_meta" },
        sourceUrl: `http://127.0.0.1:${port}`,
      });
      expect(s.errors).toEqual([]);
      expect(s.source.tip).toBe(510);
      expect(s.checkpoint).toMatchObject({ ledger: 502, totalLedgers: 3 });
      expect(s.hot).toHaveLength(20);
      expect(s.hot.find((t) => t.table === "transactions_row_v2")).toMatchObject({
        rows: 3,
        minLedger: 500,
        maxLedger: 502,
      });
      expect(s.flushes).toEqual([
        expect.objectContaining({ snapshotId: 1, watermark: 499, from: 400, rows: 1234 }),
      ]);
      expect(s.cold).toEqual([{ table: "ledgers_row_v2", files: 2, rows: 120, bytes: 5120 }]);
      expect(s.ingestRate).toHaveLength(60);
      expect(s.ingestRate.reduce((a, p) => a + p.ledgers, 0)).toBe(3);

      const html = renderStatusPage(s);
      expect(html).toMatch(/id="lag">8</);
      expect(html).toMatch(/id="watermark">499</);
      expect(html).toContain("<td>transactions_row_v2</td><td>3</td>");
      expect((html.match(/<rect /g) ?? []).length).toBe(60);
    } finally {
      source.close();
    }
  });

  it("names a store that cannot be read instead of failing the page", async () => {
    const s = await collectStatus({
      hot,
      catalog: { pool: hot, schema: "no_such_schema" },
      sourceUrl: "http://127.0.0.1:1",
    });
    expect(s.errors.join("\n")).toMatch(/DuckLake catalog: .*no_such_schema/);
    expect(s.errors.join("\n")).toMatch(/ledger source:/);
    expect(renderStatusPage(s)).toContain('class="err"');
  });
});
