/**
 * `pnpm bench flush-reads`: the hot page's latency while a flush deletes a large flushed range from the hot
 * buffer, against the same page with no flush, in the same run. The query API runs as deployed (`stellar-lake
 * serve`, its own process); BENCH_FLUSH_READS_CONNECTIONS clients (default 8) request a 100-operation page of a hot
 * ledger above the flushed range back to back. A real flush (`flushOnce`) of BENCH_FLUSH_READS_LEDGERS re-sequenced
 * mainnet ledgers (default 250) runs meanwhile; the requests that start between its catalog commit and the end of
 * its hot delete are the "during the delete" sample. The no-flush samples are taken right before (10 s) and right
 * after it (as long as the delete took). Target: p99 during the delete ≤ 2 × the no-flush p99.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createTransformer, type LedgerRows, writeBatch } from "@stellar-lake/ingester";
import { prepareLake } from "@stellar-lake/lake";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence } from "@stellar-lake/ledger-source";
import { migrateUp } from "@stellar-lake/schema";
import { createDatabase, fixture, freePort, repoRoot, startBenchPostgres } from "@stellar-lake/test-support";
import pg from "pg";
import { flushOnce } from "../src/index";

const PUBNET = "Public Global Stellar Network ; September 2015";
const START = 2_000_000;

interface Sample {
  at: number;
  ms: number;
}

function stats(samples: Sample[]) {
  const s = samples.map((x) => x.ms).sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
  return { requests: s.length, p50_ms: +at(0.5).toFixed(1), p99_ms: +at(0.99).toFixed(1) };
}

/** `connections` clients requesting `url` back to back until `stop()`; every request's start and latency. */
function load(url: string, connections: number): { stop: () => Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: connections }, async () => {
    while (running) {
      const at = performance.now();
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
      samples.push({ at, ms: performance.now() - at });
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<Record<string, unknown>> {
  const flushLedgers = Number(process.env.BENCH_FLUSH_READS_LEDGERS ?? 250);
  const connections = Number(process.env.BENCH_FLUSH_READS_CONNECTIONS ?? 8);
  // The page's ledger and some more stay hot above the flushed range.
  const count = flushLedgers + 50;
  const dir = await mkdtemp(join(tmpdir(), "bench-flush-reads-"));
  const server = await startBenchPostgres("flush-reads");
  let api: ChildProcess | undefined;
  try {
    const hotDb = await createDatabase(server.adminUrl, "frhot");
    const catDb = await createDatabase(server.adminUrl, "frcat");
    await migrateUp(hotDb.url);
    const hot = new pg.Client({ connectionString: hotDb.url });
    const catalog = new pg.Client({ connectionString: catDb.url });
    await hot.connect();
    await catalog.connect();
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const transform = createTransformer({ passphrase: PUBNET });
    let batch: LedgerRows[] = [];
    let hotRows = 0;
    const commit = async () => {
      for (const l of batch) hotRows += Object.values(l.rows).reduce((n, r) => n + r.length, 0);
      await writeBatch(hot, batch, {
        eraId: null,
        versionLabel: null,
        pipelineVersion: "bench",
        processor: "bench-flush-reads",
        checks: [],
        mayOverlap: false,
      });
      batch = [];
    };
    for (const l of resequence(
      base.map((b) => b.xdr),
      { start: START, count, closeTimeStart: 1_725_000_000 },
    )) {
      batch.push(transform(l));
      if (batch.length === 25) await commit();
    }
    if (batch.length) await commit();
    await hot.query("VACUUM ANALYZE");
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const lake = { catalog, duck, metaSchema: "bronze_meta", lakeSchema: "bronze", dataPath: `${dir}/lake/` };
    await prepareLake(lake);

    const port = await freePort();
    api = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "serve", "--port", String(port)],
      {
        env: {
          ...process.env,
          LOG_LEVEL: "warn",
          DATABASE_URL: hotDb.url,
          DUCKLAKE_CATALOG_URL: catDb.url,
          API_HOT_POOL_SIZE: String(connections),
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    const page = START + count - 10;
    const url = `http://127.0.0.1:${port}/operations?start=${page}&end=${page}&limit=100`;
    for (let i = 0; ; i++) {
      const r = await fetch(url).catch(() => undefined);
      if (r?.status === 200) break;
      if (i > 300) throw new Error(`the query API did not answer ${url}`);
      await sleep(200);
    }
    // Warm up (JIT, pools), then the no-flush sample, the flush, and the no-flush sample again.
    const warm = load(url, connections);
    await sleep(2000);
    await warm.stop();

    const W = START + flushLedgers - 1;
    // A delete cannot be repeated on the same rows, so the "before" window is a fixed 10 s and the "after" one
    // as long as the delete took (at least 5 s).
    const before = load(url, connections);
    await sleep(10_000);
    const beforeSamples = await before.stop();

    const during = load(url, connections);
    let deleteFrom = Number.NaN;
    const flush = await flushOnce({
      ...lake,
      hot,
      // Ledgers START..W: at most that many from the oldest hot one.
      minAgeMs: 0,
      maxLedgers: W - START + 1,
      failpoint: (name) => {
        if (name === "after-catalog-commit") deleteFrom = performance.now();
      },
    });
    const deleteTo = performance.now();
    const duringAll = await during.stop();
    if (flush.range?.[1] !== W)
      throw new Error(`the flush moved ${JSON.stringify(flush.range)}, not up to ${W}`);
    const inDelete = duringAll.filter((s) => s.at >= deleteFrom && s.at <= deleteTo);
    const deleteMs = deleteTo - deleteFrom;

    const after = load(url, connections);
    await sleep(Math.max(5000, deleteMs));
    const afterSamples = await after.stop();
    await hot.end();
    await catalog.end();
    duck.closeSync();

    const noFlush = stats([...beforeSamples, ...afterSamples]);
    const del = stats(inDelete);
    const deleted = Object.values(flush.deletedPerTable).reduce((a, b) => a + b, 0);
    return {
      page: `/operations?start=${page}&end=${page}&limit=100 (hot, above the flushed range)`,
      connections,
      hot_ledgers: count,
      hot_rows: hotRows,
      flushed_ledgers: flushLedgers,
      deleted_rows: deleted,
      delete_seconds: +(deleteMs / 1000).toFixed(2),
      flush_phases: flush.phases,
      no_flush: noFlush,
      no_flush_before: stats(beforeSamples),
      no_flush_after: stats(afterSamples),
      during_delete: del,
      during_delete_over_no_flush_p99: +(del.p99_ms / noFlush.p99_ms).toFixed(2),
      target: "p99 during the hot delete <= 2 x p99 with no flush",
      target_met: del.p99_ms <= 2 * noFlush.p99_ms,
    };
  } finally {
    api?.kill("SIGTERM");
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
