/**
 * Detail blocks the effect families share: asset blocks, the liquidity-pool object and the pool's delta over
 * an operation (stellar-etl addAssetDetails, liquidityPoolDetails, getLiquidityPoolAndProductDelta).
 */

import { createHash } from "node:crypto";
import { StrKey, type xdr } from "@stellar/stellar-sdk/base";
import {
  amountString,
  assetParts,
  canonicalAsset,
  claimableBalanceIdHex,
  hex,
  view,
} from "../changes/format";
import { dataOf } from "../changes/ledger";
import type { EntryChange } from "../changes/reader";
import { ENTRY_LIQUIDITY_POOL } from "../changes/snapshot";
import type { Details } from "./types";

/** `{p}asset_type`, and for credit assets `{p}asset_code` / `{p}asset_issuer`. */
export function addAssetDetails(d: Details, a: xdr.Asset | xdr.TrustLineAsset, prefix = ""): Details {
  const p = assetParts(a);
  d[`${prefix}asset_type`] = p.type;
  if (p.type !== "native") {
    d[`${prefix}asset_code`] = p.code;
    d[`${prefix}asset_issuer`] = p.issuer;
  }
  return d;
}

/** "native" or "CODE:ISSUER". */
export function canonical(a: xdr.Asset | xdr.TrustLineAsset): string {
  return canonicalAsset(assetParts(a));
}

/** A pool's id: SHA-256 of its LiquidityPoolParameters XDR. */
export function poolIdOfParams(params: xdr.LiquidityPoolParameters): Buffer {
  return createHash("sha256").update(params.toXDR()).digest();
}

/** Pool-share asset block of a change_trust line (addLiquidityPoolAssetDetails). */
export function addPoolShareDetails(d: Details, params: xdr.LiquidityPoolParameters): Details {
  const id = poolIdOfParams(params);
  d.asset_type = "liquidity_pool_shares";
  d.liquidity_pool_id = hex(id);
  d.liquidity_pool_id_strkey = StrKey.encodeLiquidityPool(id);
  return d;
}

/** The `liquidity_pool` object: the pool state the op left (Post, or Pre when deleted). */
export function poolDetails(lp: xdr.LiquidityPoolEntry): Details {
  const cp = lp.body.constantProduct;
  const params = cp.params;
  return {
    id: hex(lp.liquidityPoolId),
    fee_bp: params.fee,
    type: "constant_product",
    total_trustlines: cp.poolSharesTrustLineCount.toString(),
    total_shares: amountString(cp.totalPoolShares),
    reserves: [
      { asset: canonical(params.assetA), amount: amountString(cp.reserveA) },
      { asset: canonical(params.assetB), amount: amountString(cp.reserveB) },
    ],
  };
}

export interface PoolDelta {
  readonly pool: xdr.LiquidityPoolEntry;
  readonly reserveA: bigint;
  readonly reserveB: bigint;
  readonly shares: bigint;
}

/**
 * The first liquidity-pool change of the operation (of the given pool, when one is named): the pool entry
 * after the op (or before, when removed) and Post − Pre of reserves and shares (absent sides count as 0).
 */
export function poolDelta(changes: readonly EntryChange[], poolId: Buffer | null): PoolDelta | null {
  for (const c of changes) {
    if (c.entryType !== ENTRY_LIQUIDITY_POOL) continue;
    let pool: xdr.LiquidityPoolEntry | null = null;
    let preA = 0n;
    let preB = 0n;
    let preS = 0n;
    if (c.pre) {
      const lp = dataOf(c.pre, "liquidityPool").liquidityPool;
      if (poolId && !view(lp.liquidityPoolId).equals(poolId)) continue;
      pool = lp;
      const cp = lp.body.constantProduct;
      preA = cp.reserveA;
      preB = cp.reserveB;
      preS = cp.totalPoolShares;
    }
    let postA = 0n;
    let postB = 0n;
    let postS = 0n;
    if (c.post) {
      const lp = dataOf(c.post, "liquidityPool").liquidityPool;
      if (poolId && !view(lp.liquidityPoolId).equals(poolId)) continue;
      pool = lp;
      const cp = lp.body.constantProduct;
      postA = cp.reserveA;
      postB = cp.reserveB;
      postS = cp.totalPoolShares;
    }
    if (!pool) continue;
    return { pool, reserveA: postA - preA, reserveB: postB - preB, shares: postS - preS };
  }
  return null;
}

/** Hex of the XDR ClaimableBalanceID, type tag included (72 chars). */
export function balanceIdHex(id: xdr.ClaimableBalanceId): string {
  return claimableBalanceIdHex(id);
}

/** CLAIMABLE_BALANCE_CLAWBACK_ENABLED_FLAG (ext v1 flags) of an entry. */
export function cbClawbackEnabled(cb: xdr.ClaimableBalanceEntry): boolean {
  const ext = cb.ext;
  return ext.type === "v1" && (ext.v1.flags & 1) !== 0;
}

/** Adds `claimable_balance_clawback_enabled_flag: true` when the entry has it. */
export function addCbFlag(d: Details, cb: xdr.ClaimableBalanceEntry): Details {
  if (cbClawbackEnabled(cb)) d.claimable_balance_clawback_enabled_flag = true;
  return d;
}
