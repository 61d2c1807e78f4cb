/**
 * Transform workers hand the writer COPY text instead of rows (`createTransformer({ copy })`): what lands in
 * PostgreSQL — every table's rows, the lineage row counts and checksums — must be exactly what the rows path
 * writes, on real mainnet ledgers crossing a real worker thread.
 */
import { fileURLToPath } from "node:url";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { fixture, freshDatabase, haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransformer } from "../src/hot-transformer";
import { type BatchContext, type LedgerRows, writeBatch } from "../src/hot-writer";
import { TransformPool } from "../src/transform-pool";

const PUBNET = "Public Global Stellar Network ; September 2015";
const STAMP = { eraId: "era-1", versionLabel: "v7" };

let client: pg.Client;

const context = (o: Partial<BatchContext> = {}): BatchContext => ({
  ...STAMP,
  pipelineVersion: "test",
  processor: "test",
  checks: [],
  mayOverlap: true,
  ...o,
});

/** Row count and content checksum of every data table, plus the lineage rows (sans timestamps). */
async function contents(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of dataTables) {
    const cols = t.columns.filter((c) => c.name !== "ingestion_timestamp").map((c) => `"${c.name}"`);
    const r = await client.query(
      `SELECT COUNT(*)::int AS n, COALESCE(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h
       FROM (SELECT ${cols.join(", ")} FROM "${t.name}") x`,
    );
    out[t.name] = r.rows[0];
  }
  // The ledger row's checksum covers its ingestion_timestamp (the time of each write): left out.
  out._meta_lineage = (
    await client.query(
      `SELECT dataset, row_count, CASE WHEN dataset = 'ledgers_row_v2' THEN NULL ELSE checksum END AS checksum,
              era_id, version_label FROM _meta_lineage ORDER BY dataset`,
    )
  ).rows;
  return out;
}

async function reset(): Promise<void> {
  await client.query(`TRUNCATE ${dataTables.map((t) => `"${t.name}"`).join(", ")}, _meta_lineage`);
}

describe.skipIf(!haveFixtures())("COPY text from transform workers", () => {
  let raws: { sequence: number; xdr: Uint8Array }[];
  beforeAll(async () => {
    const url = (await freshDatabase("copypayload")).url;
    await migrateUp(url);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    raws = (await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"))).map(
      (b) => ({ sequence: b.sequence, xdr: b.xdr }),
    );
  });
  afterAll(async () => client?.end());

  it("writes exactly what the rows path writes: every table, lineage counts and checksums", async () => {
    const asRows = raws.map(createTransformer({ passphrase: PUBNET }));
    await writeBatch(client, asRows, context());
    const expected = await contents();
    await reset();

    const pool = new TransformPool({
      module: fileURLToPath(new URL("../src/hot-transformer.ts", import.meta.url)),
      config: { passphrase: PUBNET, copy: STAMP },
      size: 1,
    });
    let encoded: LedgerRows[];
    try {
      encoded = await Promise.all(raws.map((r) => pool.transform({ ...r, xdr: new Uint8Array(r.xdr) })));
    } finally {
      await pool.close();
    }
    // Everything but the ledger row (stamped at write time) crossed as bytes.
    const l = encoded[0]!;
    expect(Object.keys(l.rows)).toEqual(["ledgers_row_v2"]);
    expect(l.copy?.transactions_row_v2?.rows).toBe(163);
    expect(l.copy?.transactions_row_v2?.data).toBeInstanceOf(Uint8Array);
    expect(l.copyStamp).toEqual(STAMP);
    await writeBatch(client, encoded, context());
    const got = await contents();
    expect(got).toEqual(expected);
    expect((got.transactions_row_v2 as { n: number }).n).toBe(163);
    expect((got._meta_lineage as unknown[]).length).toBeGreaterThan(10);
  });

  it("refuses ledgers encoded for another era, writing nothing", async () => {
    await reset();
    const encoded = raws.map(createTransformer({ passphrase: PUBNET, copy: STAMP }));
    await expect(writeBatch(client, encoded, context({ eraId: "era-2" }))).rejects.toThrow(
      `ledger ${raws[0]!.sequence} was encoded for era era-1 / v7, the batch is for era-2 / v7`,
    );
    expect((await client.query("SELECT COUNT(*)::int AS n FROM transactions_row_v2")).rows[0].n).toBe(0);
  });
});
