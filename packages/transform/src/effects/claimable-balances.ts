/**
 * Claimable-balance effects: create_claimable_balance (created, one claimant_created per claimant, debited),
 * claim_claimable_balance (claimed, credited), clawback_claimable_balance (clawed_back, credited), and
 * clawback (credited to the issuer, debited from the holder).
 */

import type { xdr } from "@stellar/stellar-sdk/base";
import { amountString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { predicateJson } from "../changes/predicate";
import { ENTRY_CLAIMABLE_BALANCE } from "../changes/snapshot";
import { addAssetDetails, addCbFlag, balanceIdHex, canonical } from "./common";
import { EffectType, type OpEffects } from "./types";

const CREATE_CLAIMABLE_BALANCE = 14;

/**
 * claimable_balance_created and its claimant_created rows. The claimants come from the operation for
 * create_claimable_balance (relative predicates stay relative), else from the entry (pool revocations).
 */
export function claimableBalanceCreatedEffects(e: OpEffects, cb: xdr.ClaimableBalanceEntry): void {
  const id = balanceIdHex(cb.balanceId);
  const amount = amountString(cb.amount);
  const asset = canonical(cb.asset);
  e.addSource(EffectType.ClaimableBalanceCreated, addCbFlag({ balance_id: id, amount, asset }, cb));
  const claimants =
    e.opType === CREATE_CLAIMABLE_BALANCE
      ? e.body("createClaimableBalance").createClaimableBalanceOp.claimants
      : cb.claimants;
  for (const c of claimants) {
    const v0 = c.v0;
    e.addUnmuxed(v0.destination, EffectType.ClaimableBalanceClaimantCreated, {
      balance_id: id,
      amount,
      predicate: predicateJson(v0.predicate),
      asset,
    });
  }
}

export function createClaimableBalanceEffects(e: OpEffects): void {
  const change = e.changes.find((c) => c.entryType === ENTRY_CLAIMABLE_BALANCE && c.post);
  if (!change?.post) throw new Error(`operation ${e.operationId}: claimable balance entry not found`);
  const cb = dataOf(change.post, "claimableBalance").claimableBalance;
  claimableBalanceCreatedEffects(e, cb);
  e.addSource(EffectType.AccountDebited, addAssetDetails({ amount: amountString(cb.amount) }, cb.asset));
}

export function claimClaimableBalanceEffects(e: OpEffects): void {
  const id = balanceIdHex(e.body("claimClaimableBalance").claimClaimableBalanceOp.balanceId);
  let cb: xdr.ClaimableBalanceEntry | null = null;
  for (const c of e.changes) {
    if (c.entryType !== ENTRY_CLAIMABLE_BALANCE || !c.pre || c.post) continue;
    const entry = dataOf(c.pre, "claimableBalance").claimableBalance;
    if (balanceIdHex(entry.balanceId) === id) {
      cb = entry;
      break;
    }
  }
  if (!cb) throw new Error(`operation ${e.operationId}: change not found for balanceId ${id}`);
  const amount = amountString(cb.amount);
  e.addSource(
    EffectType.ClaimableBalanceClaimed,
    addCbFlag({ amount, balance_id: id, asset: canonical(cb.asset) }, cb),
  );
  e.addSource(EffectType.AccountCredited, addAssetDetails({ amount }, cb.asset));
}

export function clawbackClaimableBalanceEffects(e: OpEffects): void {
  const id = balanceIdHex(e.body("clawbackClaimableBalance").clawbackClaimableBalanceOp.balanceId);
  e.addSource(EffectType.ClaimableBalanceClawedBack, { balance_id: id });
  // The funds are burned, but the issuer still gets account_credited.
  for (const c of e.changes) {
    if (c.entryType !== ENTRY_CLAIMABLE_BALANCE || c.post || !c.pre) continue;
    const cb = dataOf(c.pre, "claimableBalance").claimableBalance;
    e.addSource(EffectType.AccountCredited, addAssetDetails({ amount: amountString(cb.amount) }, cb.asset));
    break;
  }
}

export function clawbackEffects(e: OpEffects): void {
  const op = e.body("clawback").clawbackOp;
  const d = addAssetDetails({ amount: amountString(op.amount) }, op.asset);
  e.addSource(EffectType.AccountCredited, d);
  e.addMuxed(op.from, EffectType.AccountDebited, d);
}
