/**
 * Account effects: create_account, payment, account_merge, inflation, set_options (home domain,
 * thresholds, flags, inflation destination, signers), bump_sequence and manage_data.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { signerSummary } from "../changes/account";
import { accountIdString, amountString, base64, xdrString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { ENTRY_ACCOUNT, ENTRY_DATA } from "../changes/snapshot";
import { addAssetDetails } from "./common";
import { type Details, type EffectCode, EffectType, type OpEffects } from "./types";

/** account_created (destination), account_debited (source, native), signer_created (destination, weight 1). */
export function createAccountEffects(e: OpEffects): void {
  const op = e.body("createAccount").createAccountOp;
  const amount = amountString(op.startingBalance);
  const dest = accountIdString(op.destination);
  e.addUnmuxed(dest, EffectType.AccountCreated, { starting_balance: amount });
  e.addSource(EffectType.AccountDebited, { asset_type: "native", amount });
  e.addUnmuxed(dest, EffectType.SignerCreated, { public_key: dest, weight: 1 });
}

/** account_credited (destination) and account_debited (source) with the same details. */
export function paymentEffects(e: OpEffects): void {
  const op = e.body("payment").paymentOp;
  const d = addAssetDetails({ amount: amountString(op.amount) }, op.asset);
  e.addMuxed(op.destination, EffectType.AccountCredited, d);
  e.addSource(EffectType.AccountDebited, d);
}

/** account_debited (source), account_credited (destination), account_removed (source). */
export function accountMergeEffects(e: OpEffects): void {
  const dest = e.body("accountMerge").destination;
  const balance = xdr.expectUnionVariant(
    e.trArm("accountMerge").accountMergeResult,
    "accountMergeSuccess",
  ).sourceAccountBalance;
  const d = { amount: amountString(balance), asset_type: "native" };
  e.addSource(EffectType.AccountDebited, d);
  e.addMuxed(dest, EffectType.AccountCredited, d);
  e.addSource(EffectType.AccountRemoved, {});
}

/** One account_credited per inflation payout. */
export function inflationEffects(e: OpEffects): void {
  for (const p of xdr.expectUnionVariant(e.trArm("inflation").inflationResult, "inflationSuccess").payouts) {
    e.addUnmuxed(p.destination, EffectType.AccountCredited, {
      amount: amountString(p.amount),
      asset_type: "native",
    });
  }
}

function authFlagDetails(d: Details, flags: number, value: boolean): void {
  if (flags & 1) d.auth_required_flag = value;
  if (flags & 2) d.auth_revocable_flag = value;
  if (flags & 4) d.auth_immutable_flag = value;
  if (flags & 8) d.auth_clawback_enabled_flag = value;
}

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/**
 * Home domain, thresholds, flags (set, then clear), inflation destination, then per ACCOUNT change whose
 * signer summary changed: signer_removed / signer_updated over the old signers in sorted order, then
 * signer_created over the new ones in sorted order.
 */
export function setOptionsEffects(e: OpEffects): void {
  const op = e.body("setOptions").setOptionsOp;
  const home = op.homeDomain;
  if (present(home)) e.addSource(EffectType.AccountHomeDomainUpdated, { home_domain: xdrString(home) });
  const thresholds: Details = {};
  if (present(op.lowThreshold)) thresholds.low_threshold = op.lowThreshold;
  if (present(op.medThreshold)) thresholds.med_threshold = op.medThreshold;
  if (present(op.highThreshold)) thresholds.high_threshold = op.highThreshold;
  if (Object.keys(thresholds).length) e.addSource(EffectType.AccountThresholdsUpdated, thresholds);
  const flags: Details = {};
  const set = op.setFlags;
  const clear = op.clearFlags;
  if (present(set)) authFlagDetails(flags, set, true);
  if (present(clear)) authFlagDetails(flags, clear, false);
  if (Object.keys(flags).length) e.addSource(EffectType.AccountFlagsUpdated, flags);
  const infl = op.inflationDest;
  if (present(infl))
    e.addSource(EffectType.AccountInflationDestinationUpdated, {
      inflation_destination: accountIdString(infl),
    });

  for (const c of e.changes) {
    if (c.entryType !== ENTRY_ACCOUNT || !c.pre || !c.post) continue;
    const before = new Map(signerSummary(dataOf(c.pre, "account").account).map((s) => [s.signer, s.weight]));
    const after = new Map(signerSummary(dataOf(c.post, "account").account).map((s) => [s.signer, s.weight]));
    if (sameWeights(before, after)) continue;
    for (const key of [...before.keys()].sort()) {
      const w = after.get(key);
      if (w === undefined) e.addSource(EffectType.SignerRemoved, { public_key: key });
      else if (w !== before.get(key)) e.addSource(EffectType.SignerUpdated, { public_key: key, weight: w });
    }
    for (const key of [...after.keys()].sort()) {
      if (before.has(key)) continue;
      e.addSource(EffectType.SignerCreated, { public_key: key, weight: after.get(key) });
    }
  }
}

function sameWeights(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** sequence_bumped when the first ACCOUNT change of the op moved the sequence number. */
export function bumpSequenceEffects(e: OpEffects): void {
  for (const c of e.changes) {
    if (c.entryType !== ENTRY_ACCOUNT) continue;
    if (!c.pre || !c.post) break;
    const before = dataOf(c.pre, "account").account.seqNum;
    const after = dataOf(c.post, "account").account.seqNum;
    if (before !== after) e.addSource(EffectType.SequenceBumped, { new_seq: after });
    break;
  }
}

/**
 * data_created / data_removed / data_updated from the first DATA change (`value` only when the entry
 * exists afterwards). Without a DATA change stellar-etl emits the zero effect type; kept for parity.
 */
export function manageDataEffects(e: OpEffects): void {
  const op = e.body("manageData").manageDataOp;
  const d: Details = { name: xdrString(op.dataName) };
  let type: EffectCode = EffectType.AccountCreated;
  for (const c of e.changes) {
    if (c.entryType !== ENTRY_DATA) continue;
    if (c.post) d.value = base64(dataOf(c.post, "data").data.dataValue);
    if (!c.pre && c.post) type = EffectType.DataCreated;
    else if (c.pre && !c.post) type = EffectType.DataRemoved;
    else type = EffectType.DataUpdated;
    break;
  }
  e.addSource(type, d);
}
