/**
 * Effect rules no fixture exercises: muxed accounts (address_muxed, seller_muxed / seller_muxed_id), and the
 * SAC event parser's shape checks. Built from hand-made XDR, no fixtures needed.
 */
import { Asset, Keypair, StrKey, xdr } from "@stellar/stellar-sdk/base";
import { describe, expect, it } from "vitest";
import type { EntryChange } from "../src/changes/reader";
import type { ChangeInput } from "../src/changes/snapshot";
import { bumpSequenceEffects, manageDataEffects, paymentEffects } from "../src/effects/accounts";
import { clawbackEffects } from "../src/effects/claimable-balances";
import { poolEntryEffects } from "../src/effects/liquidity-pools";
import { parseSacEvent, type SacEvent } from "../src/effects/soroban";
import { offerEffects } from "../src/effects/trades";
import { setTrustLineFlagsEffects } from "../src/effects/trustlines";
import { EffectType, effectTypeNames, OpEffects } from "../src/effects/types";
import { toGoJson } from "../src/ndjson";
import type { CoreTx } from "../src/tables/core-common";

const PASS = "Test SDF Network ; September 2015";
const A = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 1));
const B = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 2));
const ISSUER = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 3));

function muxed(kp: Keypair, id: bigint): xdr.MuxedAccount {
  return xdr.MuxedAccount.keyTypeMuxedEd25519(
    new xdr.MuxedAccountMed25519({
      id: xdr.Uint64.fromString(id.toString()),
      ed25519: new xdr.Uint256Bytes(kp.rawPublicKey()),
    }),
  );
}

function mAddress(kp: Keypair, id: bigint): string {
  const raw = Buffer.alloc(40);
  raw.set(kp.rawPublicKey(), 0);
  raw.writeBigUInt64BE(id, 32);
  return StrKey.encodeMed25519PublicKey(raw);
}

function opEffects(source: xdr.MuxedAccount, op: xdr.Operation, tr: xdr.OperationResultTr | null): OpEffects {
  const ctx = { networkPassphrase: PASS } as ChangeInput;
  return new OpEffects(ctx, { source } as CoreTx, 0, op, tr, [], 4097n);
}

describe("effect type names", () => {
  it("match stellar-etl's EffectTypeNames for every code", () => {
    expect(effectTypeNames[EffectType.AccountInflationDestinationUpdated]).toBe(
      "account_inflation_destination_updated",
    );
    expect(effectTypeNames[EffectType.ClaimableBalanceClaimantCreated]).toBe(
      "claimable_balance_claimant_created",
    );
    expect(effectTypeNames[EffectType.TrustlineAuthorizedToMaintainLiabilities]).toBe(
      "trustline_authorized_to_maintain_liabilities",
    );
    expect(effectTypeNames[98]).toBe("extend_footprint_ttl");
    expect(effectTypeNames[99]).toBe("restore_footprint");
    // 0-7, 10-12, 20-26, 30-33, 40-43, 50-52, 60-74, 80, 90-99.
    expect(Object.keys(effectTypeNames)).toHaveLength(55);
  });
});

describe("muxed accounts", () => {
  it("payment between muxed accounts: G… address plus the M… form in address_muxed", () => {
    const op = new xdr.Operation({
      sourceAccount: null,
      body: xdr.OperationBody.payment(
        new xdr.PaymentOp({
          destination: muxed(B, 42n),
          asset: xdr.Asset.assetTypeNative(),
          amount: xdr.Int64.fromString("12345678"),
        }),
      ),
    });
    const e = opEffects(muxed(A, 7n), op, null);
    paymentEffects(e);
    expect(e.out).toEqual([
      {
        address: B.publicKey(),
        addressMuxed: mAddress(B, 42n),
        type: 2,
        details: { amount: "1.2345678", asset_type: "native" },
      },
      {
        address: A.publicKey(),
        addressMuxed: mAddress(A, 7n),
        type: 3,
        details: { amount: "1.2345678", asset_type: "native" },
      },
    ]);
  });

  it("a muxed taker: seller rows carry seller (G), seller_muxed (M) and seller_muxed_id (uint64)", () => {
    const usd = new Asset("USD", ISSUER.publicKey()).toXDRObject();
    const usdX = xdr.Asset.fromXdr(usd.toXdr());
    const atom = xdr.ClaimAtom.claimAtomTypeOrderBook(
      new xdr.ClaimOfferAtom({
        sellerId: B.xdrAccountId(),
        offerId: xdr.Int64.fromString("99"),
        assetSold: usdX,
        amountSold: xdr.Int64.fromString("20"),
        assetBought: xdr.Asset.assetTypeNative(),
        amountBought: xdr.Int64.fromString("10"),
      }),
    );
    const tr = xdr.OperationResultTr.manageSellOffer(
      xdr.ManageSellOfferResult.manageSellOfferSuccess(
        new xdr.ManageOfferSuccessResult({
          offersClaimed: [atom],
          offer: xdr.ManageOfferSuccessResultOffer.manageOfferDeleted(),
        }),
      ),
    );
    const op = new xdr.Operation({
      sourceAccount: null,
      body: xdr.OperationBody.manageSellOffer(
        new xdr.ManageSellOfferOp({
          selling: xdr.Asset.assetTypeNative(),
          buying: usdX,
          amount: xdr.Int64.fromString("10"),
          price: new xdr.Price({ n: 2, d: 1 }),
          offerId: xdr.Int64.fromString("0"),
        }),
      ),
    });
    const id = 18446744073709551615n;
    const e = opEffects(muxed(A, id), op, tr);
    offerEffects(e);
    expect(e.out.map((x) => [x.type, x.address, x.addressMuxed])).toEqual([
      [33, A.publicKey(), mAddress(A, id)],
      [33, B.publicKey(), null],
      [32, A.publicKey(), mAddress(A, id)],
      [32, B.publicKey(), null],
      [31, A.publicKey(), mAddress(A, id)],
      [31, B.publicKey(), null],
      [30, A.publicKey(), mAddress(A, id)],
      [30, B.publicKey(), null],
    ]);
    expect(e.out[1]!.details).toEqual({
      offer_id: 99n,
      seller: A.publicKey(),
      seller_muxed: mAddress(A, id),
      seller_muxed_id: id,
      bought_amount: "0.0000010",
      bought_asset_type: "native",
      sold_amount: "0.0000020",
      sold_asset_type: "credit_alphanum4",
      sold_asset_code: "USD",
      sold_asset_issuer: ISSUER.publicKey(),
    });
    expect(e.out[0]!.details).toEqual({
      offer_id: 99n,
      seller: B.publicKey(),
      bought_amount: "0.0000020",
      bought_asset_type: "credit_alphanum4",
      bought_asset_code: "USD",
      bought_asset_issuer: ISSUER.publicKey(),
      sold_amount: "0.0000010",
      sold_asset_type: "native",
    });
  });
});

describe("SAC event parsing", () => {
  const asset = new Asset("USDC", ISSUER.publicKey());
  const contractId = StrKey.decodeContract(asset.contractId(PASS));
  const sym = (s: string) => xdr.ScVal.scvSymbol(s);
  const addr = (kp: Keypair) => xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeAccount(kp.xdrAccountId()));
  const name = xdr.ScVal.scvString(`USDC:${ISSUER.publicKey()}`);
  const i128 = (n: bigint) =>
    xdr.ScVal.scvI128(
      new xdr.Int128Parts({
        hi: xdr.Int64.fromString((n >> 64n).toString()),
        lo: xdr.Uint64.fromString((n & (2n ** 64n - 1n)).toString()),
      }),
    );
  const event = (topics: xdr.ScVal[], data: xdr.ScVal, id: Buffer = Buffer.from(contractId)) =>
    new xdr.ContractEvent({
      ext: xdr.ExtensionPoint.v0(),
      contractId: new xdr.ContractId(id),
      type: xdr.ContractEventType.contract,
      body: xdr.ContractEventBody.v0(new xdr.ContractEventV0({ topics, data })),
    });
  const kindOf = (e: SacEvent | null) => (e ? [e.kind, e.first, e.second, e.amount] : null);

  it("transfer with 4 topics and an i128 or {amount} map; 128-bit amounts stay exact", () => {
    const big = 2n ** 70n + 5n;
    expect(kindOf(parseSacEvent(event([sym("transfer"), addr(A), addr(B), name], i128(big)), PASS))).toEqual([
      "transfer",
      A.publicKey(),
      B.publicKey(),
      big,
    ]);
    const map = xdr.ScVal.scvMap([
      new xdr.ScMapEntry({ key: sym("amount"), val: i128(5n) }),
      new xdr.ScMapEntry({ key: sym("to_muxed_id"), val: xdr.ScVal.scvU64(xdr.Uint64.fromString("7")) }),
    ]);
    expect(parseSacEvent(event([sym("transfer"), addr(A), addr(B), name], map), PASS)?.amount).toBe(5n);
  });

  it("rejects: wrong contract id, wrong passphrase, 3-topic mint/clawback (CAP-67 shape), 4-topic burn", () => {
    const other = Buffer.alloc(32, 9);
    expect(parseSacEvent(event([sym("transfer"), addr(A), addr(B), name], i128(1n), other), PASS)).toBeNull();
    expect(parseSacEvent(event([sym("transfer"), addr(A), addr(B), name], i128(1n)), "other")).toBeNull();
    expect(parseSacEvent(event([sym("mint"), addr(B), name], i128(1n)), PASS)).toBeNull();
    expect(parseSacEvent(event([sym("clawback"), addr(B), name], i128(1n)), PASS)).toBeNull();
    expect(parseSacEvent(event([sym("burn"), addr(A), addr(B), name], i128(1n)), PASS)).toBeNull();
    expect(kindOf(parseSacEvent(event([sym("burn"), addr(A), name], i128(3n)), PASS))).toEqual([
      "burn",
      A.publicKey(),
      "",
      3n,
    ]);
    expect(kindOf(parseSacEvent(event([sym("mint"), addr(A), addr(B), name], i128(3n)), PASS))).toEqual([
      "mint",
      A.publicKey(),
      B.publicKey(),
      3n,
    ]);
  });
});

describe("Go JSON escaping of Hubble records", () => {
  it("escapes <, >, & and U+2028/9 like encoding/json; the text stays the same JSON value", () => {
    const rec = { details: { home_domain: "a<b>&c\u2028d\u2029" }, id: "1-0" };
    const text = toGoJson(rec);
    expect(text).toBe('{"details":{"home_domain":"a\\u003cb\\u003e\\u0026c\\u2028d\\u2029"},"id":"1-0"}');
    expect(JSON.parse(text)).toEqual(rec);
  });
});

describe("liquidity pool revocation (set_trust_line_flags deauthorizing a pool participant)", () => {
  const usd = xdr.Asset.fromXDR(new Asset("USD", ISSUER.publicKey()).toXDRObject().toXdr());
  const native = xdr.Asset.assetTypeNative();
  const poolId = Buffer.alloc(32, 7);
  const pool = (a: bigint, b: bigint, shares: bigint) =>
    new xdr.LedgerEntry({
      lastModifiedLedgerSeq: 5,
      data: xdr.LedgerEntryData.liquidityPool(
        new xdr.LiquidityPoolEntry({
          liquidityPoolId: poolId as unknown as xdr.PoolId,
          body: xdr.LiquidityPoolEntryBody.liquidityPoolConstantProduct(
            new xdr.LiquidityPoolEntryConstantProduct({
              params: new xdr.LiquidityPoolConstantProductParameters({
                assetA: native,
                assetB: usd,
                fee: 30,
              }),
              reserveA: xdr.Int64.fromString(a.toString()),
              reserveB: xdr.Int64.fromString(b.toString()),
              totalPoolShares: xdr.Int64.fromString(shares.toString()),
              poolSharesTrustLineCount: xdr.Int64.fromString("2"),
            }),
          ),
        }),
      ),
      ext: xdr.LedgerEntryExt.v0(),
    });
  const cb = (seed: number, asset: xdr.Asset, amount: bigint) =>
    new xdr.LedgerEntry({
      lastModifiedLedgerSeq: 5,
      data: xdr.LedgerEntryData.claimableBalance(
        new xdr.ClaimableBalanceEntry({
          balanceId: xdr.ClaimableBalanceId.claimableBalanceIdTypeV0(new xdr.Hash(Buffer.alloc(32, seed))),
          claimants: [
            xdr.Claimant.claimantTypeV0(
              new xdr.ClaimantV0({
                destination: B.xdrAccountId(),
                predicate: xdr.ClaimPredicate.claimPredicateUnconditional(),
              }),
            ),
          ],
          asset,
          amount: xdr.Int64.fromString(amount.toString()),
          ext: xdr.ClaimableBalanceEntryExt.v0(),
        }),
      ),
      ext: xdr.LedgerEntryExt.v0(),
    });
  const change = (entryType: number, pre: xdr.LedgerEntry | null, post: xdr.LedgerEntry | null) =>
    ({ type: pre && post ? 1 : pre ? 2 : 0, entryType, pre, post }) as unknown as EntryChange;

  it("claimable balances sorted by asset (native before USD), then liquidity_pool_revoked with the reserves moved", () => {
    const op = new xdr.Operation({
      sourceAccount: null,
      body: xdr.OperationBody.setTrustLineFlags(
        new xdr.SetTrustLineFlagsOp({
          trustor: B.xdrAccountId(),
          asset: usd,
          clearFlags: 1,
          setFlags: 0,
        }),
      ),
    });
    // Key order puts CB (4) before LP (5); the USD balance comes first in the changes.
    const changes = [
      change(4, null, cb(0xbb, usd, 300n)),
      change(4, null, cb(0xaa, native, 600n)),
      change(5, pool(1000n, 500n, 700n), pool(400n, 200n, 280n)),
    ];
    const e = new OpEffects(
      { networkPassphrase: PASS } as ChangeInput,
      { source: muxed(ISSUER, 0n) } as CoreTx,
      0,
      op,
      null,
      changes,
      1n,
    );
    setTrustLineFlagsEffects(e);
    const idOf = (seed: number) => `00000000${Buffer.alloc(32, seed).toString("hex")}`;
    expect(e.out.map((x) => [x.type, x.address])).toEqual([
      [26, ISSUER.publicKey()],
      [50, ISSUER.publicKey()],
      [51, B.publicKey()],
      [50, ISSUER.publicKey()],
      [51, B.publicKey()],
      [95, ISSUER.publicKey()],
    ]);
    expect(e.out[0]!.details).toEqual({
      trustor: B.publicKey(),
      asset_type: "credit_alphanum4",
      asset_code: "USD",
      asset_issuer: ISSUER.publicKey(),
      authorized_flag: false,
    });
    expect(e.out[1]!.details).toEqual({ balance_id: idOf(0xaa), amount: "0.0000600", asset: "native" });
    expect(e.out[2]!.details).toEqual({
      balance_id: idOf(0xaa),
      amount: "0.0000600",
      asset: "native",
      predicate: { unconditional: true },
    });
    expect(e.out[3]!.details).toMatchObject({ balance_id: idOf(0xbb), asset: `USD:${ISSUER.publicKey()}` });
    expect(e.out[5]!.details).toEqual({
      liquidity_pool: {
        id: poolId.toString("hex"),
        fee_bp: 30,
        type: "constant_product",
        total_trustlines: "2",
        total_shares: "0.0000280",
        reserves: [
          { asset: "native", amount: "0.0000400" },
          { asset: `USD:${ISSUER.publicKey()}`, amount: "0.0000200" },
        ],
      },
      reserves_revoked: [
        { asset: "native", amount: "0.0000600", claimable_balance_id: idOf(0xaa) },
        { asset: `USD:${ISSUER.publicKey()}`, amount: "0.0000300", claimable_balance_id: idOf(0xbb) },
      ],
      shares_revoked: "0.0000420",
    });
    // The pool entry itself: removed → liquidity_pool_removed with its id.
    const removed = new OpEffects(
      { networkPassphrase: PASS } as ChangeInput,
      { source: muxed(ISSUER, 0n) } as CoreTx,
      0,
      op,
      null,
      [],
      1n,
    );
    poolEntryEffects(removed, change(5, pool(1n, 1n, 1n), null));
    expect(removed.out).toEqual([
      {
        address: ISSUER.publicKey(),
        addressMuxed: mAddress(ISSUER, 0n),
        type: 94,
        details: { liquidity_pool_id: poolId.toString("hex") },
      },
    ]);
  });
});

describe("manage_data, bump_sequence, clawback", () => {
  const accountEntry = (kp: Keypair, seq: bigint) =>
    new xdr.LedgerEntry({
      lastModifiedLedgerSeq: 5,
      data: xdr.LedgerEntryData.account(
        new xdr.AccountEntry({
          accountId: kp.xdrAccountId(),
          balance: xdr.Int64.fromString("100"),
          seqNum: xdr.Int64.fromString(seq.toString()),
          numSubEntries: 0,
          inflationDest: null,
          flags: 0,
          homeDomain: new xdr.XdrString(""),
          thresholds: new xdr.Thresholds(new Uint8Array([1, 0, 0, 0])),
          signers: [],
          ext: xdr.AccountEntryExt.v0(),
        }),
      ),
      ext: xdr.LedgerEntryExt.v0(),
    });
  const dataEntry = (value: Buffer) =>
    new xdr.LedgerEntry({
      lastModifiedLedgerSeq: 5,
      data: xdr.LedgerEntryData.data(
        new xdr.DataEntry({
          accountId: A.xdrAccountId(),
          dataName: new xdr.XdrString("k"),
          dataValue: new xdr.DataValue(value),
          ext: xdr.DataEntryExt.v0(),
        }),
      ),
      ext: xdr.LedgerEntryExt.v0(),
    });
  const change = (entryType: number, pre: xdr.LedgerEntry | null, post: xdr.LedgerEntry | null) =>
    ({ entryType, pre, post }) as unknown as EntryChange;
  const run = (op: xdr.Operation, changes: EntryChange[], fn: (e: OpEffects) => void) => {
    const e = new OpEffects(
      { networkPassphrase: PASS } as ChangeInput,
      { source: muxed(A, 0n) } as CoreTx,
      0,
      op,
      null,
      changes,
      1n,
    );
    fn(e);
    return e.out.map((x) => [x.type, x.details]);
  };
  const manageData = new xdr.Operation({
    sourceAccount: null,
    body: xdr.OperationBody.manageData(
      new xdr.ManageDataOp({
        dataName: new xdr.XdrString("k"),
        dataValue: new xdr.DataValue(Buffer.from("v2")),
      }),
    ),
  });

  it("manage_data: created / updated carry the new value (base64), removed only the name", () => {
    const v1 = dataEntry(Buffer.from("v1"));
    const v2 = dataEntry(Buffer.from("v2"));
    expect(run(manageData, [change(3, null, v2)], manageDataEffects)).toEqual([
      [40, { name: "k", value: "djI=" }],
    ]);
    expect(run(manageData, [change(3, v1, v2)], manageDataEffects)).toEqual([
      [42, { name: "k", value: "djI=" }],
    ]);
    expect(run(manageData, [change(3, v1, null)], manageDataEffects)).toEqual([[41, { name: "k" }]]);
  });

  it("bump_sequence: sequence_bumped with new_seq (exact int64) only when the sequence moved", () => {
    const op = new xdr.Operation({
      sourceAccount: null,
      body: xdr.OperationBody.bumpSequence(
        new xdr.BumpSequenceOp({ bumpTo: xdr.Int64.fromString("9007199254740993") }),
      ),
    });
    const moved = [change(0, accountEntry(A, 5n), accountEntry(A, 9007199254740993n))];
    expect(run(op, moved, bumpSequenceEffects)).toEqual([[43, { new_seq: 9007199254740993n }]]);
    const same = [change(0, accountEntry(A, 5n), accountEntry(A, 5n))];
    expect(run(op, same, bumpSequenceEffects)).toEqual([]);
  });

  it("clawback: account_credited to the issuer (source), account_debited from the holder", () => {
    const usd = xdr.Asset.fromXDR(new Asset("USD", A.publicKey()).toXDRObject().toXdr());
    const op = new xdr.Operation({
      sourceAccount: null,
      body: xdr.OperationBody.clawback(
        new xdr.ClawbackOp({ asset: usd, from: muxed(B, 0n), amount: xdr.Int64.fromString("25") }),
      ),
    });
    const d = {
      amount: "0.0000025",
      asset_type: "credit_alphanum4",
      asset_code: "USD",
      asset_issuer: A.publicKey(),
    };
    const e = new OpEffects(
      { networkPassphrase: PASS } as ChangeInput,
      { source: xdr.MuxedAccount.keyTypeEd25519(new xdr.Uint256Bytes(A.rawPublicKey())) } as CoreTx,
      0,
      op,
      null,
      [],
      1n,
    );
    clawbackEffects(e);
    expect(e.out).toEqual([
      { address: A.publicKey(), addressMuxed: null, type: 2, details: d },
      { address: B.publicKey(), addressMuxed: mAddress(B, 0n), type: 3, details: d },
    ]);
  });
});
