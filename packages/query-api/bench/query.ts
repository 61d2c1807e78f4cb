/**
 * `pnpm bench query`: the query API as deployed (`stellar-lake serve`, its own process) driven by autocannon at
 * 1 and 32 connections with 100-row pages — hot only, cold only, straddling the watermark, key lookups —
 * next to the floor measured in the same run: the very statements the API runs for each request, executed
 * directly (PostgreSQL through `pg`, Parquet through in-process DuckDB) with the same concurrency.
 * Target: API p99 ≤ 2 × floor p99 + 5 ms at 32 connections.
 * BENCH_QUERY_LEDGERS sets the ledger count (default 200 re-sequenced mainnet ledgers, half flushed to cold).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { flushOnce } from "@stellar-lake/flusher";
import { type LedgerRows, writeBatch } from "@stellar-lake/ingester";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence } from "@stellar-lake/ledger-source";
import { migrateUp } from "@stellar-lake/schema";
import { createDatabase, fixture, freePort, repoRoot, startBenchPostgres } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import autocannon from "autocannon";
import pg from "pg";
import { API_NODE_OPTIONS } from "../src/node-options";
import { latestRows, rangeRows, type View } from "../src/query";
import { ColdStore } from "../src/stores/cold";
import { HotStore } from "../src/stores/hot";
import { resource } from "../src/tables";

const PUBNET = "Public Global Stellar Network ; September 2015";
const DURATION_S = Number(process.env.BENCH_QUERY_SECONDS ?? 5);

interface Stat {
  p50_ms: number;
  p99_ms: number;
  req_per_s: number;
}

function stats(latencies: number[], seconds: number): Stat {
  const s = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return {
    p50_ms: +at(0.5).toFixed(2),
    p99_ms: +at(0.99).toFixed(2),
    req_per_s: +(s.length / seconds).toFixed(1),
  };
}

/** `concurrency` loops calling `fn` back to back for the duration; latency per call. */
async function closedLoop(
  concurrency: number,
  fn: (worker: number) => Promise<void>,
): Promise<Stat & { cpu_ms_per_req: number; calls: number }> {
  const latencies: number[] = [];
  const end = performance.now() + DURATION_S * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < end) {
        const t = performance.now();
        await fn(w);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return {
    ...stats(latencies, (performance.now() - t0) / 1000),
    // This process's CPU per call (pg's row parsing; in-process DuckDB for the cold statements).
    cpu_ms_per_req: +((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)).toFixed(2),
    calls: latencies.length,
  };
}

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
async function cpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/** CPU seconds of a PostgreSQL server so far: the postmaster, its live children, and its reaped ones. */
async function pgCpuSeconds(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    let total = 0;
    for (const p of await readdir("/proc")) {
      if (!/^[0-9]+$/.test(p)) continue;
      const stat = await readFile(`/proc/${p}/stat`, "utf8").catch(() => "");
      if (!stat) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const mine = Number(p) === pid;
      if (!mine && Number(f[1]) !== pid) continue;
      total += Number(f[11]) + Number(f[12]) + (mine ? Number(f[13]) + Number(f[14]) : 0);
    }
    return total / 100;
  } catch {
    return undefined;
  }
}

const perReq = (a: number | undefined, b: number | undefined, n: number) =>
  a !== undefined && b !== undefined && n > 0 ? +((1000 * (b - a)) / n).toFixed(2) : undefined;

async function drive(
  url: string,
  connections: number,
  apiPid: number | undefined,
  pgDataDir: string,
): Promise<Stat & { non_2xx: number; cpu_ms_per_req?: number; pg_cpu_ms_per_req?: number }> {
  const [cpu0, pg0] = [await cpuSeconds(apiPid), await pgCpuSeconds(pgDataDir)];
  const r = await autocannon({ url, connections, duration: DURATION_S, pipelining: 1 });
  const [cpu1, pg1] = [await cpuSeconds(apiPid), await pgCpuSeconds(pgDataDir)];
  const cpu = perReq(cpu0, cpu1, r.requests.total);
  const pgCpu = perReq(pg0, pg1, r.requests.total);
  return {
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    req_per_s: r.requests.average,
    non_2xx: r.non2xx + r.errors,
    // CPU per request of the API process and of PostgreSQL: figures the machine's other load moves little.
    ...(cpu !== undefined ? { cpu_ms_per_req: cpu } : {}),
    ...(pgCpu !== undefined ? { pg_cpu_ms_per_req: pgCpu } : {}),
  };
}

interface Captured {
  store: "hot" | "cold";
  sql: string;
  params: readonly string[];
}

/** The statements the API runs for one request (rangeRows/latestRows on a recording view). */
async function capture(
  hot: HotStore,
  cold: ColdStore,
  run: (v: View) => Promise<unknown>,
): Promise<Captured[]> {
  const out: Captured[] = [];
  await hot.snapshot(async (h) => {
    const state = await cold.state();
    const recHot = {
      ...h,
      query: (sql: string, params: readonly string[]) => {
        out.push({ store: "hot", sql, params });
        return h.query(sql, params);
      },
    };
    const recCold = Object.create(cold) as ColdStore;
    recCold.query = (sql, params) => {
      out.push({ store: "cold", sql, params });
      return cold.query(sql, params);
    };
    await run({ hot: recHot, cold: recCold, state });
  });
  return out;
}

function serve(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      // The node options the API is deployed with, then the bench's own (e.g. --cpu-prof).
      ...API_NODE_OPTIONS.split(" "),
      ...(process.env.BENCH_QUERY_API_NODE_ARGS ?? "").split(" ").filter(Boolean),
      "--import",
      "tsx",
      join(repoRoot, "packages/cli/src/main.ts"),
      "serve",
    ],
    {
      env: { ...process.env, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${env.API_PORT}/health`)).ok) return;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error("query API did not become healthy");
  })();
  return { child, ready };
}

export async function run(): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_QUERY_LEDGERS ?? 200);
  const dir = await mkdtemp(join(tmpdir(), "bench-query-"));
  const server = await startBenchPostgres("query");
  let api: ChildProcess | undefined;
  try {
    const hotDb = await createDatabase(server.adminUrl, "qhot");
    const catDb = await createDatabase(server.adminUrl, "qcat");
    await migrateUp(hotDb.url);
    const start = 2_000_000;
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start, count, closeTimeStart: 1_725_000_000 },
      ),
    ].map((l) => hotRowsOf(decodeLedger(l.xdr, l.sequence), PUBNET));
    const client = new pg.Client({ connectionString: hotDb.url });
    await client.connect();
    for (let i = 0; i < ledgers.length; i += 25)
      await writeBatch(client, ledgers.slice(i, i + 25) as unknown as LedgerRows[], {
        eraId: null,
        versionLabel: null,
        pipelineVersion: "bench",
        processor: "bench-query",
        checks: [],
        mayOverlap: false,
      });
    const last = start + count - 1;
    const W = start + Math.floor(count / 2) - 1;
    // Flush the older half in 10 flushes (10 files per table, as a lake between compactions holds).
    const catalog = new pg.Client({ connectionString: catDb.url });
    await catalog.connect();
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const step = Math.ceil((W - start + 1) / 10);
    let flushed = start - 1;
    for (let w = start + step - 1; ; w = Math.min(W, w + step)) {
      await flushOnce({
        hot: client,
        catalog,
        duck,
        metaSchema: "bronze_meta",
        lakeSchema: "bronze",
        dataPath: `${dir}/`,
        minAgeMs: 0,
        maxLedgers: w - flushed,
      });
      flushed = w;
      if (w >= W) break;
    }
    duck.closeSync();
    await catalog.end();
    const account = (
      await client.query("SELECT account_id FROM accounts_snapshot_v1 ORDER BY account_id LIMIT 1")
    ).rows[0].account_id as string;
    await client.end();

    const port = await freePort();
    const s = serve({
      DATABASE_URL: hotDb.url,
      DUCKLAKE_CATALOG_URL: catDb.url,
      API_PORT: String(port),
      API_HOT_POOL_SIZE: "32",
    });
    api = s.child;
    await s.ready;
    const base_url = `http://127.0.0.1:${port}`;

    const hot = new HotStore({ url: hotDb.url, max: 32 });
    const cold = new ColdStore({ catalogUrl: catDb.url });
    const ops = resource("operations");
    const lg = resource("ledgers");
    const acc = resource("accounts");
    const hotLedger = BigInt(W + 10);
    const coldLedger = BigInt(W - 10);
    const scenarios: { name: string; path: string; run: (v: View) => Promise<unknown> }[] = [
      {
        name: "hot_only_operations_page",
        path: `/operations?start=${hotLedger}&end=${hotLedger}&limit=100`,
        run: (v) => rangeRows(v, { res: ops, from: hotLedger, to: hotLedger, filters: [], limit: 100 }),
      },
      {
        name: "cold_only_operations_page",
        path: `/operations?start=${coldLedger}&end=${coldLedger}&limit=100`,
        run: (v) => rangeRows(v, { res: ops, from: coldLedger, to: coldLedger, filters: [], limit: 100 }),
      },
      {
        name: "straddling_ledgers_page",
        path: `/ledgers?start=${W - 49}&end=${W + 50}&limit=100`,
        run: (v) =>
          rangeRows(v, { res: lg, from: BigInt(W - 49), to: BigInt(W + 50), filters: [], limit: 100 }),
      },
      {
        name: "key_lookup_ledger_cold",
        path: `/ledgers/${coldLedger}`,
        run: (v) => rangeRows(v, { res: lg, from: coldLedger, to: coldLedger, filters: [], limit: 1 }),
      },
      {
        name: "key_lookup_account_latest",
        path: `/accounts/${account}`,
        run: (v) =>
          latestRows(v, {
            res: acc,
            asOf: BigInt(last),
            filters: [{ column: acc.table.columns.find((c) => c.name === "account_id")!, value: account }],
            limit: 1,
          }),
      },
    ];
    const results: Record<string, unknown> = {};
    const hotClients = await Promise.all(
      Array.from({ length: 32 }, async () => {
        const c = new pg.Client({ connectionString: hotDb.url });
        await c.connect();
        return c;
      }),
    );
    // BENCH_QUERY_SCENARIOS=name,name runs a subset (profiling one request kind).
    const only = process.env.BENCH_QUERY_SCENARIOS?.split(",").filter(Boolean);
    for (const sc of scenarios) {
      if (only && !only.includes(sc.name)) continue;
      const statements = await capture(hot, cold, sc.run);
      const floorOnce = async (w: number) => {
        for (const st of statements) {
          if (st.store === "hot") await hotClients[w]!.query(st.sql, st.params as string[]);
          else await cold.query(st.sql, st.params);
        }
      };
      const row: Record<string, unknown> = {
        path: sc.path,
        statements: statements.map((x) => x.store).join("+"),
      };
      for (const c of [1, 32]) {
        const apiStat = await drive(`${base_url}${sc.path}`, c, api.pid, server.dataDir);
        const pg0 = await pgCpuSeconds(server.dataDir);
        const floorStat = await closedLoop(c, floorOnce);
        const pgCpu = perReq(pg0, await pgCpuSeconds(server.dataDir), floorStat.calls);
        const { calls: _calls, ...floorRest } = floorStat;
        const floor = { ...floorRest, ...(pgCpu !== undefined ? { pg_cpu_ms_per_req: pgCpu } : {}) };
        row[`c${c}`] = {
          api: apiStat,
          floor,
          p99_target_ms: +(2 * floor.p99_ms + 5).toFixed(2),
          meets_target: apiStat.p99_ms <= 2 * floor.p99_ms + 5,
        };
      }
      results[sc.name] = row;
    }
    for (const c of hotClients) await c.end();
    await hot.close();
    await cold.close();
    return {
      ledgers: count,
      cold_watermark: W,
      duration_s_per_measure: DURATION_S,
      target: "API p99 ≤ 2 × floor p99 + 5 ms at 32 connections",
      ...results,
    };
  } finally {
    api?.kill("SIGTERM");
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
