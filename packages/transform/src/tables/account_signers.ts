import type { Rows } from "@stellar-lake/schema";
import { type SignerInfo, signerSummary } from "../changes/account";
import { accountIdString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { CHANGE_REMOVED } from "../changes/reader";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_ACCOUNT,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
} from "../changes/snapshot";

/** One signer row (a module function, not a closure per account: tsx's keepNames wraps each closure). */
function signerRow(
  ctx: ChangeInput,
  base: ReturnType<typeof rowBase>,
  accountId: string,
  s: SignerInfo,
  deleted: boolean,
  change: number,
): Rows["account_signers_snapshot_v1"] {
  return {
    account_id: accountId,
    signer: s.signer,
    ledger_sequence: base.ledger_sequence,
    weight: s.weight,
    sponsor: s.sponsor,
    deleted,
    closed_at: ctx.closedAt,
    ledger_range: base.ledger_range,
    created_at: ctx.closedAt,
    era_id: null,
    version_label: null,
    ledger_entry_change: change,
  };
}

/**
 * account_signers_snapshot_v1: every signer (incl. the master key while its weight is above 0) of every changed
 * account. Unlike Hubble, a signer that disappears (removed by set_options, master weight set to 0, account
 * merged) gets a row with deleted = true and ledger_entry_change = 2, so the table never shows it as live.
 */
export function accountSignersRows(ctx: ChangeInput): Rows["account_signers_snapshot_v1"][] {
  const base = rowBase(ctx);
  const out: Rows["account_signers_snapshot_v1"][] = [];
  for (const c of compactedOfType(ctx.lcm, ENTRY_ACCOUNT)) {
    const entry = entryOf(c);
    const accountId = accountIdString(dataOf(entry, "account").account.accountId);
    const removed = isRemoval(c);
    const current = signerSummary(dataOf(entry, "account").account);
    for (const s of current) out.push(signerRow(ctx, base, accountId, s, removed, c.type));
    if (!removed && c.pre) {
      const live = new Set(current.map((s) => s.signer));
      for (const s of signerSummary(dataOf(c.pre, "account").account))
        if (!live.has(s.signer)) out.push(signerRow(ctx, base, accountId, s, true, CHANGE_REMOVED));
    }
  }
  return out;
}

/** Hubble `account_signers` records (stellar-etl TransformSigners: sorted by weight, stable). */
export function accountSignersRecords(ctx: ChangeInput): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const c of compactedOfType(ctx.lcm, ENTRY_ACCOUNT)) {
    const entry = entryOf(c);
    const accountId = accountIdString(dataOf(entry, "account").account.accountId);
    const fields = hubbleChangeFields(ctx, c);
    const signers = signerSummary(dataOf(entry, "account").account).sort((a, b) => a.weight - b.weight);
    for (const s of signers)
      out.push({ account_id: accountId, signer: s.signer, weight: s.weight, sponsor: s.sponsor, ...fields });
  }
  return out;
}
