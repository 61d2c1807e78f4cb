/**
 * The API's contract beyond the merge: every parameter validated (problem+json naming it, nothing reaching SQL
 * unparameterised), pagination across hot and cold, stats pruning, where-the-data-stands headers, auth, rate
 * limits, store outages as 503 naming the store, OpenAPI/docs, metrics, CORS. Real PostgreSQL, DuckDB, HTTP.
 */
import { readdir, rename } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, haveFixtures } from "@stellar-lake/test-support";
import { parse } from "lossless-json";
import pg from "pg";
import pino from "pino";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type ApiServer, apiConfigFromEnv, startApi } from "../src/index";
import { apiOver, get, type Lake, lakeWith, walk, withoutMeta } from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";
const G_OK = "GAAPFCW3Q3RK2EHJAG6LJIEOBXXUG6HVCY4V5HZHTOHYLQZI7KLKNPJW";
// Same alphabet and length, last character changed: the CRC16 checksum no longer matches.
const G_BAD_CHECKSUM = "GAAPFCW3Q3RK2EHJAG6LJIEOBXXUG6HVCY4V5HZHTOHYLQZI7KLKNPJX";

async function problem(api: ApiServer, path: string, headers: Record<string, string> = {}) {
  const a = await get(api, path, headers);
  return {
    status: a.status,
    type: a.headers.get("content-type"),
    body: JSON.parse(a.body) as Record<string, unknown>,
  };
}

/**
 * One request over a plain socket, the response read until the server closes or answers in full (fetch and
 * node:http refuse oversized headers, or stop reading when the server answers before the body is sent).
 */
function rawRequest(
  port: number,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = {
      host: "127.0.0.1",
      connection: "close",
      ...(o.body !== undefined ? { "content-length": String(Buffer.byteLength(o.body)) } : {}),
      ...o.headers,
    };
    const s = connect(port, "127.0.0.1", () => {
      s.write(
        `${o.method ?? "GET"} ${o.path} HTTP/1.1\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join("")}\r\n`,
      );
      // The server may answer and close before it has read the body: its write errors are expected.
      if (o.body !== undefined) s.write(o.body, () => {});
    });
    let out = "";
    s.setEncoding("utf8");
    s.on("data", (c: string) => (out += c));
    s.on("error", () => {});
    s.on("close", () => {
      const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(out);
      if (!m) return reject(new Error(`no HTTP response: ${out.slice(0, 200)}`));
      const type = /^content-type:\s*(.*)$/im.exec(m[2]!)?.[1]?.trim();
      resolve({ status: Number(m[1]), type, body: m[3]! });
    });
  });
}

describe.skipIf(!haveFixtures())("query API", () => {
  let lake: Lake;
  let api: ApiServer;
  let hot: pg.Client;
  beforeAll(async () => {
    lake = await lakeWith(FILE);
    api = await apiOver(lake, { API_MAX_LIMIT: "50", API_DEFAULT_LIMIT: "20", CORS_ORIGINS: "*" });
    hot = new pg.Client({ connectionString: lake.hotUrl });
    await hot.connect();
    return () => hot.end();
  });

  describe("bad input → 400 problem+json naming the parameter", () => {
    const cases: [string, string, RegExp][] = [
      ["/ledgers?order=sideways", "order", /allowed values/],
      ["/ledgers?order=desc&start=5&end=10", "end", /with order=desc, must be ≤ start/],
      ["/ledgers?start=abc", "start", /integer/],
      ["/ledgers?start=-1", "start", />= 0/],
      ["/ledgers?start=1.5", "start", /integer/],
      ["/ledgers?start=99999999999", "start", /<= 4294967295/],
      ["/ledgers?start=10&end=5", "end", /≥ start/],
      ["/ledgers?start=1&limit=51", "limit", /<= 50/],
      ["/ledgers?start=1&limit=0", "limit", />= 1/],
      ["/ledgers?start=1&limit=ten", "limit", /integer/],
      ["/ledgers?start=1&sequence=3", "sequence", /unknown parameter/],
      ["/accounts?account_id=not-a-key", "account_id", /pattern/],
      [`/accounts?account_id=${G_BAD_CHECKSUM}`, "account_id", /checksum/],
      ["/accounts?account_id=' OR 1=1 --", "account_id", /pattern/],
      ["/transactions/xyz", "hash", /pattern/],
      [`/transactions/${"A".repeat(64)}`, "hash", /pattern/],
      ["/ledgers/-3", "sequence", />= 0/],
      ["/ledgers?start=1&cursor=!!", "cursor", /pattern/],
      ["/ledgers?start=1&cursor=bm90LWEtY3Vyc29y", "cursor", /not a cursor/],
      [`/offers?seller_id=${G_OK}&seller_account=${G_OK}`, "seller_id", /either seller_id or seller_account/],
      ["/operations?start=1&type=1;DROP", "type", /pattern/],
      // Integers are plain decimal digits: no JavaScript number syntax, no spaces (Infinity was a 500).
      ["/ledgers?start=Infinity", "start", /must be a decimal integer, got 'Infinity'/],
      ["/ledgers?start=1e3", "start", /decimal integer/],
      ["/ledgers?start=0x10", "start", /decimal integer/],
      ["/ledgers?start=%205", "start", /decimal integer, got ' 5'/],
      ["/ledgers?start=5%20", "start", /decimal integer/],
      ["/ledgers?start=1&end=Infinity", "end", /decimal integer/],
      ["/ledgers?start=1&limit=Infinity", "limit", /decimal integer/],
      ["/ledgers?start=1&limit=1e1", "limit", /decimal integer/],
      ["/accounts?as_of_ledger=Infinity", "as_of_ledger", /decimal integer/],
      ["/accounts/history?start=-Infinity", "start", /decimal integer/],
      ["/ledgers/Infinity", "sequence", /decimal integer/],
      ["/ledgers/1e3", "sequence", /decimal integer/],
      ["/ledgers/0x10", "sequence", /decimal integer/],
      // Every route refuses unknown parameters, key lookups included.
      ["/ledgers/5?foo=1", "foo", /unknown parameter 'foo'/],
      [`/transactions/${"a".repeat(64)}?foo=1`, "foo", /unknown parameter 'foo'/],
      [`/accounts/${G_OK}?foo=1`, "foo", /unknown parameter 'foo'/],
    ];
    for (const [path, parameter, detail] of cases) {
      it(`${path} → 400 (${parameter})`, async () => {
        const p = await problem(api, path);
        expect(p.status).toBe(400);
        expect(p.type).toMatch(/^application\/problem\+json/);
        expect(p.body.parameter).toBe(parameter);
        expect(String(p.body.detail)).toMatch(detail);
        expect(p.body.title).toBe("Invalid parameter");
      });
    }

    it("SQL in a free-text filter is a value, not SQL: no rows, tables intact", async () => {
      const before = (await hot.query("SELECT count(*)::int AS n FROM operations_row_v2")).rows[0].n;
      const injected = encodeURIComponent("payment'; DELETE FROM operations_row_v2; --");
      const a = await get(api, `/operations?start=${lake.first}&type_string=${injected}`);
      expect(a.status).toBe(200);
      expect(JSON.parse(a.body).count).toBe(0);
      expect((await hot.query("SELECT count(*)::int AS n FROM operations_row_v2")).rows[0].n).toBe(before);
      expect(before).toBeGreaterThan(0);
    });

    it("a cursor replayed on another query is refused", async () => {
      const first = JSON.parse((await get(api, `/ledgers?start=${lake.first}&limit=2`)).body);
      expect(first.cursor).toBeTruthy();
      const p = await problem(api, `/ledgers?start=${lake.first + 1}&limit=2&cursor=${first.cursor}`);
      expect(p.status).toBe(400);
      expect(String(p.body.detail)).toMatch(/different query/);
      const ops = await problem(api, `/operations?start=${lake.first}&limit=2&cursor=${first.cursor}`);
      expect(ops.status).toBe(400);
    });

    it("unknown routes and keys are 404 problems", async () => {
      expect((await problem(api, "/nope")).status).toBe(404);
      const l = await problem(api, `/ledgers/${lake.last + 10}`);
      expect(l.status).toBe(404);
      expect(String(l.body.detail)).toMatch(new RegExp(`ledger ${lake.last + 10}`));
      expect((await problem(api, `/accounts/${G_OK}`)).status).toBe(404);
    });
  });

  describe("answers", () => {
    it("int64 values are exact JSON numbers (total_coins 10^18) and timestamps RFC 3339", async () => {
      const a = await get(api, `/ledgers/${lake.first}`);
      const body = parse(a.body) as { ledger: Record<string, { value?: string } | string> };
      const coins = body.ledger.total_coins as unknown as { value: string };
      const direct = (
        await hot.query("SELECT total_coins::text AS c FROM ledgers_row_v2 WHERE sequence = $1", [lake.first])
      ).rows[0].c;
      expect(coins.value).toBe(direct);
      expect(a.body).toContain(`"total_coins":${direct},`);
      expect(body.ledger.ingestion_timestamp).toBe("2024-01-02T03:04:05.123456Z");
    });

    it("without start: the oldest ledgers first, or with order=desc the latest (Horizon's order)", async () => {
      const seqs = async (path: string) =>
        (JSON.parse((await get(api, path)).body).ledgers as { sequence: number }[]).map((l) => l.sequence);
      const all = (
        await hot.query("SELECT sequence::int AS s FROM ledgers_row_v2 ORDER BY sequence")
      ).rows.map((r) => r.s as number);
      expect(await seqs("/ledgers?limit=2")).toEqual(all.slice(0, 2));
      expect(await seqs("/ledgers?order=desc&limit=10")).toEqual(all.slice(-10).reverse());
      expect(await seqs(`/ledgers?order=desc&start=${all[5]}&limit=3`)).toEqual([all[5], all[4], all[3]]);
      const body = JSON.parse((await get(api, "/ledgers?order=desc&limit=1")).body);
      expect([body.start, body.end, body.order]).toEqual([all.at(-1), all[0], "desc"]);
    });

    it("pagination walks a range larger than the maximum page, hot and cold, with no gap or duplicate", async () => {
      await lake.flushTo(lake.first + 40);
      const { pages, status } = await walk(api, `/operations?start=${lake.first}&end=${lake.last}&limit=50`);
      expect(status).toBe(200);
      const keys = pages.flatMap((p) =>
        (
          JSON.parse(p).operations as {
            ledger_sequence: number;
            transaction_hash: string;
            operation_index: number;
          }[]
        ).map((o) => `${o.ledger_sequence}/${o.transaction_hash}/${o.operation_index}`),
      );
      const expected = (
        await hot.query(
          `SELECT ledger_sequence || '/' || transaction_hash || '/' || operation_index AS k FROM operations_row_v2
           WHERE ledger_sequence > $1 ORDER BY ledger_sequence, transaction_hash COLLATE "C", operation_index`,
          [lake.first + 40],
        )
      ).rows.map((r) => r.k as string);
      expect(pages.length).toBeGreaterThan(2);
      expect(new Set(keys).size).toBe(keys.length);
      // Hot holds only what was not flushed: the walk's tail is exactly the hot rows, the head came from cold.
      expect(keys.slice(keys.length - expected.length)).toEqual(expected);
      expect(keys.length).toBe(135);
    });

    it("states where the data stands (body meta and headers)", async () => {
      const a = await get(api, `/ledgers?start=${lake.first}&limit=1`);
      const meta = JSON.parse(a.body).meta;
      expect(meta).toMatchObject({
        oldest_ledger: lake.first,
        latest_ledger: lake.last,
        cold_watermark: lake.first + 40,
      });
      expect(typeof meta.ducklake_snapshot).toBe("number");
      expect(a.headers.get("x-cold-watermark")).toBe(String(lake.first + 40));
      expect(a.headers.get("x-latest-ledger")).toBe(String(lake.last));
      expect(a.headers.get("x-oldest-ledger")).toBe(String(lake.first));
      expect(a.headers.get("x-ducklake-snapshot")).toBe(String(meta.ducklake_snapshot));
    });

    it("a one-ledger cold query scans only the file covering it", async () => {
      await lake.flushTo(lake.first + 60);
      await lake.flushTo(lake.first + 80);
      const one = JSON.parse(
        (await get(api, `/ledgers?start=${lake.first + 50}&end=${lake.first + 50}`)).body,
      );
      expect(one.count).toBe(1);
      expect(one.meta.cold_files).toBe(1);
      const all = JSON.parse((await get(api, `/ledgers?start=${lake.first}&end=${lake.last}&limit=50`)).body);
      expect(all.meta.cold_files).toBe(3);
    });

    it("CORS headers when CORS_ORIGINS is set", async () => {
      const a = await get(api, `/ledgers?start=${lake.first}&limit=1`, { origin: "https://example.org" });
      expect(a.headers.get("access-control-allow-origin")).toBe("https://example.org");
    });

    it("OpenAPI lists every resource; Swagger UI is served", async () => {
      const doc = JSON.parse((await get(api, "/openapi.json")).body);
      expect(doc.openapi).toMatch(/^3\./);
      for (const p of [
        "/ledgers",
        "/transactions/{hash}",
        "/accounts",
        "/accounts/history",
        "/contract_data",
        "/ttl/history",
        "/evicted_keys",
      ])
        expect(Object.keys(doc.paths), p).toContain(p);
      const limit = doc.paths["/ledgers"].get.parameters.find((x: { name: string }) => x.name === "limit");
      expect(limit.schema.maximum).toBe(50);
      const ui = await get(api, "/docs/");
      expect(ui.status).toBe(200);
      expect(ui.body).toMatch(/swagger/i);
    });

    it("metrics count requests per route, latency, and rows per store", async () => {
      await get(api, `/ledgers?start=${lake.first}&end=${lake.last}&limit=50`);
      const m = (await get(api, "/metrics")).body;
      expect(m).toMatch(/query_api_requests_total\{route="\/ledgers",method="GET",status="200"\} \d+/);
      expect(m).toMatch(/query_api_requests_total\{route="\/ledgers",method="GET",status="400"\} \d+/);
      expect(m).toMatch(/query_api_request_duration_seconds_bucket\{le="0.1",route="\/ledgers"\}/);
      expect(m).toMatch(/query_api_rows_served_total\{store="cold"\} [1-9]/);
      expect(m).toMatch(/query_api_rows_served_total\{store="hot"\} [1-9]/);
    });

    it("a newer snapshot written by another tool (no flush state) keeps the watermark of the last flush", async () => {
      const before = await get(api, `/ledgers?start=${lake.first}&end=${lake.last}&limit=50`);
      const w = JSON.parse(before.body).meta.cold_watermark;
      const cat = new pg.Client({ connectionString: lake.catalogUrl });
      await cat.connect();
      try {
        await cat.query(`INSERT INTO bronze_meta.ducklake_snapshot
          SELECT snapshot_id + 1, now(), schema_version, next_catalog_id, next_file_id
          FROM bronze_meta.ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1`);
        await cat.query(`INSERT INTO bronze_meta.ducklake_snapshot_changes
          SELECT max(snapshot_id), '', 'someone', 'manual edit', 'not json' FROM bronze_meta.ducklake_snapshot`);
      } finally {
        await cat.end();
      }
      const after = await get(api, `/ledgers?start=${lake.first}&end=${lake.last}&limit=50`);
      const meta = JSON.parse(after.body).meta;
      expect(meta.cold_watermark).toBe(w);
      expect(meta.ducklake_snapshot).toBe(JSON.parse(before.body).meta.ducklake_snapshot + 1);
      expect(withoutMeta(after.body)).toBe(withoutMeta(before.body));
    });

    it("one log line per data request (method, url, status, ms); probes only at debug", async () => {
      const lines: Record<string, unknown>[] = [];
      const logger = pino(
        { level: "info" },
        { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) },
      );
      const logged = await startApi(
        apiConfigFromEnv(
          { API_PORT: "0", API_HOST: "127.0.0.1" },
          { databaseUrl: lake.hotUrl, catalogUrl: lake.catalogUrl },
        ),
        logger,
      );
      onTestFinished(() => logged.close());
      await get(logged, `/ledgers/${lake.first}`);
      await get(logged, "/health");
      await get(logged, "/ledgers/-3");
      const requests = lines.filter((l) => l.msg === "request");
      expect(requests.map((l) => [l.method, l.url, l.status])).toEqual([
        ["GET", `/ledgers/${lake.first}`, 200],
        ["GET", "/ledgers/-3", 400],
      ]);
      expect(typeof requests[0]!.ms).toBe("number");
      expect(requests[0]!.reqId).toBeDefined();
    });

    it("/health reports both stores; the status page renders", async () => {
      const h = JSON.parse((await get(api, "/health")).body);
      expect(h).toEqual({
        status: "healthy",
        node: process.versions.node,
        live: true,
        ready: true,
        reasons: [],
        hot: "ok",
        cold: "ok",
      });
      const page = await get(api, "/");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      expect(page.body).toContain("ledgers_row_v2");
    });
  });

  describe("auth and rate limits", () => {
    it("API_KEYS: data routes need a key (401), /health does not", async () => {
      const locked = await apiOver(lake, { API_KEYS: "k-one,k-two" });
      const none = await problem(locked, `/ledgers?start=${lake.first}`);
      expect(none.status).toBe(401);
      expect(String(none.body.detail)).toMatch(/API key is required/);
      expect((await problem(locked, `/ledgers?start=${lake.first}`, { "x-api-key": "wrong" })).status).toBe(
        401,
      );
      expect((await get(locked, `/ledgers?start=${lake.first}`, { "x-api-key": "k-two" })).status).toBe(200);
      expect(
        (await get(locked, `/ledgers?start=${lake.first}`, { authorization: "Bearer k-one" })).status,
      ).toBe(200);
      expect((await get(locked, "/health")).status).toBe(200);
    });

    it("RATE_LIMIT_MAX: the request over the limit is 429", async () => {
      const limited = await apiOver(lake, { RATE_LIMIT_MAX: "3", RATE_LIMIT_WINDOW: "1 minute" });
      for (let i = 0; i < 3; i++)
        expect((await get(limited, `/ledgers?start=${lake.first}&limit=1`)).status).toBe(200);
      const p = await problem(limited, `/ledgers?start=${lake.first}&limit=1`);
      expect(p.status).toBe(429);
      expect(p.type).toMatch(/problem\+json/);
      expect((await get(limited, "/health")).status).toBe(200);
    });
  });

  describe("requests Node refuses before any route runs are problem+json too", () => {
    it("headers too large → 431", async () => {
      const r = await rawRequest(api.port, {
        path: `/ledgers?start=${lake.first}`,
        headers: { "x-big": "a".repeat(20_000) },
      });
      expect(r.status).toBe(431);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(r.body)).toMatchObject({ status: 431, title: "Request Header Fields Too Large" });
    });
  });

  describe("a store that is down → 503 naming it, never a partial answer", () => {
    it("hot buffer unreachable", async () => {
      const port = await freePort();
      const down = await apiOver({ ...lake, hotUrl: `postgres://nobody:secret-pw@127.0.0.1:${port}/x` });
      const p = await problem(down, `/ledgers?start=${lake.first}`);
      expect(p.status).toBe(503);
      expect(p.body.store).toBe("hot");
      expect(JSON.stringify(p.body)).not.toContain("secret-pw");
      // Which store and why, never where it lives (`connect ECONNREFUSED 127.0.0.1:<port>`).
      expect(String(p.body.detail)).toMatch(/ECONNREFUSED/);
      expect(JSON.stringify(p.body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}`));
      const h = await get(down, "/health");
      expect(h.status).toBe(503);
      expect(h.body).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}|secret-pw`));
      expect(JSON.parse(h.body)).toMatchObject({
        status: "unhealthy",
        live: true,
        ready: false,
        reasons: [{ reason: "store_unreachable", detail: expect.stringMatching(/^hot: .*ECONNREFUSED/) }],
      });
      // Liveness and readiness are separate probes: a store outage is not a reason to restart the API.
      expect((await get(down, "/health/live")).status).toBe(200);
      expect((await get(down, "/health/ready")).status).toBe(503);
    });

    it("DuckLake catalog unreachable", async () => {
      const port = await freePort();
      const down = await apiOver({ ...lake, catalogUrl: `postgres://nobody:secret-pw@127.0.0.1:${port}/x` });
      const p = await problem(down, `/ledgers?start=${lake.first}`);
      expect(p.status).toBe(503);
      expect(p.body.store).toBe("cold-catalog");
    });

    it("a Parquet file missing → 503 naming the file", async () => {
      const fresh = await apiOver(lake);
      const dir = join(lake.dataPath, "bronze", "ledgers_row_v2");
      const files = (await readdir(dir)).filter((f) => f.endsWith(".parquet"));
      expect(files.length).toBeGreaterThan(0);
      await rename(join(dir, files[0]!), join(dir, `${files[0]}.moved`));
      try {
        const p = await problem(fresh, `/ledgers?start=${lake.first}&end=${lake.last}`);
        expect(p.status).toBe(503);
        expect(p.body.store).toBe("cold-data");
        expect(String(p.body.detail)).toContain(files[0]);
      } finally {
        await rename(join(dir, `${files[0]}.moved`), join(dir, files[0]!));
      }
    });
  });
});
