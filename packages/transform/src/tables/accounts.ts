import { SignerKey } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import {
  AUTH_CLAWBACK_ENABLED,
  AUTH_IMMUTABLE,
  AUTH_REQUIRED,
  AUTH_REVOCABLE,
  accountInfo,
} from "../changes/account";
import { accountIdString, amountFloat, amountString, xdrString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_ACCOUNT,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
  sponsorOf,
} from "../changes/snapshot";

/** accounts_snapshot_v1: the post-state of every account changed in the ledger (removals: deleted = true). */
export function accountsRows(ctx: ChangeInput): Rows["accounts_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_ACCOUNT).map((c) => {
    const entry = entryOf(c);
    const a = dataOf(entry, "account").account;
    const info = accountInfo(a);
    const th = a.thresholds.value;
    const flags = a.flags;
    const signers = a.signers.map((s) => ({ key: SignerKey.encodeSignerKey(s.key), weight: s.weight }));
    const homeDomain = xdrString(a.homeDomain);
    return {
      account_id: accountIdString(a.accountId),
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      balance: amountString(a.balance),
      sequence_number: a.seqNum,
      num_subentries: a.numSubEntries,
      num_sponsoring: info.numSponsoring,
      num_sponsored: info.numSponsored,
      home_domain: homeDomain === "" ? null : homeDomain,
      master_weight: th[0] ?? 0,
      low_threshold: th[1] ?? 0,
      med_threshold: th[2] ?? 0,
      high_threshold: th[3] ?? 0,
      flags,
      auth_required: (flags & AUTH_REQUIRED) !== 0,
      auth_revocable: (flags & AUTH_REVOCABLE) !== 0,
      auth_immutable: (flags & AUTH_IMMUTABLE) !== 0,
      auth_clawback_enabled: (flags & AUTH_CLAWBACK_ENABLED) !== 0,
      signers: signers.length === 0 ? null : JSON.stringify(signers),
      sponsor_account: sponsorOf(entry),
      created_at: ctx.closedAt,
      updated_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `accounts` records (stellar-etl AccountOutput). */
export function accountsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_ACCOUNT).map((c) => {
    const entry = entryOf(c);
    const a = dataOf(entry, "account").account;
    const info = accountInfo(a);
    const th = a.thresholds.value;
    const infl = a.inflationDest;
    return {
      account_id: accountIdString(a.accountId),
      balance: amountFloat(a.balance),
      buying_liabilities: amountFloat(info.buyingLiabilities),
      selling_liabilities: amountFloat(info.sellingLiabilities),
      sequence_number: a.seqNum,
      sequence_ledger: info.seqLedger,
      sequence_time: info.seqTime,
      num_subentries: a.numSubEntries,
      inflation_destination: infl ? accountIdString(infl) : "",
      flags: a.flags,
      home_domain: xdrString(a.homeDomain),
      master_weight: th[0] ?? 0,
      threshold_low: th[1] ?? 0,
      threshold_medium: th[2] ?? 0,
      threshold_high: th[3] ?? 0,
      sponsor: sponsorOf(entry),
      num_sponsored: info.numSponsored,
      num_sponsoring: info.numSponsoring,
      ...hubbleChangeFields(ctx, c),
    };
  });
}
