/**
 * Sponsorship effects of any operation, per ledger-entry change: the entry's own sponsorship
 * (account, trust line, data, claimable balance; never offers or pools), then for accounts the sponsorship
 * of each signer in sorted signer order.
 */

import { SignerKey, type xdr } from "@stellar/stellar-sdk/base";
import { accountInfo } from "../changes/account";
import { assetParts, canonicalAsset, xdrString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import type { EntryChange } from "../changes/reader";
import {
  ENTRY_ACCOUNT,
  ENTRY_CLAIMABLE_BALANCE,
  ENTRY_DATA,
  ENTRY_TRUSTLINE,
  sponsorOf,
} from "../changes/snapshot";
import { balanceIdHex } from "./common";
import { type Details, type EffectCode, EffectType, type OpEffects } from "./types";

const TABLE: Record<number, readonly [EffectCode, EffectCode, EffectCode]> = {
  [ENTRY_ACCOUNT]: [
    EffectType.AccountSponsorshipCreated,
    EffectType.AccountSponsorshipUpdated,
    EffectType.AccountSponsorshipRemoved,
  ],
  [ENTRY_TRUSTLINE]: [
    EffectType.TrustlineSponsorshipCreated,
    EffectType.TrustlineSponsorshipUpdated,
    EffectType.TrustlineSponsorshipRemoved,
  ],
  [ENTRY_DATA]: [
    EffectType.DataSponsorshipCreated,
    EffectType.DataSponsorshipUpdated,
    EffectType.DataSponsorshipRemoved,
  ],
  [ENTRY_CLAIMABLE_BALANCE]: [
    EffectType.ClaimableBalanceSponsorshipCreated,
    EffectType.ClaimableBalanceSponsorshipUpdated,
    EffectType.ClaimableBalanceSponsorshipRemoved,
  ],
};

export function ledgerEntrySponsorshipEffects(e: OpEffects, c: EntryChange): void {
  const codes = TABLE[c.entryType];
  if (!codes) return;
  const pre = c.pre ? sponsorOf(c.pre) : null;
  const post = c.post ? sponsorOf(c.post) : null;
  const d: Details = {};
  let type: EffectCode;
  if (pre === null && post !== null) {
    type = codes[0];
    d.sponsor = post;
  } else if (pre !== null && post === null) {
    type = codes[2];
    d.former_sponsor = pre;
  } else if (pre !== null && post !== null) {
    if (pre === post) return;
    type = codes[1];
    d.new_sponsor = post;
    d.former_sponsor = pre;
  } else {
    return;
  }
  const data = ((c.post ?? c.pre) as xdr.LedgerEntry).data;
  switch (data.type) {
    case "account":
      e.addUnmuxed(data.account.accountId, type, d);
      return;
    case "trustline": {
      const tl = data.trustLine;
      const p = assetParts(tl.asset);
      if (p.type === "liquidity_pool_shares") {
        d.asset_type = "liquidity_pool";
        d.liquidity_pool_id = p.poolId;
      } else {
        d.asset = canonicalAsset(p);
      }
      e.addUnmuxed(tl.accountId, type, d);
      return;
    }
    case "data":
      d.data_name = xdrString(data.data.dataName);
      e.addSource(type, d);
      return;
    case "claimableBalance":
      d.balance_id = balanceIdHex(data.claimableBalance.balanceId);
      e.addSource(type, d);
      return;
    default:
      throw new Error(`no sponsorship effect for a ${data.type} entry`);
  }
}

/** Signer key strkey → sponsor, for the signers that have one (the SDK's SponsorPerSigner). */
function sponsorPerSigner(a: xdr.AccountEntry): Map<string, string> {
  const out = new Map<string, string>();
  if (a.signers.length === 0) return out;
  const sponsors = accountInfo(a).signerSponsors;
  a.signers.forEach((s, i) => {
    const sp = sponsors[i];
    if (sp) out.set(SignerKey.encodeSignerKey(s.key), sp);
  });
  return out;
}

export function signerSponsorshipEffects(e: OpEffects, c: EntryChange): void {
  if (c.entryType !== ENTRY_ACCOUNT) return;
  const pre = c.pre ? sponsorPerSigner(dataOf(c.pre, "account").account) : new Map<string, string>();
  const post = c.post ? sponsorPerSigner(dataOf(c.post, "account").account) : new Map<string, string>();
  const all = [...new Set([...pre.keys(), ...post.keys()])].sort();
  for (const signer of all) {
    const before = pre.get(signer);
    const after = post.get(signer);
    if (before === undefined && after !== undefined) {
      const owner = dataOf(c.post as xdr.LedgerEntry, "account").account.accountId;
      e.addUnmuxed(owner, EffectType.SignerSponsorshipCreated, { sponsor: after, signer });
    } else if (before !== undefined && after === undefined) {
      const owner = dataOf(c.pre as xdr.LedgerEntry, "account").account.accountId;
      e.addUnmuxed(owner, EffectType.SignerSponsorshipRemoved, { former_sponsor: before, signer });
    } else if (before !== undefined && after !== undefined && before !== after) {
      const owner = dataOf(c.post as xdr.LedgerEntry, "account").account.accountId;
      e.addUnmuxed(owner, EffectType.SignerSponsorshipUpdated, {
        former_sponsor: before,
        new_sponsor: after,
        signer,
      });
    }
  }
}
