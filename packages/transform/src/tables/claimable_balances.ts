import { StrKey, type xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { assetIdOf } from "../changes/asset-id";
import { accountIdString, amountFloat, assetParts, claimableBalanceIdHex } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { predicateJson } from "../changes/predicate";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_CLAIMABLE_BALANCE,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
  sponsorOf,
} from "../changes/snapshot";
import { ClaimableBalanceIdArm } from "../xdr-arms";

/** 72-hex balance id (the XDR ClaimableBalanceID incl. its 4-byte type), Hubble's form. */
export function balanceIdHex(id: xdr.ClaimableBalanceId): string {
  return claimableBalanceIdHex(id);
}

export function balanceIdStrkey(id: xdr.ClaimableBalanceId): string {
  // The B… strkey holds a 1-byte type followed by the 32-byte hash.
  return StrKey.encodeClaimableBalance(
    Buffer.concat([Buffer.from([ClaimableBalanceIdArm[id.type]]), id.v0.value]),
  );
}

function cbFlags(cb: xdr.ClaimableBalanceEntry): number {
  const ext = cb.ext;
  return ext.type === "v1" ? ext.v1.flags : 0;
}

/** claimable_balances_snapshot_v1 (balance_id in Hubble's 72-hex form). */
export function claimableBalancesRows(ctx: ChangeInput): Rows["claimable_balances_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CLAIMABLE_BALANCE).map((c) => {
    const entry = entryOf(c);
    const cb = dataOf(entry, "claimableBalance").claimableBalance;
    const asset = assetParts(cb.asset);
    return {
      balance_id: balanceIdHex(cb.balanceId),
      // Claimable balances are always sponsored (CAP-23); the catalog keeps the contract's NOT NULL.
      sponsor: sponsorOf(entry) ?? "",
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      asset_type: asset.type,
      asset_code: asset.type === "native" ? null : asset.code,
      asset_issuer: asset.type === "native" ? null : asset.issuer,
      amount: cb.amount,
      claimants_count: cb.claimants.length,
      flags: cbFlags(cb),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `claimable_balances` records (stellar-etl ClaimableBalanceOutput). */
export function claimableBalancesRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_CLAIMABLE_BALANCE).map((c) => {
    const entry = entryOf(c);
    const cb = dataOf(entry, "claimableBalance").claimableBalance;
    const asset = assetParts(cb.asset);
    return {
      balance_id: balanceIdHex(cb.balanceId),
      balance_id_strkey: balanceIdStrkey(cb.balanceId),
      claimants: cb.claimants.map((cl) => {
        const v0 = cl.v0;
        return { destination: accountIdString(v0.destination), predicate: predicateJson(v0.predicate) };
      }),
      asset_code: asset.code,
      asset_issuer: asset.issuer,
      asset_type: asset.type,
      asset_id: assetIdOf(asset.code, asset.issuer, asset.type),
      asset_amount: amountFloat(cb.amount),
      sponsor: sponsorOf(entry),
      flags: cbFlags(cb),
      ...hubbleChangeFields(ctx, c),
    };
  });
}
