/**
 * Soak: SOAK_LEDGERS re-sequenced mainnet ledgers (default 200, as CI runs it; `pnpm test:soak` runs 2,000) through
 * the whole pipeline at full speed with a flush every 2 seconds. At the end every ledger's rows are in exactly one of
 * hot or cold (row counts per table equal the transform's), the API serves the whole range, and no service's memory
 * kept growing (resident set sampled throughout).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lakeTableFiles, pgCatalog } from "@stellar-lake/lake";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { fixture, freshDatabase, haveFixtures } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { pipelineFor, type Service, until } from "./pipeline-harness";

const PUBNET = "Public Global Stellar Network ; September 2015";
const N = Number(process.env.SOAK_LEDGERS ?? 200);
const START = 5000;
const END = START + N - 1;

describe.skipIf(!haveFixtures())(`soak: ${N} ledgers through the pipeline at full speed`, () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("every row once in hot ∪ cold, the API serves it all, memory flat", {
    timeout: 60_000 + N * 2_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), "soak-"));
    const base = (await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd")))[0]!;
    // Every re-sequenced ledger holds the same transactions, so expected rows = one ledger's rows × N.
    const perLedger = hotRowsOf(decodeLedger(base.xdr, base.sequence), PUBNET).rows;
    await writeDatastore(
      join(dir, "ds"),
      resequence([base.xdr], { start: START, count: N, closeTimeStart: 1_725_000_000 }),
      {
        networkPassphrase: PUBNET,
        ledgersPerBatch: 8,
      },
    );
    const hot = await freshDatabase("soakhot");
    const cat = await freshDatabase("soakcat");
    await migrateUp(hot.url);
    const p = await pipelineFor({
      hotUrl: hot.url,
      catalogUrl: cat.url,
      lakeDir: join(dir, "lake"),
      datastore: join(dir, "ds"),
      start: START,
      flushInterval: "2s",
    });
    const api = p.apiPort;
    const rss: Record<Service, number[]> = { source: [], ingester: [], flusher: [], api: [] };
    const sampler = setInterval(() => {
      for (const s of Object.keys(rss) as Service[]) {
        const v = p.rssMiB(s);
        if (v !== undefined) rss[s].push(v);
      }
    }, 500);
    try {
      for (const s of ["source", "ingester", "flusher", "api"] as const) p.start(s);
      // Keep the API busy meanwhile: a reader paging recent ledgers through hot and cold.
      let reading = true;
      const reader = (async () => {
        while (reading) {
          await fetch(`http://127.0.0.1:${api}/operations?start=${START}&limit=200`).catch(() => {});
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await until(
        "every ledger ingested and flushed",
        p,
        (s) => s.latest === END && s.watermark === END,
        60_000 + N * 1_500,
      );
      reading = false;
      await reader;
      // Every service ran through without dying (a restart would be the supervisor hiding a crash).
      expect(p.logs.filter((l) => / exited code=/.test(l))).toEqual([]);
      // Row counts per table: hot (nothing should remain) + cold (catalog record counts of live files).
      const h = new pg.Client({ connectionString: hot.url });
      const c = new pg.Client({ connectionString: cat.url });
      await h.connect();
      await c.connect();
      try {
        // The flusher deletes hot rows only after the catalog commit that made them cold (readers ignore hot rows
        // ≤ W meanwhile): on a loaded machine the last flush's delete may still be running when W reaches END.
        const hotRows = async () => {
          let n = 0;
          for (const t of dataTables)
            n += Number((await h.query(`SELECT count(*) AS n FROM public."${t.name}"`)).rows[0].n);
          return n;
        };
        for (let i = 0; i < 600 && (await hotRows()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
        for (const t of dataTables) {
          const inHot = Number((await h.query(`SELECT count(*) AS n FROM public."${t.name}"`)).rows[0].n);
          const files = await lakeTableFiles(pgCatalog(c, "bronze_meta"), {
            schema: "bronze",
            table: t.name,
          });
          const inCold = files.files.reduce((n, f) => n + f.recordCount, 0);
          expect(inHot + inCold, t.name).toBe((perLedger[t.name]?.length ?? 0) * N);
          expect(inHot, `${t.name} left in hot`).toBe(0);
        }
      } finally {
        await h.end();
        await c.end();
      }
      const all = JSON.parse(
        await (await fetch(`http://127.0.0.1:${api}/ledgers?start=${START}&end=${END}&limit=10000`)).text(),
      );
      expect(all.count).toBe(N);
      expect(all.meta).toMatchObject({ oldest_ledger: START, latest_ledger: END, cold_watermark: END });
    } finally {
      clearInterval(sampler);
      await p.stop();
    }
    // Memory: every service within a 1.5 GiB envelope (DuckDB's 512 MB limits, the ingester's 32 MiB queue, and V8's
    // default heap slack: peaks of ~1.1 GiB were seen on a loaded machine); on a soak-length run (≥ 1,000 ledgers,
    // past warm-up) the last quarter's peak stays within 1.25× (+64 MiB) of the second's — no growth.
    for (const [s, xs] of Object.entries(rss)) {
      expect(xs.length, s).toBeGreaterThan(8);
      expect(Math.max(...xs), `${s} peak RSS`).toBeLessThan(1536);
      if (N < 1000) continue;
      const q = Math.floor(xs.length / 4);
      const mid = Math.max(...xs.slice(q, 2 * q));
      const late = Math.max(...xs.slice(3 * q));
      expect(late, `${s} RSS ${mid.toFixed(0)} → ${late.toFixed(0)} MiB`).toBeLessThanOrEqual(
        mid * 1.25 + 64,
      );
    }
  });
});
