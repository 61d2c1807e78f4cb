/**
 * Key filters: per data file and key column, a Bloom filter of the column's distinct values, so a lookup by
 * account, contract, … reads only the files that may hold the key. A file's min/max stats cannot do this: every
 * flush holds accounts from all over the key space. The filters live in the catalog database beside the file's
 * DuckLake rows (`stellar_lake_key_filter`, not a DuckLake table: DuckLake readers ignore it) and are written in
 * the same transaction as the file's column stats (`insertFileColumnStats`), so flushes, backfill and compaction
 * all keep them. A file without a filter for a column (written before filters existed, or by another tool) is
 * always read: a filter can only leave out files that cannot hold the key.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableDef } from "@stellar-lake/schema";
import type pg from "pg";
import type { CatalogSource } from "./reader";

export const KEY_FILTER_TABLE = "stellar_lake_key_filter";

/**
 * The identifier columns the query API filters on (accounts, contracts, pools, balances, hashes): high
 * cardinality, each value in few ledgers. Low-cardinality filters (types, booleans) prune nothing this way.
 */
const KEY_COLUMNS = new Set([
  "account_id",
  "source_account",
  "seller_account",
  "buyer_account",
  "contract_id",
  "balance_holder",
  "liquidity_pool_id",
  "balance_id",
  "transaction_hash",
  "sponsor",
  "key_hash",
]);

/** The columns of `t` that get key filters (TEXT columns only: the filter hashes the value's text). */
export function keyFilterColumns(t: TableDef): string[] {
  return t.columns.filter((c) => c.pg === "TEXT" && KEY_COLUMNS.has(c.name)).map((c) => c.name);
}

export interface KeyFilter {
  /** Bit array, `bits.length * 8` bits. */
  bits: Uint8Array;
  hashes: number;
  /** Distinct keys it was built from. */
  keys: number;
}

/** 15 bits per key and 10 hashes: a false positive rate near 0.1% (1 file in 1,000 read for nothing). */
const BITS_PER_KEY = 15;
const HASHES = 10;

/** Two independent 32-bit hashes of the UTF-8 bytes of `s` (FNV-1a with two offset bases, murmur3's finaliser). */
function hashPair(s: string): [number, number] {
  const bytes = Buffer.from(s, "utf8");
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const x of bytes) {
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x01000193);
  }
  const fmix = (h: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  };
  // The second hash is the step of the probe sequence: odd, so it never cycles early.
  return [fmix(a), fmix(b + 0x9e3779b9) | 1];
}

export function buildKeyFilter(keys: Iterable<string>): KeyFilter {
  const list = [...new Set(keys)];
  const m = Math.max(64, Math.ceil((list.length * BITS_PER_KEY) / 8) * 8);
  const bits = new Uint8Array(m / 8);
  for (const k of list) {
    const [h1, h2] = hashPair(k);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % m;
      bits[at >>> 3]! |= 1 << (at & 7);
    }
  }
  return { bits, hashes: HASHES, keys: list.length };
}

/** False: `key` is certainly not in the file. True: it may be. */
export function mayContain(f: KeyFilter, key: string): boolean {
  const m = f.bits.length * 8;
  const [h1, h2] = hashPair(key);
  for (let i = 0; i < f.hashes; i++) {
    const at = ((h1 + Math.imul(i, h2)) >>> 0) % m;
    if ((f.bits[at >>> 3]! & (1 << (at & 7))) === 0) return false;
  }
  return true;
}

/** The key filters of a Parquet file DuckDB has just written (column name → filter). */
export async function keyFiltersOfFile(
  duck: DuckDBConnection,
  t: TableDef,
  path: string,
): Promise<Map<string, KeyFilter>> {
  const out = new Map<string, KeyFilter>();
  const file = `'${path.replaceAll("'", "''")}'`;
  for (const c of keyFilterColumns(t)) {
    const col = `"${c.replaceAll('"', '""')}"`;
    const r = await duck.runAndReadAll(
      `SELECT DISTINCT ${col} FROM read_parquet(${file}) WHERE ${col} IS NOT NULL`,
    );
    out.set(c, buildKeyFilter(r.getRows().map((row) => String(row[0]))));
  }
  return out;
}

async function ensureKeyFilterTable(client: pg.ClientBase, s: string): Promise<void> {
  const found = await client.query("SELECT to_regclass($1) AS t", [`${s}.${KEY_FILTER_TABLE}`]);
  if (found.rows[0].t !== null) return;
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${s}.${KEY_FILTER_TABLE} (
       data_file_id BIGINT NOT NULL, table_id BIGINT NOT NULL, column_id BIGINT NOT NULL,
       hashes INTEGER NOT NULL, keys BIGINT NOT NULL, bits BYTEA NOT NULL,
       PRIMARY KEY (table_id, column_id, data_file_id))`,
  );
}

/** Registers a data file's key filters (in the caller's transaction; `s` is the quoted meta schema). */
export async function insertKeyFilters(
  client: pg.ClientBase,
  s: string,
  dataFileId: number,
  tableId: number,
  filters: ReadonlyMap<number, KeyFilter>,
): Promise<void> {
  if (filters.size === 0) return;
  await ensureKeyFilterTable(client, s);
  const f = [...filters];
  await client.query(
    `INSERT INTO ${s}.${KEY_FILTER_TABLE} (data_file_id, table_id, column_id, hashes, keys, bits)
     SELECT $1, $2, c, h, k, b FROM unnest($3::bigint[], $4::int[], $5::bigint[], $6::bytea[]) AS u(c, h, k, b)
     ON CONFLICT (table_id, column_id, data_file_id) DO UPDATE SET hashes = EXCLUDED.hashes, keys = EXCLUDED.keys, bits = EXCLUDED.bits`,
    [
      dataFileId,
      tableId,
      f.map(([c]) => c),
      f.map(([, x]) => x.hashes),
      f.map(([, x]) => x.keys),
      f.map(([, x]) => Buffer.from(x.bits)),
    ],
  );
}

/**
 * The key filters of one column for the given data files, by data file id (a file without one is absent: read
 * it). An empty map when the catalog has no filter table (a lake written before them).
 */
export async function readKeyFilters(
  cat: CatalogSource,
  tableId: string,
  columnId: string,
  fileIds: readonly string[],
): Promise<Map<string, KeyFilter>> {
  let rows: Record<string, unknown>[];
  try {
    rows = await cat.query(
      `SELECT data_file_id, hashes, keys, bits FROM ${cat.t(KEY_FILTER_TABLE)}
       WHERE table_id = $1 AND column_id = $2 AND data_file_id = ANY($3::bigint[])`,
      [tableId, columnId, fileIds],
    );
  } catch (err) {
    if ((err as { code?: string }).code === "42P01") return new Map();
    throw err;
  }
  return new Map(
    rows.map((r) => [
      String(r.data_file_id),
      { bits: new Uint8Array(r.bits as Buffer), hashes: Number(r.hashes), keys: Number(r.keys) },
    ]),
  );
}
