/**
 * The merge oracle: the same real ledgers answered all-hot, and again after flushing to several watermarks (all
 * cold, straddling, one ledger on either side), give byte-identical answers on every endpoint — every page,
 * every row, the cursors included; only `meta` (where the data stands) differs.
 */
import { haveFixtures } from "@stellar-lake/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { resources } from "../src/tables";
import { answers, apiOver, endpoints, expectSameText, get, type Lake, lakeWith, walkRows } from "./harness";

const DATASETS = [
  // Offers, trades, trust lines, merges (removed accounts and offers) over 135 ledgers.
  {
    name: "OfferTests",
    file: "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr",
    tables: [
      "ledgers",
      "transactions",
      "operations",
      "trades",
      "accounts",
      "trustlines",
      "signers",
      "offers",
    ],
  },
  // Soroban: the Stellar Asset Contract with trust lines — contract data/code, events, TTL, config settings.
  {
    name: "SAC trustlines",
    file: "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/21c43b92b819267f.xdr",
    tables: ["contract_events", "contract_data", "contract_code", "config_settings", "ttl", "trustlines"],
  },
];

describe.skipIf(!haveFixtures())("hot + cold answers equal the all-hot answers", () => {
  for (const ds of DATASETS) {
    describe(ds.name, () => {
      let lake: Lake;
      let api: ApiServer;
      let paths: string[];
      let oracle: Map<string, string>;
      beforeAll(async () => {
        lake = await lakeWith(ds.file);
        api = await apiOver(lake);
        paths = await endpoints(api, lake, { desc: true });
        oracle = await answers(api, paths);
      }, 300_000);

      it(`the all-hot answers have rows for ${ds.tables.join(", ")}; unknown keys are 404`, () => {
        for (const t of ds.tables) {
          const r = resources.find((x) => x.name === t)!;
          const answer = oracle.get(
            `/${r.snapshot ? `${t}/history` : t}?start=${lake.first}&end=${lake.last}&limit=7`,
          );
          expect(answer, t).toMatch(new RegExp(`^200\\n\\{"${t}":\\[\\{`));
        }
        expect(oracle.get(`/ledgers/${lake.last + 1}`)).toMatch(/^404/);
        expect(oracle.get(`/transactions/${"0".repeat(64)}`)).toMatch(/^404/);
      });

      // Watermarks in flush order (each flush moves (previous W, W] to cold).
      const cases = [
        { label: "one ledger cold, the rest hot", w: (l: Lake) => l.first },
        {
          label: "straddling (half cold)",
          w: (l: Lake) => Math.floor((l.first + l.last) / 2),
          reverse: true,
        },
        { label: "one ledger hot, the rest cold", w: (l: Lake) => l.last - 1 },
        { label: "all cold", w: (l: Lake) => l.last },
      ];
      for (const c of cases) {
        // Each case walks every endpoint in both orders: minutes on a loaded 2-core machine.
        it(`${c.label}: every endpoint byte-identical`, { timeout: 300_000 }, async () => {
          const w = c.w(lake);
          await lake.flushTo(w);
          const meta = JSON.parse((await get(api, `/ledgers?start=${lake.first}&limit=1`)).body).meta;
          expect(meta.cold_watermark).toBe(w);
          expect(meta.oldest_ledger).toBe(lake.first);
          expect(meta.latest_ledger).toBe(lake.last);
          const now = await answers(api, paths);
          for (const p of paths) expectSameText(now.get(p), oracle.get(p), p);
          if (!("reverse" in c)) return;
          // Newest first walks the same rows backwards, page after page across hot and cold: no gap, no duplicate.
          for (const r of resources) {
            const range = r.snapshot ? `/${r.name}/history` : `/${r.name}`;
            const asc = await walkRows(api, `${range}?limit=13`, r.name);
            const desc = await walkRows(api, `${range}?order=desc&limit=11`, r.name);
            expect(desc.length, r.name).toBe(asc.length);
            expect(desc, r.name).toEqual([...asc].reverse());
            const inRange = await walkRows(
              api,
              `${range}?start=${w + 2}&end=${w - 2}&order=desc&limit=3`,
              r.name,
            );
            const ascIn = await walkRows(api, `${range}?start=${w - 2}&end=${w + 2}&limit=4`, r.name);
            expect(inRange, `${r.name} across W`).toEqual([...ascIn].reverse());
          }
        });
      }

      it("all cold and compacted (each table's files merged into one): every endpoint byte-identical", {
        timeout: 300_000,
      }, async () => {
        const files = async () =>
          JSON.parse((await get(api, `/ledgers?start=${lake.first}&end=${lake.last}&limit=1000`)).body).meta
            .cold_files as number;
        expect(await files()).toBeGreaterThan(1);
        await lake.compact();
        expect(await files()).toBe(1);
        const now = await answers(api, paths);
        for (const p of paths) expectSameText(now.get(p), oracle.get(p), p);
      });
    });
  }
});
