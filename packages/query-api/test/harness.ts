/**
 * Test harness for the query API: real ledgers transformed and written to a real hot buffer (the ingester's
 * batch writer), real flushes to a real DuckLake catalog + Parquet (the flusher's flushOnce) up to a chosen
 * watermark, and the API on a real port.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { flushOnce } from "@stellar-lake/flusher";
import { type LedgerRows, writeBatch } from "@stellar-lake/ingester";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { migrateUp } from "@stellar-lake/schema";
import { fixture, freshDatabase } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import pg from "pg";
import { afterAll } from "vitest";
import { type ApiConfig, type ApiServer, apiConfigFromEnv, startApi } from "../src/index";

export const CORE_TEST_PASSPHRASE = "(V) (;,,;) (V)";
const INGESTED_AT = "2024-01-02T03:04:05.123456Z";

export interface Lake {
  hotUrl: string;
  catalogUrl: string;
  dataPath: string;
  first: number;
  last: number;
  /** Flush every ledger ≤ w (that is not flushed yet) to cold storage. */
  flushTo(w: number): Promise<void>;
}

/** A hot buffer holding `file`'s ledgers, an empty DuckLake catalog, and a data directory; dropped after the file. */
export async function lakeWith(file: string, passphrase = CORE_TEST_PASSPHRASE): Promise<Lake> {
  const hot = await freshDatabase("apihot");
  await migrateUp(hot.url);
  const cat = await freshDatabase("apicat");
  const dataPath = `${await mkdtemp(join(tmpdir(), "api-lake-"))}/`;
  const blobs = await readLedgerFile(fixture(file));
  const ledgers = blobs.map((b) => hotRowsOf(decodeLedger(b.xdr, b.sequence), passphrase));
  const client = new pg.Client({ connectionString: hot.url });
  client.on("error", () => {});
  await client.connect();
  await writeBatch(client, ledgers as unknown as LedgerRows[], {
    eraId: null,
    versionLabel: null,
    pipelineVersion: "test",
    processor: "query-api-test",
    checks: [],
    mayOverlap: false,
  });
  // One fixed ingestion time, so answers do not depend on when the test ran or how flushes were steered.
  await client.query(`UPDATE ledgers_row_v2 SET ingestion_timestamp = $1`, [INGESTED_AT]);
  const catalog = new pg.Client({ connectionString: cat.url });
  catalog.on("error", () => {});
  await catalog.connect();
  const duck = await (await DuckDBInstance.create(":memory:")).connect();
  afterAll(async () => {
    await client.end();
    await catalog.end();
    duck.closeSync();
    await rm(dataPath, { recursive: true, force: true });
  });
  return {
    hotUrl: hot.url,
    catalogUrl: cat.url,
    dataPath,
    first: ledgers[0]!.sequence,
    last: ledgers.at(-1)!.sequence,
    async flushTo(w: number) {
      // The watermark is the newest contiguous ledger ingested at least min-age ago: make ledgers > w young
      // for the flush, then give them their ingestion time back.
      await client.query(
        `UPDATE ledgers_row_v2 SET ingestion_timestamp = now() + interval '1 hour' WHERE sequence > $1`,
        [w],
      );
      await flushOnce({
        hot: client,
        catalog,
        duck,
        metaSchema: "bronze_meta",
        lakeSchema: "bronze",
        dataPath,
        minAgeMs: 60_000,
      });
      await client.query(`UPDATE ledgers_row_v2 SET ingestion_timestamp = $1 WHERE sequence > $2`, [
        INGESTED_AT,
        w,
      ]);
    },
  };
}

/** The API over `lake` on a free port, stopped after the file. */
export async function apiOver(lake: Lake, env: Record<string, string> = {}): Promise<ApiServer> {
  const config: ApiConfig = apiConfigFromEnv(
    { API_PORT: "0", API_HOST: "127.0.0.1", ...env },
    { databaseUrl: lake.hotUrl, catalogUrl: lake.catalogUrl },
  );
  const api = await startApi(config, false);
  afterAll(() => api.close());
  return api;
}

export interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

export async function get(
  api: ApiServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const r = await fetch(`${api.url}${path}`, { headers });
  return { status: r.status, body: await r.text(), headers: r.headers };
}

/** The body without its `meta` (which legitimately differs between hot and cold answers). */
export function withoutMeta(body: string): string {
  const i = body.lastIndexOf(',"meta":');
  return i < 0 ? body : `${body.slice(0, i)}}`;
}

/** Every page of a list endpoint, following `next`; returns the pages' bodies (meta stripped). */
export async function walk(api: ApiServer, path: string): Promise<{ pages: string[]; status: number }> {
  const pages: string[] = [];
  let next: string | null = path;
  while (next) {
    const a = await get(api, next);
    if (a.status !== 200) return { pages: [...pages, a.body], status: a.status };
    pages.push(withoutMeta(a.body));
    next = (JSON.parse(a.body) as { next: string | null }).next;
    if (pages.length > 10_000) throw new Error(`walk ${path}: more than 10,000 pages`);
  }
  return { pages, status: 200 };
}

/** Equal, or fail naming the first difference with a little context (bodies are too large for a diff). */
export function expectSameText(
  actual: string | undefined,
  expected: string | undefined,
  label: string,
): void {
  if (actual === expected) return;
  const a = actual ?? "<missing>";
  const e = expected ?? "<missing>";
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  throw new Error(
    `${label}: differs at character ${i}\n  expected …${e.slice(Math.max(0, i - 120), i + 120)}…\n  actual   …${a.slice(Math.max(0, i - 120), i + 120)}…`,
  );
}
