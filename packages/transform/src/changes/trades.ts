/**
 * Trades of a ledger: one per claim atom of the successful results of manage_sell_offer (3),
 * create_passive_sell_offer (4), manage_buy_offer (12), path_payment_strict_receive (2) and
 * path_payment_strict_send (13), with stellar-etl's ids and derived fields (hubble-semantics §1, §5).
 */

import type { xdr } from "@stellar/stellar-sdk/base";
import { LedgerKeyArm, OperationBodyArm, OperationResultTrArm, PublicKeyArm } from "../xdr-arms";
import { type TxBody, txBody } from "./envelopes";
import {
  type AssetParts,
  accountIdString,
  assetParts,
  assetsEqual,
  hex,
  muxedBaseAddress,
  view,
} from "./format";
import { dataOf, txProcessingOf } from "./ledger";
import { type EntryChange, LedgerChangeError, ledgerChanges } from "./reader";
import { accountStrkey } from "./strkey-cache";

const PATH_PAYMENT_STRICT_RECEIVE = OperationBodyArm.pathPaymentStrictReceive;
const MANAGE_SELL_OFFER = OperationBodyArm.manageSellOffer;
const CREATE_PASSIVE_SELL_OFFER = OperationBodyArm.createPassiveSellOffer;
const MANAGE_BUY_OFFER = OperationBodyArm.manageBuyOffer;
const PATH_PAYMENT_STRICT_SEND = OperationBodyArm.pathPaymentStrictSend;
const TRADING_OPS = new Set<number>([
  PATH_PAYMENT_STRICT_RECEIVE,
  MANAGE_SELL_OFFER,
  CREATE_PASSIVE_SELL_OFFER,
  MANAGE_BUY_OFFER,
  PATH_PAYMENT_STRICT_SEND,
]);

const MAX_I64 = 2n ** 63n - 1n;
const MIN_I64 = -(2n ** 63n);

export interface Trade {
  readonly txIndex: number;
  readonly txHash: string;
  readonly opIndex: number;
  /** Operation TOID (Hubble history_operation_id). */
  readonly operationId: bigint;
  /** Index of the claim atom in the result (gaps where zero atoms were skipped). */
  readonly order: number;
  /** 1 order book, 2 liquidity pool. */
  readonly tradeType: 1 | 2;
  /** Maker: offer owner (G…), "" for pools. */
  readonly sellingAccount: string;
  readonly selling: AssetParts;
  readonly sellingAmount: bigint;
  /** Taker: the operation's source (G…, never muxed). */
  readonly buyingAccount: string;
  readonly buying: AssetParts;
  readonly buyingAmount: bigint;
  readonly priceN: bigint;
  readonly priceD: bigint;
  readonly sellingOfferId: bigint | null;
  readonly buyingOfferId: bigint;
  readonly poolId: Buffer | null;
  readonly poolFee: number | null;
  readonly roundingSlippage: bigint | null;
  readonly sellerIsExact: boolean | null;
}

export function toid(ledger: number, txIndex: number, opIndex: number): bigint {
  return (BigInt(ledger) << 32n) | (BigInt(txIndex) << 12n) | BigInt(opIndex);
}

/** stellar-etl's synthetic offer id for a taker without a resting offer: op TOID with bit 62 set. */
export function syntheticOfferId(operationId: bigint): bigint {
  return operationId | (1n << 62n);
}

function opResults(result: xdr.TransactionResultPair): xdr.OperationResult[] | null {
  const r = result.result.result;
  switch (r.type) {
    case "txSuccess":
      return r.results;
    case "txFeeBumpInnerSuccess": {
      const inner = r.innerResultPair.result.result;
      return inner.type === "txSuccess" ? inner.results : null;
    }
    default:
      return null;
  }
}

export interface AtomView {
  kind: 0 | 1 | 2;
  sellerId: string;
  /** The seller's ed25519 key (order-book atoms), for the offer's ledger key. */
  sellerEd25519: Uint8Array | null;
  offerId: bigint;
  poolId: xdr.PoolId | null;
  assetSold: xdr.Asset;
  amountSold: bigint;
  assetBought: xdr.Asset;
  amountBought: bigint;
}

export function atomView(a: xdr.ClaimAtom): AtomView {
  switch (a.type) {
    case "claimAtomTypeV0": {
      const v = a.v0;
      return {
        kind: 0,
        sellerId: accountStrkey(v.sellerEd25519.value),
        sellerEd25519: v.sellerEd25519.value,
        offerId: v.offerId,
        poolId: null,
        assetSold: v.assetSold,
        amountSold: v.amountSold,
        assetBought: v.assetBought,
        amountBought: v.amountBought,
      };
    }
    case "claimAtomTypeOrderBook": {
      const v = a.orderBook;
      return {
        kind: 1,
        sellerId: accountIdString(v.sellerId),
        sellerEd25519: v.sellerId.ed25519.value,
        offerId: v.offerId,
        poolId: null,
        assetSold: v.assetSold,
        amountSold: v.amountSold,
        assetBought: v.assetBought,
        amountBought: v.amountBought,
      };
    }
    case "claimAtomTypeLiquidityPool": {
      const v = a.liquidityPool;
      return {
        kind: 2,
        sellerId: "",
        sellerEd25519: null,
        offerId: 0n,
        poolId: v.liquidityPoolId,
        assetSold: v.assetSold,
        amountSold: v.amountSold,
        assetBought: v.assetBought,
        amountBought: v.amountBought,
      };
    }
  }
}

export interface Claims {
  atoms: xdr.ClaimAtom[];
  takerOfferId: bigint | null;
  sellerIsExact: boolean | null;
}

/*
 * Module-level helpers instead of closures inside per-item functions: tsx (esbuild keepNames) wraps every
 * named closure creation in a defineProperty call, which showed up in profiles.
 */
function manage(res: xdr.ManageSellOfferResult | xdr.ManageBuyOfferResult): Claims | null {
  if (res.type !== "manageSellOfferSuccess" && res.type !== "manageBuyOfferSuccess") return null;
  const s = res.success;
  const offer = s.offer;
  const taker = offer.type === "manageOfferDeleted" ? null : offer.offer.offerId;
  return { atoms: s.offersClaimed, takerOfferId: taker, sellerIsExact: null };
}

export function claimsOf(opType: number, tr: xdr.OperationResultTr): Claims | null {
  switch (opType) {
    case MANAGE_SELL_OFFER:
      return tr.type === "manageSellOffer" ? manage(tr.manageSellOfferResult) : null;
    case MANAGE_BUY_OFFER:
      return tr.type === "manageBuyOffer" ? manage(tr.manageBuyOfferResult) : null;
    case CREATE_PASSIVE_SELL_OFFER:
      // Core writes create_passive results in the ManageSellOffer arm; both arms hold the same type.
      if (tr.type === "manageSellOffer") return manage(tr.manageSellOfferResult);
      if (tr.type === "createPassiveSellOffer") return manage(tr.createPassiveSellOfferResult);
      return null;
    case PATH_PAYMENT_STRICT_RECEIVE: {
      if (tr.type !== "pathPaymentStrictReceive") return null;
      const r = tr.pathPaymentStrictReceiveResult;
      return r.type === "pathPaymentStrictReceiveSuccess"
        ? { atoms: r.success.offers, takerOfferId: null, sellerIsExact: true }
        : null;
    }
    case PATH_PAYMENT_STRICT_SEND: {
      if (tr.type !== "pathPaymentStrictSend") return null;
      const r = tr.pathPaymentStrictSendResult;
      return r.type === "pathPaymentStrictSendSuccess"
        ? { atoms: r.success.offers, takerOfferId: null, sellerIsExact: false }
        : null;
    }
    default:
      return null;
  }
}

/** The Pre state of the latest change of the operation whose Pre has this key (findLatestOperationChange). */
function latestPre(changes: readonly EntryChange[], keyXdr: Buffer): xdr.LedgerEntry | null {
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i] as EntryChange;
    if (c.pre && c.keyXdr.equals(keyXdr)) return c.pre;
  }
  return null;
}

/** The offer's LedgerKey XDR from the seller's raw key (decoding the strkey back was a hot spot). */
function offerKeyXdr(seller: Uint8Array, offerId: bigint): Buffer {
  const b = Buffer.alloc(4 + 4 + 32 + 8);
  b.writeUInt32BE(LedgerKeyArm.offer, 0);
  b.writeUInt32BE(PublicKeyArm.publicKeyTypeEd25519, 4);
  b.set(seller, 8);
  b.writeBigInt64BE(offerId, 40);
  return b;
}

function poolKeyXdr(poolId: xdr.PoolId): Buffer {
  const b = Buffer.alloc(4 + 32);
  b.writeUInt32BE(LedgerKeyArm.liquidityPool, 0);
  b.set(poolId.value, 4);
  return b;
}

/**
 * stellar-go's CalculatePoolPayout rounding slippage in bips: X = pool reserve of the asset it received,
 * Y = of the asset it disbursed, x = the amount given, fee in bips. null when the payout is invalid.
 */
export function poolRoundingSlippage(X: bigint, Y: bigint, x: bigint, fee: number): bigint | null {
  if (fee < 0 || fee >= 10000) return null;
  if (x > MAX_I64 - X) return null;
  const f = BigInt(10000 - fee);
  const denom = X * 10000n + x * f;
  if (denom === 0n) return null;
  const numer = Y * x * f;
  const result = numer / denom;
  let slippage = 0n;
  if (numer % denom !== 0n) {
    const unrounded = (numer * 10000n) / denom;
    const rounded = result * 10000n;
    let s = unrounded - rounded;
    if (s < 0n) s = -s;
    s = unrounded === 0n ? 0n : (s * 10000n) / unrounded;
    slippage = s / 100n;
    if (slippage > MAX_I64) return null;
  }
  if (result <= 0n || result > MAX_I64) return null;
  return slippage;
}

function assetEquals(a: xdr.Asset, b: xdr.Asset): boolean {
  return assetsEqual(a, b);
}

function isSuccess(result: xdr.TransactionResultPair): boolean {
  const code = result.result.result.type;
  return code === "txSuccess" || code === "txFeeBumpInnerSuccess";
}

const cache = new WeakMap<xdr.LedgerCloseMeta, { trades: Trade[] }>();

/**
 * Every trade of the ledger in apply order, then operation order, then claim order. `envelopesOf` gives the
 * tx envelopes aligned with TxProcessing (asked for only when a trading operation succeeded); a successful
 * trading tx without its envelope is an error.
 */
export function ledgerTrades(
  lcm: xdr.LedgerCloseMeta,
  sequence: number,
  envelopesOf: () => readonly (xdr.TransactionEnvelope | null)[],
): Trade[] {
  const cached = cache.get(lcm);
  if (cached) return cached.trades;
  let envelopes: readonly (xdr.TransactionEnvelope | null)[] | null = null;
  const out: Trade[] = [];
  const changes = ledgerChanges(lcm);
  for (const tx of txProcessingOf(lcm)) {
    if (!isSuccess(tx.result)) continue;
    const results = opResults(tx.result);
    if (!results) continue;
    // Only trading operations need the envelope (op source); their result arms say which ops those are.
    if (!results.some((r) => r.type === "opInner" && TRADING_OPS.has(OperationResultTrArm[r.tr.type])))
      continue;
    envelopes ??= envelopesOf();
    const env = envelopes[tx.index - 1];
    if (!env)
      throw new LedgerChangeError(
        sequence,
        `tx ${tx.index}`,
        "no envelope in the tx set has this transaction's hash (wrong network passphrase?)",
      );
    const body: TxBody = txBody(env);
    const txHash = hex(tx.result.transactionHash);
    body.operations.forEach((op, opIndex) => {
      const opType = OperationBodyArm[op.body.type];
      if (!TRADING_OPS.has(opType)) return;
      const res = results[opIndex];
      if (res?.type !== "opInner") return;
      const claims = claimsOf(opType, res.tr);
      if (!claims) return;
      const operationId = toid(sequence, tx.index, opIndex + 1);
      const src = op.sourceAccount;
      const buyer = muxedBaseAddress(src ?? body.source);
      const opChanges = changes.transactions[tx.index - 1]?.operations[opIndex] ?? [];
      claims.atoms.forEach((atom, order) => {
        const a = atomView(atom);
        if (a.amountSold === 0n && a.amountBought === 0n) return;
        let priceN: bigint;
        let priceD: bigint;
        let poolFee: number | null = null;
        let slippage: bigint | null = null;
        if (a.kind === 2) {
          priceN = a.amountBought;
          priceD = a.amountSold;
          const pre = latestPre(opChanges, poolKeyXdr(a.poolId as xdr.PoolId));
          if (pre?.data.type !== "liquidityPool")
            throw new LedgerChangeError(
              sequence,
              `tx ${tx.index} op ${opIndex}`,
              "pool trade without a pool change",
            );
          const cp = dataOf(pre, "liquidityPool").liquidityPool.body.constantProduct;
          poolFee = cp.params.fee;
          let disbursed = cp.reserveA;
          let deposited = cp.reserveB;
          if (!assetEquals(a.assetSold, cp.params.assetA)) [disbursed, deposited] = [deposited, disbursed];
          const strictReceive = opType === PATH_PAYMENT_STRICT_RECEIVE;
          const x = strictReceive ? a.amountSold : a.amountBought;
          slippage =
            poolRoundingSlippage(deposited, disbursed, x, poolFee) ?? (strictReceive ? MAX_I64 : MIN_I64);
        } else {
          const pre = latestPre(opChanges, offerKeyXdr(a.sellerEd25519 as Uint8Array, a.offerId));
          if (pre?.data.type !== "offer")
            throw new LedgerChangeError(
              sequence,
              `tx ${tx.index} op ${opIndex}`,
              "offer trade without an offer change",
            );
          const price = dataOf(pre, "offer").offer.price;
          priceN = BigInt(price.n);
          priceD = BigInt(price.d);
        }
        out.push({
          txIndex: tx.index,
          txHash,
          opIndex,
          operationId,
          order,
          tradeType: a.kind === 2 ? 2 : 1,
          sellingAccount: a.sellerId,
          selling: assetParts(a.assetSold),
          sellingAmount: a.amountSold,
          buyingAccount: buyer,
          buying: assetParts(a.assetBought),
          buyingAmount: a.amountBought,
          priceN,
          priceD,
          sellingOfferId: a.kind === 2 ? null : a.offerId,
          buyingOfferId: claims.takerOfferId ?? syntheticOfferId(operationId),
          poolId: a.poolId ? view(a.poolId) : null,
          poolFee,
          roundingSlippage: a.kind === 2 ? slippage : null,
          sellerIsExact: claims.sellerIsExact,
        });
      });
    });
  }
  cache.set(lcm, { trades: out });
  return out;
}
