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
import { type LakeStorage, latestWatermark, maintainLake } from "@stellar-lake/lake";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { migrateUp } from "@stellar-lake/schema";
import { afterFile, fixture, freshDatabase } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import { parse as parseExact, stringify as stringifyExact } from "lossless-json";
import pg from "pg";
import { type ApiConfig, type ApiServer, apiConfigFromEnv, startApi } from "../src/index";
import { resources } from "../src/tables";

export const CORE_TEST_PASSPHRASE = "(V) (;,,;) (V)";
const INGESTED_AT = "2024-01-02T03:04:05.123456Z";

export interface Lake {
  hotUrl: string;
  catalogUrl: string;
  dataPath: string;
  /** Set when the lake is not a local directory (e.g. s3://…). */
  storage?: LakeStorage;
  first: number;
  last: number;
  /** Flush every ledger ≤ w (that is not flushed yet) to cold storage. */
  flushTo(w: number): Promise<void>;
  /** Write the ledgers of the file up to `to` that are not written yet (one batch, as the ingester commits). */
  ingest(to: number): Promise<void>;
  /** Compact the lake (merge each table's files), as the flush service does on its schedule. */
  compact(): Promise<void>;
}

/**
 * A hot buffer holding `file`'s ledgers, an empty DuckLake catalog, and a data directory (dropped after the file)
 * — or, with `o.dataPath` and `o.storage`, another data path (e.g. `s3://bucket/prefix/`) flushed through that storage.
 */
export async function lakeWith(
  file: string,
  passphrase = CORE_TEST_PASSPHRASE,
  o: { dataPath?: string; storage?: LakeStorage; ingestTo?: number } = {},
): Promise<Lake> {
  const hot = await freshDatabase("apihot");
  await migrateUp(hot.url);
  const cat = await freshDatabase("apicat");
  const dataPath = o.dataPath ?? `${await mkdtemp(join(tmpdir(), "api-lake-"))}/`;
  const blobs = await readLedgerFile(fixture(file));
  const ledgers = blobs.map((b) => hotRowsOf(decodeLedger(b.xdr, b.sequence), passphrase));
  const client = new pg.Client({ connectionString: hot.url });
  client.on("error", () => {});
  await client.connect();
  // The ledgers up to `ingestTo` (default all), written as the ingester commits a batch.
  let ingested = 0;
  const ingest = async (to: number) => {
    const batch = ledgers.filter((l) => l.sequence > ingested && l.sequence <= to);
    if (!batch.length) return;
    await writeBatch(client, batch as unknown as LedgerRows[], {
      eraId: null,
      versionLabel: null,
      pipelineVersion: "test",
      processor: "query-api-test",
      checks: [],
      mayOverlap: false,
    });
    ingested = batch.at(-1)!.sequence;
    // One fixed ingestion time, so answers do not depend on when the test ran or how flushes were steered.
    await client.query(`UPDATE ledgers_row_v2 SET ingestion_timestamp = $1 WHERE sequence > $2`, [
      INGESTED_AT,
      batch[0]!.sequence - 1,
    ]);
  };
  await ingest(o.ingestTo ?? ledgers.at(-1)!.sequence);
  const catalog = new pg.Client({ connectionString: cat.url });
  catalog.on("error", () => {});
  await catalog.connect();
  const duck = await (await DuckDBInstance.create(":memory:")).connect();
  afterFile(async () => {
    await client.end();
    await catalog.end();
    duck.closeSync();
    if (!o.dataPath) await rm(dataPath, { recursive: true, force: true });
  });
  // The lake as the flusher and its maintenance address it.
  const lakeAt = {
    catalog,
    duck,
    metaSchema: "bronze_meta",
    lakeSchema: "bronze",
    dataPath,
    ...(o.storage ? { storage: o.storage } : {}),
  };
  return {
    hotUrl: hot.url,
    catalogUrl: cat.url,
    dataPath,
    ...(o.storage ? { storage: o.storage } : {}),
    first: ledgers[0]!.sequence,
    last: ledgers.at(-1)!.sequence,
    async flushTo(w: number) {
      // A flush moves the ledgers after the last watermark (or from the oldest hot one), at most up to w.
      const last =
        (await latestWatermark(catalog, lakeAt.metaSchema)) ??
        Number((await client.query("SELECT MIN(sequence) - 1 AS m FROM ledgers_row_v2")).rows[0].m);
      if (w > last) await flushOnce({ ...lakeAt, hot: client, minAgeMs: 0, maxLedgers: w - last });
    },
    ingest,
    async compact() {
      await maintainLake(lakeAt);
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
  afterFile(() => api.close());
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

/** Every endpoint worth asking (the oracle's set), built from the data itself (keys that exist, plus ones that do not). */
export async function endpoints(api: ApiServer, lake: Lake, o: { desc?: boolean } = {}): Promise<string[]> {
  const { first, last } = lake;
  const mid = Math.floor((first + last) / 2);
  const paths: string[] = [];
  for (const r of resources) {
    const range = r.snapshot ? `/${r.name}/history` : `/${r.name}`;
    paths.push(`${range}?start=${first}&end=${last}&limit=7`);
    paths.push(`${range}?start=${mid}&end=${mid + 1}&limit=3`);
    // Newest first: from the latest ledger (no start), over the whole range, and across two ledgers.
    if (o.desc) {
      paths.push(`${range}?order=desc&limit=7`);
      paths.push(`${range}?start=${last}&end=${first}&order=desc&limit=7`);
      paths.push(`${range}?start=${mid + 1}&end=${mid}&order=desc&limit=3`);
    }
    if (r.snapshot) {
      paths.push(`/${r.name}?limit=5`);
      paths.push(`/${r.name}?as_of_ledger=${mid}&limit=4`);
    }
  }
  // Keys taken from the all-hot answers.
  const txs = JSON.parse((await get(api, `/transactions?start=${first}&end=${last}&limit=10000`)).body)
    .transactions as { transaction_hash: string; ledger_sequence: number }[];
  for (const t of txs.filter((_, i) => i % 17 === 0)) {
    paths.push(`/transactions/${t.transaction_hash}`);
    paths.push(`/transactions/${t.transaction_hash}/operations?limit=2`);
    paths.push(`/transactions/${t.transaction_hash}/effects`);
    if (o.desc) paths.push(`/transactions/${t.transaction_hash}/operations?order=desc&limit=2`);
  }
  const accounts = JSON.parse((await get(api, `/accounts/history?limit=10000`)).body).accounts as {
    account_id: string;
  }[];
  const ids = [...new Set(accounts.map((a) => a.account_id))];
  for (const id of ids.filter((_, i) => i % 3 === 0)) {
    paths.push(`/accounts/${id}`);
    paths.push(`/accounts/${id}?as_of_ledger=${mid}`);
    paths.push(`/accounts/${id}/history?limit=3`);
    if (o.desc) paths.push(`/accounts/${id}/history?order=desc&limit=3`);
    paths.push(`/trustlines?account_id=${id}`);
    paths.push(`/signers?account_id=${id}`);
    paths.push(`/offers?seller_id=${id}`);
    paths.push(`/native_balances?account_id=${id}&as_of_ledger=${mid}`);
  }
  for (const s of [first, mid, last, last + 1]) paths.push(`/ledgers/${s}`);
  paths.push(`/transactions/${"0".repeat(64)}`);
  return paths;
}

export async function answers(api: ApiServer, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of paths) {
    const item = /^\/(ledgers|transactions|accounts)\/[^/?]+(\?.*)?$/.test(p);
    if (!item) {
      const w = await walk(api, p);
      out.set(p, `${w.status}\n${w.pages.join("\n")}`);
    } else {
      const a = await get(api, p);
      out.set(p, `${a.status}\n${a.body.slice(0, a.body.lastIndexOf(',"meta":'))}`);
    }
  }
  return out;
}

/** Every row of a list endpoint, page after page (`next`), as exact JSON text per row. */
export async function walkRows(api: ApiServer, path: string, key: string): Promise<string[]> {
  const rows: string[] = [];
  let next: string | null = path;
  while (next) {
    const a = await get(api, next);
    if (a.status !== 200) throw new Error(`${next}: ${a.status} ${a.body}`);
    const body = parseExact(a.body) as Record<string, unknown>;
    for (const r of body[key] as unknown[]) rows.push(stringifyExact(r)!);
    next = body.next as string | null;
    if (rows.length > 1_000_000) throw new Error(`walk ${path}: too many rows`);
  }
  return rows;
}
