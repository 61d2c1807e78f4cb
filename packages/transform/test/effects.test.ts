/**
 * The effect stream (effects_row_v1 and Hubble history_effects): stellar-etl's golden output for mainnet
 * 30820015, one concrete operation per effect family on the stellar-core test ledgers (expectations read by
 * hand from the decoded meta: op bodies, results, ledger-entry pre/post states, contract events), and
 * uniqueness / determinism / schema validity on every fixture.
 */

import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StrKey, xdr } from "@stellar/stellar-sdk/base";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { parse } from "lossless-json";
import { describe, expect, it } from "vitest";
import { changeInput } from "../src/changes/snapshot";
import { ledgerEffects } from "../src/effects/index";
import { toJson } from "../src/ndjson";
import { effectsRecords, effectsRows } from "../src/tables/effects";
import { operationsRecords } from "../src/tables/operations";
import { transformFiles } from "../src/transform-files";
import { LEDGER_FIXTURES, ledgersOf, PUBNET, rowProblems, STANDALONE } from "./changes-fixtures";

const GOLDEN_LEDGER = "lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst";
const GOLDEN = "stellar-etl-golden/effects/one_ledger_effects.golden";
const MAINNET = "lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd";
const CORE = "lcm-synthetic/core-test-lcms/";

type Rec = Record<string, unknown>;

/** Hubble records of one operation (by TOID) in a fixture, without the per-ledger bookkeeping keys. */
function effectsOfOp(path: string, operationId: bigint, passphrase = STANDALONE): Rec[] {
  const out: Rec[] = [];
  for (const lcm of ledgersOf(path)) {
    for (const r of effectsRecords(changeInput(lcm, passphrase))) {
      if (r.operation_id !== operationId) continue;
      out.push({
        address: r.address,
        address_muxed: r.address_muxed,
        type: r.type,
        type_string: r.type_string,
        details: r.details,
        id: r.id,
      });
    }
  }
  return out;
}

const fx = (
  id: bigint,
  index: number,
  address: string,
  type: number,
  type_string: string,
  details: Rec,
): Rec => ({
  address,
  address_muxed: null,
  type,
  type_string,
  details,
  id: `${id}-${index}`,
});

/** The loadtest ledgers were written under a passphrase none of the fixtures name; their envelopes do not match. */
const unknownNetwork = (p: string) => p.includes("standalone-loadtest");

describe.skipIf(!haveFixtures())("effects: stellar-etl golden", () => {
  it("mainnet 30820015: history_effects equals one_ledger_effects.golden as a set, every field (lossless)", () => {
    const lcm = ledgersOf(GOLDEN_LEDGER)[0]!;
    const mine = effectsRecords(changeInput(lcm, PUBNET));
    const gold = readFileSync(fixture(GOLDEN), "utf8")
      .trim()
      .split("\n")
      .map((l) => parse(l) as Rec);
    const byId = (rows: Rec[]) => new Map(rows.map((r) => [String(r.id), r]));
    const mineById = byId(mine.map((r) => parse(toJson(r)) as Rec));
    const goldById = byId(gold);
    expect([...mineById.keys()].sort()).toEqual([...goldById.keys()].sort());
    for (const [id, g] of goldById) expect(mineById.get(id), id).toEqual(g);
  });

  it("mainnet 30820015: --format hubble writes history_effects.ndjson with exactly the golden lines", async () => {
    const dir = await mkdtemp(join(tmpdir(), "effects-hubble-"));
    try {
      await transformFiles([fixture(GOLDEN_LEDGER)], { outDir: dir, passphrase: PUBNET, format: "hubble" });
      const written = (await readFile(join(dir, "history_effects.ndjson"), "utf8")).trim().split("\n");
      const gold = readFileSync(fixture(GOLDEN), "utf8").trim().split("\n");
      expect(new Set(written)).toEqual(new Set(gold));
      expect(written).toHaveLength(gold.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("mainnet 30820015: allow_trust gives a flag-less trustline_flags_updated, then one with the flag", () => {
    const lcm = ledgersOf(GOLDEN_LEDGER)[0]!;
    const rows = effectsRows(changeInput(lcm, PUBNET)).filter((r) => r.operation_id === 132370956487307265n);
    expect(rows.map((r) => [r.effect_index, r.effect_type, r.authorize_flag])).toEqual([
      [0, 26, null],
      [1, 26, true],
    ]);
    expect(rows[1]).toMatchObject({
      effect_id: "132370956487307265-1",
      effect_type_string: "trustline_flags_updated",
      account_id: "GBRDHSZL4ZKOI2PTUMM53N3NICZXC5OX3KPCD4WD4NG4XGCBC2ZA3KAG",
      asset_code: "FTSE",
      asset_issuer: "GBRDHSZL4ZKOI2PTUMM53N3NICZXC5OX3KPCD4WD4NG4XGCBC2ZA3KAG",
      asset_type: "credit_alphanum4",
      operation_index: 0,
      ledger_sequence: 30820015n,
      ledger_range: 30820000n,
    });
    expect(JSON.parse(rows[1]!.details!)).toEqual({
      asset_code: "FTSE",
      asset_issuer: "GBRDHSZL4ZKOI2PTUMM53N3NICZXC5OX3KPCD4WD4NG4XGCBC2ZA3KAG",
      asset_type: "credit_alphanum4",
      authorized_flag: true,
      trustor: "GDYYZYZHD3XCLDIWI5PHNPY3AEG2WAKUEFCSW6X6JDIIR3YOENPSBWR7",
    });
  });
});

describe.skipIf(!haveFixtures())("effects per family (stellar-core test ledgers)", () => {
  const SPONSOR = "GC4EFXBN6BEENDAX7PBW5PGIIIVH3INMD3OEPQASXOLGOHVVP7ZEMG7X";
  const SPONSORED = "GCE4HENKZ3ZIHQY4VEYCVX5ZE5LNDIN3FH4MHZCWFKXQZGQIOGAO77CN";

  it("sponsorship: a sponsored change_trust and a sponsored signer (BeginSponsoringFutureReserves)", () => {
    const path = `${CORE}BeginSponsoringFutureReservesTests/3b6d924921f59f9f.xdr`;
    // Ledger 3, tx 1: begin (op 0), change_trust CUR1 limit 1000 stroops (op 1), end (op 2). The created trust
    // line's ext.v1.sponsoringId is the sponsor.
    expect(effectsOfOp(path, 12884905985n)).toEqual([]);
    expect(effectsOfOp(path, 12884905986n)).toEqual([
      fx(12884905986n, 0, SPONSORED, 20, "trustline_created", {
        asset_code: "CUR1",
        asset_issuer: SPONSOR,
        asset_type: "credit_alphanum4",
        limit: "0.0001000",
      }),
      fx(12884905986n, 1, SPONSORED, 63, "trustline_sponsorship_created", {
        asset: `CUR1:${SPONSOR}`,
        sponsor: SPONSOR,
      }),
    ]);
    expect(effectsOfOp(path, 12884905987n)).toEqual([]);
    // Ledger 4, tx 1, op 1: set_options adds signer GCED… weight 1; the account's signerSponsoringIDs gains
    // the sponsor for it.
    const signer = "GCEDCRZF3WHS3R6CWJ3WFILROPR6U6KR27B5SW6XYISELPLKW347M3SQ";
    expect(effectsOfOp(path, 17179873282n)).toEqual([
      fx(17179873282n, 0, SPONSORED, 10, "signer_created", { public_key: signer, weight: 1 }),
      fx(17179873282n, 1, SPONSORED, 72, "signer_sponsorship_created", { signer, sponsor: SPONSOR }),
    ]);
  });

  it("liquidity pools: pool-share change_trust creates the pool; deposit reports the delta; a failed withdraw gives nothing", () => {
    const path = `${CORE}FrozenLedgerKeysTests/7832644d33f07016.xdr`;
    const ISSUER = "GCGE27HU2VYQANKL2VZWLCAOJYMEFST5DXPBWQ7BRRPOHUPK626DNG4Q";
    const SRC = "GBIFX2QKGC6J4VRBEQDJZJSFZA43IQK2CYR3BF473UFC7VMSOOM2Z7SX";
    const poolStrkey = "LAA75CL7KUDCXMVBX6I6FZQMPDHWC5VFXWFII7IQYVW7BJUDS4Y5RG66";
    const poolHex = Buffer.from(StrKey.decodeLiquidityPool(poolStrkey)).toString("hex");
    const pool = (shares: string, a: string, b: string) => ({
      fee_bp: 30,
      id: poolHex,
      reserves: [
        { amount: a, asset: `EUR:${ISSUER}` },
        { amount: b, asset: `USD:${ISSUER}` },
      ],
      total_shares: shares,
      total_trustlines: "1",
      type: "constant_product",
    });
    // Ledger 12: change_trust EUR/USD fee 30, limit i64 max; a pool-share trust line and the LP entry (all 0) are created.
    expect(effectsOfOp(path, 51539611649n)).toEqual([
      fx(51539611649n, 0, SRC, 20, "trustline_created", {
        asset_type: "liquidity_pool_shares",
        limit: "922337203685.4775807",
        liquidity_pool_id: poolHex,
        liquidity_pool_id_strkey: poolStrkey,
      }),
      fx(51539611649n, 1, SRC, 93, "liquidity_pool_created", {
        liquidity_pool: pool("0.0000000", "0.0000000", "0.0000000"),
      }),
    ]);
    // Ledger 13: deposit max 1000/1000; the pool goes from 0/0/0 shares to 1000/1000/1000.
    expect(effectsOfOp(path, 55834578945n)).toEqual([
      fx(55834578945n, 0, SRC, 90, "liquidity_pool_deposited", {
        liquidity_pool: pool("0.0001000", "0.0001000", "0.0001000"),
        reserves_deposited: [
          { amount: "0.0001000", asset: `EUR:${ISSUER}` },
          { amount: "0.0001000", asset: `USD:${ISSUER}` },
        ],
        shares_received: "0.0001000",
      }),
    ]);
    // Ledger 18: the withdraw's transaction failed.
    expect(effectsOfOp(path, 77309415425n)).toEqual([]);
  });

  it("path payments: strict receive across 4 offers (credit, debit, then 8 rows per atom including offer_created, ids in stellar-etl order)", () => {
    const path = `${CORE}PathPaymentTests/6b8dd7030be55252.xdr`;
    const A = "GAGZ4K2WWCF6VNVZOP2L4H34SZG7Y2AJOUQDB5QIWBQ2WRLNLX6SEQC2";
    const SRC = "GAZSW4CCE7N5PZ37LHCKLCM3W7BGXHDIGPUMFT4PRYO7VO4HD7M77HSF";
    const DEST = "GDCIJUICLYOMBXWFH6TYMVWNKUGQJVXAWPL2SJM3ABJALDNQ4ZB23MMF";
    const MAKER = "GAWAG5R7JSQ6X2G3VI3HBRE2XPNZZEJYHJIGJPJ5YLZAXUORLB4T5EWW";
    const id = 103079219201n; // ledger 24, tx 1, op 0
    const got = effectsOfOp(path, id);
    // 4 claim atoms in the result; dest_amount 10 of CUR2; the source spent the first atom's 160 CUR1.
    // stellar-etl's strict-receive call passes isPathPayment = false: offer_created too (hubble-semantics §2.5).
    expect(got).toHaveLength(2 + 4 * 8);
    expect(got.map((e) => e.id)).toEqual(got.map((_, i) => `${id}-${i}`));
    expect(got[0]).toEqual(
      fx(id, 0, DEST, 2, "account_credited", {
        amount: "0.0000010",
        asset_code: "CUR2",
        asset_issuer: A,
        asset_type: "credit_alphanum4",
      }),
    );
    expect(got[1]).toEqual(
      fx(id, 1, SRC, 3, "account_debited", {
        amount: "0.0000160",
        asset_code: "CUR1",
        asset_issuer: A,
        asset_type: "credit_alphanum4",
      }),
    );
    // Atom 0: maker GAWAG… offer 1 sold 80 CUR2 for 160 CUR1.
    const buyer = {
      bought_amount: "0.0000080",
      bought_asset_code: "CUR2",
      bought_asset_issuer: A,
      bought_asset_type: "credit_alphanum4",
      offer_id: 1n,
      seller: MAKER,
      sold_amount: "0.0000160",
      sold_asset_code: "CUR1",
      sold_asset_issuer: A,
      sold_asset_type: "credit_alphanum4",
    };
    const seller = {
      bought_amount: "0.0000160",
      bought_asset_code: "CUR1",
      bought_asset_issuer: A,
      bought_asset_type: "credit_alphanum4",
      offer_id: 1n,
      seller: SRC,
      sold_amount: "0.0000080",
      sold_asset_code: "CUR2",
      sold_asset_issuer: A,
      sold_asset_type: "credit_alphanum4",
    };
    expect(got.slice(2, 10)).toEqual([
      fx(id, 2, SRC, 33, "trade", buyer),
      fx(id, 3, MAKER, 33, "trade", seller),
      fx(id, 4, SRC, 32, "offer_updated", buyer),
      fx(id, 5, MAKER, 32, "offer_updated", seller),
      fx(id, 6, SRC, 31, "offer_removed", buyer),
      fx(id, 7, MAKER, 31, "offer_removed", seller),
      fx(id, 8, SRC, 30, "offer_created", buyer),
      fx(id, 9, MAKER, 30, "offer_created", seller),
    ]);
    const perAtom = [33, 33, 32, 32, 31, 31, 30, 30];
    expect(got.slice(10).map((e) => e.type)).toEqual([...perAtom, ...perAtom, ...perAtom]);
    // Buyer rows are the source's, seller rows alternate with them: every odd index is a maker.
    expect(got.slice(2).every((e, i) => (i % 2 === 0 ? e.address === SRC : e.address !== SRC))).toBe(true);
  });

  it("path payments against liquidity pools (mainnet 53312000 tx 11): liquidity_pool_trade from the pool's side, pool state after the op", () => {
    const id = 228973296484397057n;
    const got = effectsOfOp(MAINNET, id, PUBNET);
    const SRC = "GBDG5RV7F6GVAIDBHSK7VMKYQ7SCOVYY2OG25D2TPHMDF5CNJY6HFUCK";
    const VELO = "VELO:GDM4RQUQQUVSKQA7S6EM7XBZP3FCGH4Q7CL6TABQ7B2BEJ5ERARM2M5M";
    const XH5 = "XH5:GA6N7EVPWJL4266JTJN52TRIRPDAKMUJWFZ5Q2RN4Z23KXCKPUTURFBF";
    // Result: 2 order-book atoms then 2 pool atoms; dest gets 42902995 native, the source's first atom bought 42884589.
    // A strict-receive payment: offer_created rows too for each order-book atom.
    expect(got.map((e) => e.type)).toEqual([
      2, 3, 33, 33, 32, 32, 31, 31, 30, 30, 33, 33, 32, 32, 31, 31, 30, 30, 92, 92,
    ]);
    expect(got[0]).toEqual(
      fx(id, 0, SRC, 2, "account_credited", { amount: "4.2902995", asset_type: "native" }),
    );
    expect(got[1]).toEqual(
      fx(id, 1, SRC, 3, "account_debited", { amount: "4.2884589", asset_type: "native" }),
    );
    // Atom 2: pool LBEBNT… sold 274253946 VELO, bought 74666072 XH5; its post-state reserves and shares.
    expect(got[18]).toEqual(
      fx(id, 18, SRC, 92, "liquidity_pool_trade", {
        bought: { amount: "7.4666072", asset: XH5 },
        liquidity_pool: {
          fee_bp: 30,
          id: Buffer.from(
            StrKey.decodeLiquidityPool("LBEBNTWKKNP754ZD3HUK6ONYUC4MKIT73VN5TV7LIFFUZLX7E73EI37A"),
          ).toString("hex"),
          reserves: [
            { amount: "116100.2674740", asset: VELO },
            { amount: "31521.1227977", asset: XH5 },
          ],
          total_shares: "42217.6201746",
          total_trustlines: "2",
          type: "constant_product",
        },
        sold: { amount: "27.4253946", asset: VELO },
      }),
    );
  });

  it("path payments: strict send (mainnet 53312000 tx 66) gives no offer_created — only its call passes isPathPayment", () => {
    const id = 228973296484622337n;
    const got = effectsOfOp(MAINNET, id, PUBNET);
    const op = operationsRecords(changeInput(ledgersOf(MAINNET)[0]!, PUBNET)).find((r) => r.id === id);
    expect(op?.type_string).toBe("path_payment_strict_send");
    // Two pool atoms, then one order-book atom: 6 rows, not 8.
    expect(got.map((e) => e.type)).toEqual([2, 3, 92, 92, 33, 33, 32, 32, 31, 31]);
    expect(got.map((e) => e.id)).toEqual(got.map((_, i) => `${id}-${i}`));
  });

  it("offers: a crossing manage_sell_offer gives trade/offer_updated/offer_removed/offer_created for taker and maker", () => {
    const path = `${CORE}OfferTests/f7a7364752aecebb.xdr`;
    const ISSUER = "GCGE27HU2VYQANKL2VZWLCAOJYMEFST5DXPBWQ7BRRPOHUPK626DNG4Q";
    const TAKER = "GBUSVINSYSCZ2U3IVAEDO6HJ3U3T7XKJMP2XAGPALOWOGHEL7KZKIF5I";
    const MAKER = "GCE4HENKZ3ZIHQY4VEYCVX5ZE5LNDIN3FH4MHZCWFKXQZGQIOGAO77CN";
    const id = 51539611649n; // ledger 12, tx 1, op 0: sell 2 CUR2 at 2/1; claims maker offer 1 (sold 2 CUR1, bought 1 CUR2)
    const b = {
      bought_amount: "0.0000002",
      bought_asset_code: "CUR1",
      bought_asset_issuer: ISSUER,
      bought_asset_type: "credit_alphanum4",
      offer_id: 1n,
      seller: MAKER,
      sold_amount: "0.0000001",
      sold_asset_code: "CUR2",
      sold_asset_issuer: ISSUER,
      sold_asset_type: "credit_alphanum4",
    };
    const s = {
      bought_amount: "0.0000001",
      bought_asset_code: "CUR2",
      bought_asset_issuer: ISSUER,
      bought_asset_type: "credit_alphanum4",
      offer_id: 1n,
      seller: TAKER,
      sold_amount: "0.0000002",
      sold_asset_code: "CUR1",
      sold_asset_issuer: ISSUER,
      sold_asset_type: "credit_alphanum4",
    };
    // The taker's own resting offer 2 (created by the op) gives no effect of its own.
    expect(effectsOfOp(path, id)).toEqual([
      fx(id, 0, TAKER, 33, "trade", b),
      fx(id, 1, MAKER, 33, "trade", s),
      fx(id, 2, TAKER, 32, "offer_updated", b),
      fx(id, 3, MAKER, 32, "offer_updated", s),
      fx(id, 4, TAKER, 31, "offer_removed", b),
      fx(id, 5, MAKER, 31, "offer_removed", s),
      fx(id, 6, TAKER, 30, "offer_created", b),
      fx(id, 7, MAKER, 30, "offer_created", s),
    ]);
  });

  it("merges: account_merge debits the source by the result balance, credits the destination, removes the source", () => {
    const path = `${CORE}OfferTests/f7a7364752aecebb.xdr`;
    const id = 73014448129n; // ledger 17, tx 1, op 0: result sourceAccountBalance 500099300
    const src = "GCE4HENKZ3ZIHQY4VEYCVX5ZE5LNDIN3FH4MHZCWFKXQZGQIOGAO77CN";
    const dest = "GC4EFXBN6BEENDAX7PBW5PGIIIVH3INMD3OEPQASXOLGOHVVP7ZEMG7X";
    const amount = { amount: "50.0099300", asset_type: "native" };
    expect(effectsOfOp(path, id)).toEqual([
      fx(id, 0, src, 3, "account_debited", amount),
      fx(id, 1, dest, 2, "account_credited", amount),
      fx(id, 2, src, 1, "account_removed", {}),
    ]);
  });

  it("claimable balances: create (claimants from the op, then debit, then CB sponsorship) and claim (mainnet 53312000)", () => {
    const LMW = "LMW:GCGHWWNTL37TOPWJGA7PPCY3LBEDEFII56HPONQURYTLP6SB76CVELMW";
    const src = "GDPU3PGHKTRQAENURLWP4XZBESRDRLVQ2PNT2PX2BLOPVGHBH5V57V26";
    const other = "GAJKH7LBEMM46XFY2SJ5SARY5UAKMIKRDWGXPSDX6IEIDR7JHBDSPWDY";
    const bid = (s: string) =>
      `00000000${Buffer.from(StrKey.decodeClaimableBalance(s)).subarray(1).toString("hex")}`;
    const created = bid("BAABGNGPCRRECVGT774NXBTEUGTA4SWG6OCMARKK52HPDQ4YM6ZMMU5IKY");
    const id = 228973296484933633n; // tx 142, op 0: 300000000000 LMW, unconditional + not(before 1726472954)
    expect(effectsOfOp(MAINNET, id, PUBNET)).toEqual([
      fx(id, 0, src, 50, "claimable_balance_created", {
        amount: "30000.0000000",
        asset: LMW,
        balance_id: created,
      }),
      fx(id, 1, src, 51, "claimable_balance_claimant_created", {
        amount: "30000.0000000",
        asset: LMW,
        balance_id: created,
        predicate: { unconditional: true },
      }),
      fx(id, 2, other, 51, "claimable_balance_claimant_created", {
        amount: "30000.0000000",
        asset: LMW,
        balance_id: created,
        predicate: { not: { abs_before: "2024-09-16T07:49:14Z", abs_before_epoch: "1726472954" } },
      }),
      fx(id, 3, src, 3, "account_debited", {
        amount: "30000.0000000",
        asset_code: "LMW",
        asset_issuer: "GCGHWWNTL37TOPWJGA7PPCY3LBEDEFII56HPONQURYTLP6SB76CVELMW",
        asset_type: "credit_alphanum4",
      }),
      fx(id, 4, src, 69, "claimable_balance_sponsorship_created", { balance_id: created, sponsor: src }),
    ]);
    // tx 93, op 0: claim of a 10000-stroop OVRL balance the claimant itself sponsored (removed entry's sponsor).
    const claimer = "GCKIK5UOKKGXCDCWGY3BAKJ2T5H6BXOXHI4SMMEUSUE6NWLJP3F2KQUU";
    const claimed = bid("BAABD32MISLMK37ZWFR2RRW7PO3X6YGAIQPMSZWVSVN2CZR5IBPR4JPHPA");
    const cid = 228973296484732929n;
    expect(effectsOfOp(MAINNET, cid, PUBNET)).toEqual([
      fx(cid, 0, claimer, 52, "claimable_balance_claimed", {
        amount: "0.0010000",
        asset: "OVRL:GAHRTV3TGK3TKUCVZTBCUL5Q2B6AB62F5T4ZY22T55PV5SARNDLGC4OI",
        balance_id: claimed,
      }),
      fx(cid, 1, claimer, 2, "account_credited", {
        amount: "0.0010000",
        asset_code: "OVRL",
        asset_issuer: "GAHRTV3TGK3TKUCVZTBCUL5Q2B6AB62F5T4ZY22T55PV5SARNDLGC4OI",
        asset_type: "credit_alphanum4",
      }),
      fx(cid, 2, claimer, 71, "claimable_balance_sponsorship_removed", {
        balance_id: claimed,
        former_sponsor: claimer,
      }),
    ]);
  });

  it("clawback: the issuer's set_options enabling clawback (set_flags 10) gives one account_flags_updated", () => {
    const path = `${CORE}FrozenLedgerKeysTests/d4abe4b07bba98dd.xdr`;
    const id = 60129546241n; // ledger 14, tx 1, op 0
    expect(effectsOfOp(path, id)).toEqual([
      fx(id, 0, "GBO6UD42KQMZWBXFSYAZXEX7PLMJ5Q3ITNCMIHOK3252NA3LZNA6POLR", 6, "account_flags_updated", {
        auth_clawback_enabled_flag: true,
        auth_revocable_flag: true,
      }),
    ]);
  });

  it("SAC transfers: G→G (map data with to_muxed_id), G→C and C→G native transfers", () => {
    const path = `${CORE}InvokeHostFunctionTests/221f1cad327fb891.xdr`;
    const G1 = "GCE4HENKZ3ZIHQY4VEYCVX5ZE5LNDIN3FH4MHZCWFKXQZGQIOGAO77CN";
    const G2 = "GBUSVINSYSCZ2U3IVAEDO6HJ3U3T7XKJMP2XAGPALOWOGHEL7KZKIF5I";
    const C = "CAA3QKIP2SNVXUJTB4HKOGF55JTSSMQGED3FZYNHMNSXYV3DRRMAWA3Y";
    const TX_SOURCE = "GC4EFXBN6BEENDAX7PBW5PGIIIVH3INMD3OEPQASXOLGOHVVP7ZEMG7X";
    const sac = (amount: string) => ({ amount, asset_type: "native", contract_event_type: "transfer" });
    // Ledger 16: transfer(G1 → G2, 100000000); the event's data is {amount, to_muxed_id}; address_muxed stays null.
    expect(effectsOfOp(path, 68719480833n)).toEqual([
      fx(68719480833n, 0, G1, 3, "account_debited", sac("10.0000000")),
      fx(68719480833n, 1, G2, 2, "account_credited", sac("10.0000000")),
    ]);
    // Ledger 17 (tx source G2): G2 → contract C, 200000000: the contract side is a contract_credited on the
    // op source.
    expect(effectsOfOp(path, 73014448129n)).toEqual([
      fx(73014448129n, 0, G2, 3, "account_debited", sac("20.0000000")),
      fx(73014448129n, 1, G2, 96, "contract_credited", { ...sac("20.0000000"), contract: C }),
    ]);
    // Ledger 19 (tx source GC4E…): C → G2, 1 stroop.
    expect(effectsOfOp(path, 81604382721n)).toEqual([
      fx(81604382721n, 0, TX_SOURCE, 97, "contract_debited", { ...sac("0.0000001"), contract: C }),
      fx(81604382721n, 1, G2, 2, "account_credited", sac("0.0000001")),
    ]);
    // Ledger 18's transaction failed.
    expect(effectsOfOp(path, 77309415425n)).toEqual([]);
  });

  it("SAC credit asset IDR (3-char code): transfer G→G, burn debits; 3-topic CAP-67 mints give no effect", () => {
    const path = `${CORE}InvokeHostFunctionTests/21c43b92b819267f.xdr`;
    const ISSUER = "GCGE27HU2VYQANKL2VZWLCAOJYMEFST5DXPBWQ7BRRPOHUPK626DNG4Q";
    const FROM = "GC4EFXBN6BEENDAX7PBW5PGIIIVH3INMD3OEPQASXOLGOHVVP7ZEMG7X";
    const HOLDER = "GDSYDST3H7N7OBKD7OGBAEMGVREHF3ONGXCLEVNZ7F65Z4QMTVLWL5C3";
    const idr = (kind: string) => ({
      amount: "0.0000010",
      asset_code: "IDR",
      asset_issuer: ISSUER,
      asset_type: "credit_alphanum4",
      contract_event_type: kind,
    });
    // Ledger 19: event transfer(FROM, HOLDER, "IDR:G…") data i128 10.
    expect(effectsOfOp(path, 81604382721n)).toEqual([
      fx(81604382721n, 0, FROM, 3, "account_debited", idr("transfer")),
      fx(81604382721n, 1, HOLDER, 2, "account_credited", idr("transfer")),
    ]);
    // Ledger 20: event mint(HOLDER, "IDR:G…") has 3 topics; the SDK's mint needs admin + to (4 topics).
    expect(effectsOfOp(path, 85899350017n)).toEqual([]);
    // Ledger 22: event burn(HOLDER, "IDR:G…"), 3 topics.
    expect(effectsOfOp(path, 94489284609n)).toEqual([
      fx(94489284609n, 0, HOLDER, 3, "account_debited", idr("burn")),
    ]);
  });

  it("set_options (testnet 997 tx 6): thresholds, inflation destination, master weight 1→2, new signer", () => {
    const path = "lcm-real/testnet-997.FFFFFC1A--997.xdr.zst";
    const src = "GDOLY52JBSAOH3LUGBBQLB34D4BHJPPBD326PBRF4ZI6BEKURKL2LOJS";
    const signer = "GDD73W5XEYFEA5Z5S5BD6GFWTKBPAJIDXC3L37WEX47NVVQ2UC6ESICX";
    const id = 4282082418689n;
    // Op: master_weight 2, thresholds 2/3/4, inflation_dest and signer GDD7… weight 4. Account thresholds go
    // 01000000 → 02020304 and signers [] → [GDD7… 4].
    expect(effectsOfOp(path, id, "Test SDF Network ; September 2015")).toEqual([
      fx(id, 0, src, 4, "account_thresholds_updated", {
        high_threshold: 4,
        low_threshold: 2,
        med_threshold: 3,
      }),
      fx(id, 1, src, 7, "account_inflation_destination_updated", { inflation_destination: signer }),
      fx(id, 2, src, 12, "signer_updated", { public_key: src, weight: 2 }),
      fx(id, 3, src, 10, "signer_created", { public_key: signer, weight: 4 }),
    ]);
  });

  it("hot rows: typed columns of trade, claimable-balance and trust line effects, details as exact JSON text", () => {
    const rows = ledgersOf(MAINNET).flatMap((lcm) => effectsRows(changeInput(lcm, PUBNET)));
    const trade = rows.find((r) => r.effect_id === "228973296484397057-3")!;
    expect(trade).toMatchObject({
      effect_type: 33,
      effect_type_string: "trade",
      account_id: "GBD5U2WBPQIC6BVLLSXR5Q4MTOSYNPKCTVJBP4CXW2JR3DU4CH6Q2REX",
      offer_id: 1614872181n,
      seller_account: "GBDG5RV7F6GVAIDBHSK7VMKYQ7SCOVYY2OG25D2TPHMDF5CNJY6HFUCK",
      operation_id: 228973296484397057n,
      operation_index: 0,
      effect_index: 3,
      amount: null,
    });
    expect(trade.transaction_hash).toMatch(/^[0-9a-f]{64}$/);
    // Keys sorted as stellar-etl writes them; offer_id an exact JSON integer.
    expect(trade.details).toMatch(
      /^\{"bought_amount":"4\.2884589","bought_asset_type":"native","offer_id":1614872181,/,
    );
    const cb = rows.find((r) => r.effect_id === "228973296484933633-0")!;
    expect(cb).toMatchObject({
      effect_type_string: "claimable_balance_created",
      amount: "30000.0000000",
      asset_code: "LMW",
      asset_issuer: "GCGHWWNTL37TOPWJGA7PPCY3LBEDEFII56HPONQURYTLP6SB76CVELMW",
      asset_type: "credit_alphanum4",
    });
    const path = `${CORE}FrozenLedgerKeysTests/7832644d33f07016.xdr`;
    const tl = ledgersOf(path)
      .flatMap((lcm) => effectsRows(changeInput(lcm, STANDALONE)))
      .find((r) => r.effect_id === "21474840577-0")!;
    expect(tl).toMatchObject({
      effect_type_string: "trustline_created",
      trustline_limit: "922337203685.4775807",
      asset_code: "USD",
      asset_type: "credit_alphanum4",
    });
  });

  it("extend_footprint_ttl and restore_footprint list the TTL keys they touched", () => {
    const path = `${CORE}InvokeHostFunctionTests/ea4a1267d6c3a211.xdr`;
    const rows: Rec[] = [];
    for (const lcm of ledgersOf(path)) rows.push(...effectsRecords(changeInput(lcm, STANDALONE)));
    const ext = rows.filter((r) => r.type === 98);
    const res = rows.filter((r) => r.type === 99);
    expect(ext).toHaveLength(1);
    expect(res).toHaveLength(1);
    for (const r of [...ext, ...res]) {
      const entries = (r.details as { entries: string[] }).entries;
      expect(entries.length).toBeGreaterThan(0);
      // Each is a base64 LedgerKey of type TTL (9): 4-byte tag + 32-byte key hash.
      for (const e of entries) expect(Buffer.from(e, "base64").subarray(0, 4).readUInt32BE(0)).toBe(9);
    }
    expect(typeof (ext[0]!.details as { extend_to: unknown }).extend_to).toBe("number");
  });
});

describe.skipIf(!haveFixtures())("effects on every fixture", () => {
  it.each(LEDGER_FIXTURES.filter((f) => !unknownNetwork(f.path)).map((f) => [f.path, f.passphrase]))(
    "%s: effects without error, unique ids '<op TOID>-<index>', deterministic order, valid rows",
    (path, passphrase) => {
      const ids: string[] = [];
      for (const lcm of ledgersOf(path)) {
        const ctx = changeInput(lcm, passphrase);
        const effects = ledgerEffects(ctx);
        let prev: { op: bigint; index: number } | null = null;
        for (const e of effects) {
          expect(e.id).toBe(`${e.operationId}-${e.index}`);
          // Operation ids ascend; indexes count 0.. within each operation.
          if (prev && prev.op === e.operationId) expect(e.index).toBe(prev.index + 1);
          else {
            expect(e.index).toBe(0);
            if (prev) expect(e.operationId > prev.op).toBe(true);
          }
          prev = { op: e.operationId, index: e.index };
          ids.push(e.id);
        }
        const rows = effectsRows(ctx);
        expect(rowProblems("effects_row_v1", rows)).toEqual([]);
        // Recomputing from a fresh decode gives the same stream.
        const again = ledgerEffects(changeInput(xdr.LedgerCloseMeta.fromXDR(lcm.toXDR()), passphrase));
        expect(again.map((e) => `${e.id}|${e.type}|${e.address}`)).toEqual(
          effects.map((e) => `${e.id}|${e.type}|${e.address}`),
        );
      }
      expect(new Set(ids).size).toBe(ids.length);
    },
  );
});
