/**
 * Liquidity-pool effects: deposit and withdraw (the pool's delta over the op), revocation by allow_trust /
 * set_trust_line_flags (claimable balances created for the pool's reserves), and pool entries created or
 * removed by any operation.
 */

import type { xdr } from "@stellar/stellar-sdk/base";
import { amountString, assetParts, hex, view } from "../changes/format";
import { dataOf } from "../changes/ledger";
import type { EntryChange } from "../changes/reader";
import { ENTRY_CLAIMABLE_BALANCE, ENTRY_LIQUIDITY_POOL } from "../changes/snapshot";
import { claimableBalanceCreatedEffects } from "./claimable-balances";
import { balanceIdHex, canonical, poolDelta, poolDetails } from "./common";
import { EffectType, type OpEffects } from "./types";

function opPoolDelta(e: OpEffects, poolId: xdr.PoolId) {
  const id = view(poolId);
  const delta = poolDelta(e.changes, id);
  if (!delta) throw new Error(`operation ${e.operationId}: liquidity pool change not found (${hex(id)})`);
  return delta;
}

export function liquidityPoolDepositEffects(e: OpEffects): void {
  const d = opPoolDelta(e, e.body("liquidityPoolDeposit").liquidityPoolDepositOp.liquidityPoolId);
  const params = d.pool.body.constantProduct.params;
  e.addSource(EffectType.LiquidityPoolDeposited, {
    liquidity_pool: poolDetails(d.pool),
    reserves_deposited: [
      { asset: canonical(params.assetA), amount: amountString(d.reserveA) },
      { asset: canonical(params.assetB), amount: amountString(d.reserveB) },
    ],
    shares_received: amountString(d.shares),
  });
}

export function liquidityPoolWithdrawEffects(e: OpEffects): void {
  const d = opPoolDelta(e, e.body("liquidityPoolWithdraw").liquidityPoolWithdrawOp.liquidityPoolId);
  const params = d.pool.body.constantProduct.params;
  e.addSource(EffectType.LiquidityPoolWithdrew, {
    liquidity_pool: poolDetails(d.pool),
    reserves_received: [
      { asset: canonical(params.assetA), amount: amountString(-d.reserveA) },
      { asset: canonical(params.assetB), amount: amountString(-d.reserveB) },
    ],
    shares_redeemed: amountString(-d.shares),
  });
}

const TYPE_ORDER = { native: 0, credit_alphanum4: 1, credit_alphanum12: 2, liquidity_pool_shares: 3 };

/** The SDK's Asset.LessThan: type, then code, then issuer. */
function assetLess(a: xdr.Asset, b: xdr.Asset): number {
  const pa = assetParts(a);
  const pb = assetParts(b);
  if (pa.type !== pb.type) return TYPE_ORDER[pa.type] - TYPE_ORDER[pb.type];
  if (pa.code !== pb.code) return pa.code < pb.code ? -1 : 1;
  if (pa.issuer !== pb.issuer) return pa.issuer < pb.issuer ? -1 : 1;
  return 0;
}

/**
 * After a trust line revocation: when the op changed a pool and created claimable balances, one
 * claimable_balance_created (+ claimants) per balance sorted by asset, then liquidity_pool_revoked.
 */
export function liquidityPoolRevokedEffects(e: OpEffects): void {
  const delta = poolDelta(e.changes, null);
  if (!delta) return;
  const cbs: xdr.ClaimableBalanceEntry[] = [];
  const cbByAsset = new Map<string, string>();
  for (const c of e.changes) {
    if (c.entryType !== ENTRY_CLAIMABLE_BALANCE || c.pre || !c.post) continue;
    const cb = dataOf(c.post, "claimableBalance").claimableBalance;
    cbByAsset.set(canonical(cb.asset), balanceIdHex(cb.balanceId));
    cbs.push(cb);
  }
  if (cbByAsset.size === 0) return;
  cbs.sort((a, b) => assetLess(a.asset, b.asset));
  for (const cb of cbs) claimableBalanceCreatedEffects(e, cb);
  const params = delta.pool.body.constantProduct.params;
  const revoked: Record<string, string>[] = [];
  for (const [asset, amount] of [
    [params.assetA, -delta.reserveA],
    [params.assetB, -delta.reserveB],
  ] as [xdr.Asset, bigint][]) {
    const key = canonical(asset);
    const cbId = cbByAsset.get(key);
    if (cbId !== undefined)
      revoked.push({ asset: key, amount: amountString(amount), claimable_balance_id: cbId });
  }
  e.addSource(EffectType.LiquidityPoolRevoked, {
    liquidity_pool: poolDetails(delta.pool),
    reserves_revoked: revoked,
    shares_revoked: amountString(-delta.shares),
  });
}

/** liquidity_pool_created (no Pre) / liquidity_pool_removed (no Post) for a pool change of any operation. */
export function poolEntryEffects(e: OpEffects, c: EntryChange): void {
  if (c.entryType !== ENTRY_LIQUIDITY_POOL) return;
  if (!c.pre && c.post) {
    e.addSource(EffectType.LiquidityPoolCreated, {
      liquidity_pool: poolDetails(dataOf(c.post, "liquidityPool").liquidityPool),
    });
  } else if (c.pre && !c.post) {
    e.addSource(EffectType.LiquidityPoolRemoved, {
      liquidity_pool_id: hex(dataOf(c.pre, "liquidityPool").liquidityPool.liquidityPoolId),
    });
  }
}
