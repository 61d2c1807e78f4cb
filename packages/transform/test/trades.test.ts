import { readFileSync } from "node:fs";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { assetIdOf } from "../src/changes/asset-id";
import { envelopesInApplyOrder } from "../src/changes/envelopes";
import { changeInput } from "../src/changes/snapshot";
import { poolRoundingSlippage, syntheticOfferId, toid } from "../src/changes/trades";
import { tradesRecords, tradesRows } from "../src/tables/trades";
import { ledgersOf, PUBNET, rowProblems, STANDALONE } from "./changes-fixtures";

const MAINNET = "lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd";
const USDC = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";
const VELO = "GDM4RQUQQUVSKQA7S6EM7XBZP3FCGH4Q7CL6TABQ7B2BEJ5ERARM2M5M";

describe("trade ids and pool math", () => {
  it("synthetic buying offer id is the op TOID with bit 62 (golden 10_ledgers_trades)", () => {
    expect(syntheticOfferId(123567373042130946n)).toBe(4735253391469518850n);
    expect(toid(53312000, 11, 1)).toBe(228973296484397057n);
  });

  it("asset ids are stellar-etl's FarmHash ids (golden trades)", () => {
    expect(assetIdOf("", "", "native")).toBe(-5706705804583548011n);
    expect(
      assetIdOf("LTC", "GCNSGHUCG5VMGLT5RIYYZSO7VQULQKAJ62QA33DBC5PPBSO57LFWVV6P", "credit_alphanum4"),
    ).toBe(-7099674325738561615n);
    expect(
      assetIdOf("WXT", "GASBLVHS5FOABSDNW5SPPH3QRJYXY5JHA2AOA2QHH2FJLZBRXSG4SWXT", "credit_alphanum4"),
    ).toBe(2944132876123214754n);
  });

  it("rounding slippage follows CalculatePoolPayout (centibips, then bips)", () => {
    // Exact payout → 0; invalid fee → null.
    expect(poolRoundingSlippage(10000n, 10000n, 10000n, 0)).toBe(0n);
    expect(poolRoundingSlippage(100n, 100n, 1n, 10000)).toBeNull();
    // 300 deposited reserve, 200 disbursed, 3 in at 0.3%: 3·200·9970/(3000000+29910) = 1.9743 → 1;
    // (19743 − 10000)·10000 / 19743 = 4934 centibips → 49 bips.
    expect(poolRoundingSlippage(300n, 200n, 3n, 30)).toBe(49n);
    expect(poolRoundingSlippage(2n ** 63n - 1n, 1n, 1n, 30)).toBeNull();
  });
});

describe.skipIf(!haveFixtures())("trades", () => {
  it("mainnet 53312000: every envelope matches a result by hash under the PUBLIC passphrase", () => {
    const env = envelopesInApplyOrder(ledgersOf(MAINNET)[0]!, PUBNET);
    expect(env).toHaveLength(163);
    expect(env.every((e) => e !== null)).toBe(true);
  });

  it("mainnet 53312000: 29 claim atoms — 11 order book, 18 liquidity pool — across 10 operations", () => {
    const rows = tradesRows(changeInput(ledgersOf(MAINNET)[0]!, PUBNET));
    expect(rows).toHaveLength(29);
    expect(rows.filter((r) => r.trade_type === "orderbook")).toHaveLength(11);
    expect(rows.filter((r) => r.trade_type === "liquidity_pool")).toHaveLength(18);
    expect(new Set(rows.map((r) => `${r.transaction_hash}/${r.operation_index}`)).size).toBe(10);
    expect(rowProblems("trades_row_v1", rows)).toEqual([]);
    const keys = rows.map((r) => `${r.transaction_hash}/${r.operation_index}/${r.trade_index}`);
    expect(new Set(keys).size).toBe(rows.length);
  });

  it("mainnet 53312000 tx 11 (path payment strict receive): order book atom 0, read from the result and the offer's pre-state", () => {
    const recs = tradesRecords(changeInput(ledgersOf(MAINNET)[0]!, PUBNET));
    const opId = 228973296484397057n; // TOID(53312000, tx 11, op 1)
    const atoms = recs.filter((r) => r.history_operation_id === opId);
    expect(atoms.map((r) => r.order)).toEqual([0, 1, 2, 3]);
    expect(atoms[0]).toEqual({
      history_operation_id: opId,
      order: 0,
      ledger_closed_at: "2024-09-02T10:50:19Z",
      selling_account_address: "GBD5U2WBPQIC6BVLLSXR5Q4MTOSYNPKCTVJBP4CXW2JR3DU4CH6Q2REX",
      selling_asset_code: "USDC",
      selling_asset_issuer: USDC,
      selling_asset_type: "credit_alphanum4",
      selling_asset_id: assetIdOf("USDC", USDC, "credit_alphanum4"),
      selling_amount: 0.3941098,
      buying_account_address: "GBDG5RV7F6GVAIDBHSK7VMKYQ7SCOVYY2OG25D2TPHMDF5CNJY6HFUCK",
      buying_asset_code: "",
      buying_asset_issuer: "",
      buying_asset_type: "native",
      buying_asset_id: -5706705804583548011n,
      buying_amount: 4.2884589,
      // the maker offer 1614872181's price before the operation
      price_n: 108813809n,
      price_d: 10000000n,
      selling_offer_id: 1614872181n,
      buying_offer_id: 4840659314911784961n, // 2^62 + op TOID
      selling_liquidity_pool_id: null,
      selling_liquidity_pool_id_strkey: null,
      liquidity_pool_fee: null,
      trade_type: 1,
      rounding_slippage: null,
      seller_is_exact: true,
    });
  });

  it("mainnet 53312000 tx 11: liquidity pool atom 3 (XLM/VELO pool, fee 30, pre reserves 26614084404458/169617735754916)", () => {
    const ctx = changeInput(ledgersOf(MAINNET)[0]!, PUBNET);
    const rec = tradesRecords(ctx).find(
      (r) => r.history_operation_id === 228973296484397057n && r.order === 3,
    );
    expect(rec).toMatchObject({
      selling_account_address: "",
      selling_asset_type: "native",
      selling_amount: 4.2902995,
      buying_asset_code: "VELO",
      buying_asset_issuer: VELO,
      buying_amount: 27.4253946,
      price_n: 274253946n, // amount bought, unreduced
      price_d: 42902995n, // amount sold
      selling_offer_id: null,
      selling_liquidity_pool_id: "3fdb3afae74f0db26bd1b8cbf292743df687dde6d037cbf4790cba37dc63a110",
      selling_liquidity_pool_id_strkey: "LA75WOX245HQ3MTL2G4MX4USOQ67NB6543IDPS7UPEGLUN64MOQRBVGV",
      liquidity_pool_fee: 30n,
      trade_type: 2,
      // X=169617735754916 (VELO in), Y=26614084404458 (XLM out), x=42902995: the payout divides exactly in bips.
      rounding_slippage: 0n,
      seller_is_exact: true,
    });
    const row = tradesRows(ctx).find(
      (r) => r.history_operation_id === 228973296484397057n && r.trade_index === 3,
    );
    expect(row).toMatchObject({
      operation_index: 0,
      trade_type: "liquidity_pool",
      seller_account: null,
      selling_asset_code: null,
      selling_amount: "4.2902995",
      buyer_account: "GBDG5RV7F6GVAIDBHSK7VMKYQ7SCOVYY2OG25D2TPHMDF5CNJY6HFUCK",
      buying_amount: "27.4253946",
      price: "6.3924196", // 274253946 / 42902995 to 7 decimals
      liquidity_pool_id: "3fdb3afae74f0db26bd1b8cbf292743df687dde6d037cbf4790cba37dc63a110",
      liquidity_pool_fee: 30n,
      price_n: 274253946n,
      price_d: 42902995n,
    });
  });

  it("PathPaymentTests: the strict-receive payment crosses 4 offers (offer 1 twice, in a loop)", () => {
    const ledgers = ledgersOf("lcm-synthetic/core-test-lcms/PathPaymentTests/6b8dd7030be55252.xdr");
    const rows = ledgers.flatMap((l) => tradesRows(changeInput(l, STANDALONE)));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.selling_offer_id)).toEqual([1n, 2n, 3n, 1n]);
    expect(
      rows.map((r) => [r.selling_asset_code, r.buying_asset_code, r.selling_amount, r.buying_amount]),
    ).toEqual([
      ["CUR2", "CUR1", "0.0000080", "0.0000160"],
      ["CUR3", "CUR2", "0.0000040", "0.0000080"],
      ["CUR1", "CUR3", "0.0000020", "0.0000040"],
      ["CUR2", "CUR1", "0.0000010", "0.0000020"],
    ]);
    expect(rows.every((r) => r.ledger_sequence === 24n && r.price === "2.0000000")).toBe(true);
    expect(rows.every((r) => r.buying_offer_id === syntheticOfferId(r.history_operation_id))).toBe(true);
    expect(rowProblems("trades_row_v1", rows)).toEqual([]);
  });

  it("history_trades records carry exactly the golden's field names", () => {
    const golden = JSON.parse(
      readFileSync(fixture("stellar-etl-golden/trades/one_ledger_trades.golden"), "utf8").split(
        "\n",
      )[0] as string,
    );
    const rec = tradesRecords(changeInput(ledgersOf(MAINNET)[0]!, PUBNET))[0] as object;
    expect(Object.keys(rec).sort()).toEqual(Object.keys(golden).sort());
  });

  it("reconstructed mainnet 30820015 has no trades (stellar-etl's effects golden has no trade effects)", () => {
    const l = ledgersOf("lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst")[0]!;
    expect(envelopesInApplyOrder(l, PUBNET).every((e) => e !== null)).toBe(true);
    expect(tradesRows(changeInput(l, PUBNET))).toEqual([]);
  });
});
