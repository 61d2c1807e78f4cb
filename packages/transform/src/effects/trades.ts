/**
 * Trading effects: path payments (credit/debit then claim atoms) and the three offer operations (claim atoms
 * only). Each order-book atom gives trade, offer_updated, offer_removed and (not for path_payment_strict_send)
 * offer_created, each for the buyer then the seller; a pool atom gives one liquidity_pool_trade. stellar-etl
 * skips offer_created only from its strict-send call: strict receive passes `isPathPayment = false`, so it
 * emits all four kinds like the offer operations (hubble-semantics §2.4, §2.5).
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { amountString, assetsEqual, hex, muxedBaseAddress, view } from "../changes/format";
import { atomView, claimsOf } from "../changes/trades";
import { muxedAddress } from "../tables/core-common";
import { addAssetDetails, canonical, poolDelta, poolDetails } from "./common";
import { type Details, type EffectCode, EffectType, type OpEffects } from "./types";

/**
 * The SDK's SendAmount: with no claims the last amount, else the amounts bought by the leading run of claims
 * that bought the same asset as the first one.
 */
function sendAmount(s: xdr.PathPaymentStrictReceiveResultSuccess): bigint {
  const offers = s.offers;
  if (offers.length === 0) return s.last.amount;
  const first = atomView(offers[0] as xdr.ClaimAtom).assetBought;
  let total = 0n;
  for (const o of offers) {
    const a = atomView(o);
    if (!assetsEqual(a.assetBought, first)) break;
    total += a.amountBought;
  }
  return total;
}

export function pathPaymentStrictReceiveEffects(e: OpEffects): void {
  const op = e.body("pathPaymentStrictReceive").pathPaymentStrictReceiveOp;
  const success = xdr.expectUnionVariant(
    e.trArm("pathPaymentStrictReceive").pathPaymentStrictReceiveResult,
    "pathPaymentStrictReceiveSuccess",
  ).success;
  const credited = addAssetDetails({ amount: amountString(op.destAmount) }, op.destAsset);
  e.addMuxed(op.destination, EffectType.AccountCredited, credited);
  const sent = sendAmount(success);
  e.addSource(EffectType.AccountDebited, addAssetDetails({ amount: amountString(sent) }, op.sendAsset));
  claimEffects(e, { withOfferCreated: true });
}

export function pathPaymentStrictSendEffects(e: OpEffects): void {
  const op = e.body("pathPaymentStrictSend").pathPaymentStrictSendOp;
  const success = xdr.expectUnionVariant(
    e.trArm("pathPaymentStrictSend").pathPaymentStrictSendResult,
    "pathPaymentStrictSendSuccess",
  ).success;
  const received = success.last.amount;
  e.addMuxed(
    op.destination,
    EffectType.AccountCredited,
    addAssetDetails({ amount: amountString(received) }, op.destAsset),
  );
  e.addSource(
    EffectType.AccountDebited,
    addAssetDetails({ amount: amountString(op.sendAmount) }, op.sendAsset),
  );
  claimEffects(e, { withOfferCreated: false });
}

/** manage_sell_offer, manage_buy_offer, create_passive_sell_offer (either result arm). */
export function offerEffects(e: OpEffects): void {
  claimEffects(e, { withOfferCreated: true });
}

interface ClaimEffectsOptions {
  /** false only for path_payment_strict_send (stellar-etl's `isPathPayment = true`). */
  readonly withOfferCreated: boolean;
}

function claimEffects(e: OpEffects, opts: ClaimEffectsOptions): void {
  const claims = claimsOf(e.opType, e.tr());
  if (!claims) throw new Error(`operation ${e.operationId}: no successful trade result`);
  for (const atom of claims.atoms) {
    const a = atomView(atom);
    if (a.amountSold === 0n && a.amountBought === 0n) continue;
    if (atom.type === "claimAtomTypeLiquidityPool") poolTradeEffect(e, atom.liquidityPool);
    else orderBookEffects(e, atom, a.sellerId, a.offerId, opts);
  }
}

function orderBookEffects(
  e: OpEffects,
  atom: xdr.ClaimAtom,
  seller: string,
  offerId: bigint,
  opts: ClaimEffectsOptions,
): void {
  const a = atomView(atom);
  const buyer = e.source;
  const bd: Details = {
    offer_id: offerId,
    seller,
    bought_amount: amountString(a.amountSold),
    sold_amount: amountString(a.amountBought),
  };
  addAssetDetails(bd, a.assetSold, "bought_");
  addAssetDetails(bd, a.assetBought, "sold_");
  const sd: Details = {
    offer_id: offerId,
    bought_amount: amountString(a.amountBought),
    sold_amount: amountString(a.amountSold),
  };
  // The seller rows name the buyer under "seller" (stellar-etl and Horizon share this quirk).
  addAccountDetails(sd, buyer, "seller");
  addAssetDetails(sd, a.assetBought, "bought_");
  addAssetDetails(sd, a.assetSold, "sold_");
  const kinds: EffectCode[] = [EffectType.Trade, EffectType.OfferUpdated, EffectType.OfferRemoved];
  if (opts.withOfferCreated) kinds.push(EffectType.OfferCreated);
  for (const type of kinds) {
    e.addMuxed(buyer, type, bd);
    e.addUnmuxed(seller, type, sd);
  }
}

/** `{p}` = G… address, plus `{p}_muxed` (M…) and `{p}_muxed_id` (uint64) for a muxed account. */
export function addAccountDetails(d: Details, m: xdr.MuxedAccount, prefix: string): void {
  d[prefix] = muxedBaseAddress(m);
  const mux = muxedAddress(m);
  if (mux === null) return;
  d[`${prefix}_muxed`] = mux;
  d[`${prefix}_muxed_id`] = xdr.expectUnionVariant(m, "keyTypeMuxedEd25519").med25519.id;
}

function poolTradeEffect(e: OpEffects, atom: xdr.ClaimLiquidityAtom): void {
  const id = view(atom.liquidityPoolId);
  const delta = poolDelta(e.changes, id);
  if (!delta) throw new Error(`operation ${e.operationId}: pool trade without a change of pool ${hex(id)}`);
  e.addSource(EffectType.LiquidityPoolTrade, {
    liquidity_pool: poolDetails(delta.pool),
    sold: { asset: canonical(atom.assetSold), amount: amountString(atom.amountSold) },
    bought: { asset: canonical(atom.assetBought), amount: amountString(atom.amountBought) },
  });
}
