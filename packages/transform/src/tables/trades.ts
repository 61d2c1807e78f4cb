import { StrKey } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { assetIdOf } from "../changes/asset-id";
import { envelopesInApplyOrder } from "../changes/envelopes";
import { amountFloat, amountString, rfc3339 } from "../changes/format";
import { priceString7 } from "../changes/price";
import { type ChangeInput, rowBase } from "../changes/snapshot";
import { ledgerTrades, type Trade } from "../changes/trades";

function tradesOf(ctx: ChangeInput): Trade[] {
  return ledgerTrades(
    ctx.lcm,
    ctx.sequence,
    () => ctx.envelopes ?? envelopesInApplyOrder(ctx.lcm, ctx.networkPassphrase),
  );
}

const orNull = (s: string, native: boolean) => (native ? null : s);

/**
 * trades_row_v1: one row per claim atom. operation_index is 0-based, trade_index is Hubble's `order`;
 * amounts are exact 7-decimal strings; price is the maker's price n/d (order book) or bought/sold (pool),
 * rounded to 7 decimals, with the exact fraction in price_n/price_d.
 */
export function tradesRows(ctx: ChangeInput): Rows["trades_row_v1"][] {
  const base = rowBase(ctx);
  return tradesOf(ctx).map((t) => ({
    ledger_sequence: base.ledger_sequence,
    transaction_hash: t.txHash,
    operation_index: t.opIndex,
    trade_index: t.order,
    trade_type: t.tradeType === 1 ? "orderbook" : "liquidity_pool",
    trade_timestamp: ctx.closedAt,
    seller_account: t.tradeType === 1 ? t.sellingAccount : null,
    selling_asset_code: orNull(t.selling.code, t.selling.type === "native"),
    selling_asset_issuer: orNull(t.selling.issuer, t.selling.type === "native"),
    selling_amount: amountString(t.sellingAmount),
    buyer_account: t.buyingAccount,
    buying_asset_code: orNull(t.buying.code, t.buying.type === "native"),
    buying_asset_issuer: orNull(t.buying.issuer, t.buying.type === "native"),
    buying_amount: amountString(t.buyingAmount),
    price: priceString7(t.priceN, t.priceD),
    created_at: ctx.closedAt,
    ledger_range: base.ledger_range,
    era_id: null,
    version_label: null,
    history_operation_id: t.operationId,
    selling_asset_type: t.selling.type,
    buying_asset_type: t.buying.type,
    selling_offer_id: t.sellingOfferId,
    buying_offer_id: t.buyingOfferId,
    liquidity_pool_id: t.poolId ? t.poolId.toString("hex") : null,
    liquidity_pool_fee: t.poolFee === null ? null : BigInt(t.poolFee),
    price_n: t.priceN,
    price_d: t.priceD,
  }));
}

/** Hubble `history_trades` records (stellar-etl TradeOutput). */
export function tradesRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return tradesOf(ctx).map((t) => ({
    history_operation_id: t.operationId,
    order: t.order,
    ledger_closed_at: rfc3339(ctx.closedAt),
    selling_account_address: t.sellingAccount,
    selling_asset_code: t.selling.code,
    selling_asset_issuer: t.selling.issuer,
    selling_asset_type: t.selling.type,
    selling_asset_id: assetIdOf(t.selling.code, t.selling.issuer, t.selling.type),
    selling_amount: amountFloat(t.sellingAmount),
    buying_account_address: t.buyingAccount,
    buying_asset_code: t.buying.code,
    buying_asset_issuer: t.buying.issuer,
    buying_asset_type: t.buying.type,
    buying_asset_id: assetIdOf(t.buying.code, t.buying.issuer, t.buying.type),
    buying_amount: amountFloat(t.buyingAmount),
    price_n: t.priceN,
    price_d: t.priceD,
    selling_offer_id: t.sellingOfferId,
    buying_offer_id: t.buyingOfferId,
    selling_liquidity_pool_id: t.poolId ? t.poolId.toString("hex") : null,
    selling_liquidity_pool_id_strkey: t.poolId ? StrKey.encodeLiquidityPool(t.poolId) : null,
    liquidity_pool_fee: t.poolFee === null ? null : BigInt(t.poolFee),
    trade_type: t.tradeType,
    rounding_slippage: t.roundingSlippage,
    seller_is_exact: t.sellerIsExact,
  }));
}
