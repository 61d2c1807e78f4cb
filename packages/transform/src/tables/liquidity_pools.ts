import { StrKey } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { assetIdOf } from "../changes/asset-id";
import type { CompactedChange } from "../changes/compact";
import { amountFloat, assetParts, hex, view } from "../changes/format";
import { dataOf } from "../changes/ledger";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_LIQUIDITY_POOL,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
} from "../changes/snapshot";

function pool(c: CompactedChange) {
  const lp = dataOf(entryOf(c), "liquidityPool").liquidityPool;
  const cp = lp.body.constantProduct;
  const params = cp.params;
  return {
    id: view(lp.liquidityPoolId),
    fee: params.fee,
    a: assetParts(params.assetA),
    b: assetParts(params.assetB),
    reserveA: cp.reserveA,
    reserveB: cp.reserveB,
    shares: cp.totalPoolShares,
    trustlines: cp.poolSharesTrustLineCount,
  };
}

/** liquidity_pools_snapshot_v1 (amounts in stroops). */
export function liquidityPoolsRows(ctx: ChangeInput): Rows["liquidity_pools_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_LIQUIDITY_POOL).map((c) => {
    const p = pool(c);
    return {
      liquidity_pool_id: hex(p.id),
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      pool_type: "constant_product",
      fee: p.fee,
      trustline_count: Number(p.trustlines),
      total_pool_shares: p.shares,
      asset_a_type: p.a.type,
      asset_a_code: p.a.type === "native" ? null : p.a.code,
      asset_a_issuer: p.a.type === "native" ? null : p.a.issuer,
      asset_a_amount: p.reserveA,
      asset_b_type: p.b.type,
      asset_b_code: p.b.type === "native" ? null : p.b.code,
      asset_b_issuer: p.b.type === "native" ? null : p.b.issuer,
      asset_b_amount: p.reserveB,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `liquidity_pools` records (stellar-etl PoolOutput). */
export function liquidityPoolsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_LIQUIDITY_POOL).map((c) => {
    const p = pool(c);
    return {
      liquidity_pool_id: hex(p.id),
      liquidity_pool_id_strkey: StrKey.encodeLiquidityPool(p.id),
      type: "constant_product",
      fee: p.fee,
      trustline_count: p.trustlines,
      pool_share_count: amountFloat(p.shares),
      asset_a_type: p.a.type,
      asset_a_code: p.a.code,
      asset_a_issuer: p.a.issuer,
      asset_a_id: assetIdOf(p.a.code, p.a.issuer, p.a.type),
      asset_a_amount: amountFloat(p.reserveA),
      asset_b_type: p.b.type,
      asset_b_code: p.b.code,
      asset_b_issuer: p.b.issuer,
      asset_b_id: assetIdOf(p.b.code, p.b.issuer, p.b.type),
      asset_b_amount: amountFloat(p.reserveB),
      ...hubbleChangeFields(ctx, c),
    };
  });
}
