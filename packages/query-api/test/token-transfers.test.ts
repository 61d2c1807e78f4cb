/**
 * /token_transfers (issue 20): mainnet 30820015's token transfers served from hot and from cold alike, with
 * the range and the asset / contract_id / from / to filters, documented in the OpenAPI document.
 */
import { haveFixtures } from "@stellar-lake/test-support";
import { parse } from "lossless-json";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { apiOver, get, type Lake, lakeWith, withoutMeta } from "./harness";

const FILE = "lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst";
const PUBNET = "Public Global Stellar Network ; September 2015";
const SEQ = 30820015;
const NATIVE_SAC = "CAS3J7GYLGXMF6TDJBBYYSE3HQ6BBSMLNUQ34T6TZMYMW2EVH34XOWMA";
const PAYER = "GBDUXW4E5WRM5EM6UXBLE7Y5XGSXJX472BSSBPKFPQ3PJCJHRIA6SH4C";
const PAYEE = "GAHK7EEG2WWHVKDNT4CEQFZGKF2LGDSW2IVM4S5DP42RBW3K6BTODB4A";

type Row = Record<string, unknown>;
const rowsOf = (body: string) => (parse(body) as { token_transfers: Row[] }).token_transfers;

describe.skipIf(!haveFixtures())("/token_transfers", () => {
  let lake: Lake;
  let api: ApiServer;
  const hotAnswers = new Map<string, string>();
  const paths = [
    `/token_transfers?start=${SEQ}&end=${SEQ}&limit=100`,
    `/token_transfers?start=${SEQ}&asset=native&limit=100`,
    `/token_transfers?start=${SEQ}&contract_id=${NATIVE_SAC}&limit=100`,
    `/token_transfers?start=${SEQ}&from=${PAYER}`,
    `/token_transfers?start=${SEQ}&to=${PAYEE}`,
    `/token_transfers?start=${SEQ}&event_topic=transfer`,
  ];
  beforeAll(async () => {
    lake = await lakeWith(FILE, PUBNET);
    api = await apiOver(lake);
    for (const p of paths) {
      const a = await get(api, p);
      expect(a.status, p).toBe(200);
      hotAnswers.set(p, a.body);
    }
  });

  it("serves the ledger's 60 movements in event_index order; each filter keeps exactly its rows", () => {
    const all = rowsOf(hotAnswers.get(paths[0]!)!);
    expect(all).toHaveLength(60);
    expect(all.map((r) => Number(r.event_index))).toEqual(all.map((_, i) => i));
    expect(rowsOf(hotAnswers.get(paths[1]!)!)).toHaveLength(60);
    expect(rowsOf(hotAnswers.get(paths[2]!)!)).toHaveLength(60);
    const fromPayer = rowsOf(hotAnswers.get(paths[3]!)!);
    expect(fromPayer.length).toBeGreaterThan(0);
    expect(fromPayer.every((r) => r.from === PAYER)).toBe(true);
    expect(fromPayer.filter((r) => r.event_topic === "transfer")).toHaveLength(1);
    const toPayee = rowsOf(hotAnswers.get(paths[4]!)!);
    expect(toPayee).toHaveLength(1);
    expect(toPayee[0]).toMatchObject({
      event_topic: "transfer",
      from: PAYER,
      to: PAYEE,
      amount: "158239.0000000",
      amount_raw: "1582390000000",
      to_muxed: "MAHK7EEG2WWHVKDNT4CEQFZGKF2LGDSW2IVM4S5DP42RBW3K6BTOCAAAAAADZU6VFBOJ2",
      to_muxed_id: "1020515624",
      contract_id: NATIVE_SAC,
    });
    expect(rowsOf(hotAnswers.get(paths[5]!)!)).toEqual(toPayee);
  });

  it("answers byte-identically once the ledger is in cold storage", async () => {
    await lake.flushTo(SEQ);
    for (const p of paths) {
      const a = await get(api, p);
      expect(a.status, p).toBe(200);
      expect(JSON.parse(a.body).meta.cold_watermark, p).toBe(SEQ);
      expect(withoutMeta(a.body), p).toBe(withoutMeta(hotAnswers.get(p)!));
    }
  });

  it("refuses a malformed party filter by name, and documents the route and its filters", async () => {
    const bad = await get(api, `/token_transfers?start=${SEQ}&from=GNOTANACCOUNT`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).detail ?? JSON.parse(bad.body).title).toMatch(/from/);
    const doc = JSON.parse((await get(api, "/openapi.json")).body);
    const params = (doc.paths["/token_transfers"].get.parameters as { name: string }[]).map((p) => p.name);
    for (const n of ["start", "end", "asset", "contract_id", "from", "to"]) expect(params).toContain(n);
  });
});
