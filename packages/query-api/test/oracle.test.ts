/**
 * The merge oracle: the same real ledgers answered all-hot, and again after flushing to several watermarks (all
 * cold, straddling, one ledger on either side), give byte-identical answers on every endpoint — every page,
 * every row, the cursors included; only `meta` (where the data stands) differs.
 */
import { haveFixtures } from "@stellar-lake/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { resources } from "../src/tables";
import { apiOver, expectSameText, get, type Lake, lakeWith, walk } from "./harness";

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

/** Every endpoint worth asking, built from the data itself (keys that exist, plus ones that do not). */
async function endpoints(api: ApiServer, lake: Lake): Promise<string[]> {
  const { first, last } = lake;
  const mid = Math.floor((first + last) / 2);
  const paths: string[] = [];
  for (const r of resources) {
    const range = r.snapshot ? `/${r.name}/history` : `/${r.name}`;
    paths.push(`${range}?start=${first}&end=${last}&limit=7`);
    paths.push(`${range}?start=${mid}&end=${mid + 1}&limit=3`);
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
  }
  const accounts = JSON.parse((await get(api, `/accounts/history?limit=10000`)).body).accounts as {
    account_id: string;
  }[];
  const ids = [...new Set(accounts.map((a) => a.account_id))];
  for (const id of ids.filter((_, i) => i % 3 === 0)) {
    paths.push(`/accounts/${id}`);
    paths.push(`/accounts/${id}?as_of_ledger=${mid}`);
    paths.push(`/accounts/${id}/history?limit=3`);
    paths.push(`/trustlines?account_id=${id}`);
    paths.push(`/signers?account_id=${id}`);
    paths.push(`/offers?seller_id=${id}`);
    paths.push(`/native_balances?account_id=${id}&as_of_ledger=${mid}`);
  }
  for (const s of [first, mid, last, last + 1]) paths.push(`/ledgers/${s}`);
  paths.push(`/transactions/${"0".repeat(64)}`);
  return paths;
}

async function answers(api: ApiServer, paths: string[]): Promise<Map<string, string>> {
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
        paths = await endpoints(api, lake);
        oracle = await answers(api, paths);
      });

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
        { label: "straddling (half cold)", w: (l: Lake) => Math.floor((l.first + l.last) / 2) },
        { label: "one ledger hot, the rest cold", w: (l: Lake) => l.last - 1 },
        { label: "all cold", w: (l: Lake) => l.last },
      ];
      for (const c of cases) {
        it(`${c.label}: every endpoint byte-identical`, async () => {
          const w = c.w(lake);
          await lake.flushTo(w);
          const meta = JSON.parse((await get(api, `/ledgers?start=${lake.first}&limit=1`)).body).meta;
          expect(meta.cold_watermark).toBe(w);
          expect(meta.oldest_ledger).toBe(lake.first);
          expect(meta.latest_ledger).toBe(lake.last);
          const now = await answers(api, paths);
          for (const p of paths) expectSameText(now.get(p), oracle.get(p), p);
        });
      }
    });
  }
});
