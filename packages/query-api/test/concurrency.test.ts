/**
 * Flushes committing in a loop (catalog commit, then the hot delete), and every few a compaction (sources'
 * catalog rows replaced by a back-dated merged file), while clients page through ranges and latest-state lists:
 * every walk returns every row exactly once — the same bytes as the all-hot walk.
 */
import { haveFixtures } from "@stellar-lake/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { apiOver, expectSameText, get, type Lake, lakeWith, walk } from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";

describe.skipIf(!haveFixtures())("flushes during paging", () => {
  let lake: Lake;
  let api: ApiServer;
  let paths: string[];
  const oracle = new Map<string, string>();
  beforeAll(async () => {
    lake = await lakeWith(FILE);
    api = await apiOver(lake);
    // (/ledgers is left out: steering the flush watermark rewrites ledgers' ingestion_timestamp meanwhile.)
    paths = [
      `/operations?start=${lake.first}&end=${lake.last}&limit=9`,
      `/transactions?start=${lake.first}&end=${lake.last}&limit=11`,
      `/effects?start=${lake.first}&end=${lake.last}&limit=7`,
      `/accounts/history?start=${lake.first}&limit=13`,
      `/trustlines/history?start=${lake.first}&limit=8`,
      "/accounts?limit=3",
      "/trustlines?limit=4",
      "/signers?limit=5",
      `/offers/history?start=${lake.first}&limit=2`,
    ];
    for (const p of paths) oracle.set(p, (await walk(api, p)).pages.join("\n"));
  });

  it("every row exactly once in every walk while flushes and compactions commit", async () => {
    let flushing = true;
    let flushes = 0;
    const flusher = (async () => {
      try {
        for (let w = lake.first + 5; w <= lake.last; w += 13) {
          await lake.flushTo(w);
          flushes++;
          // File listings read across a compaction's commit (the reader's statements are not one transaction).
          if (flushes % 3 === 0) await lake.compact();
        }
        await lake.flushTo(lake.last);
        flushes++;
      } finally {
        flushing = false;
      }
    })();
    let walks = 0;
    const clients = [0, 1].map(async (c) => {
      for (let i = c; flushing || i < paths.length; i++) {
        const p = paths[i % paths.length]!;
        const w = await walk(api, p);
        expect(w.status, p).toBe(200);
        expectSameText(w.pages.join("\n"), oracle.get(p), `${p} (walk ${walks}, ${flushes} flushes done)`);
        walks++;
      }
    });
    await Promise.all([flusher, ...clients]);
    expect(flushes).toBeGreaterThanOrEqual(10);
    expect(walks).toBeGreaterThan(flushes);
    const meta = JSON.parse((await get(api, `/operations?start=${lake.first}&limit=1`)).body).meta;
    expect(meta.cold_watermark).toBe(lake.last);
  });
});
