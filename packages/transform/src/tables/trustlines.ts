import { StrKey, type xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { assetIdOf } from "../changes/asset-id";
import { accountIdString, amountFloat, amountString, assetParts, base64 } from "../changes/format";
import { dataOf } from "../changes/ledger";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_TRUSTLINE,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
  sponsorOf,
} from "../changes/snapshot";

const AUTHORIZED = 1;
const AUTHORIZED_TO_MAINTAIN_LIABILITIES = 2;
const CLAWBACK_ENABLED = 4;

function liabilities(t: xdr.TrustLineEntry): { buying: bigint; selling: bigint } {
  const ext = t.ext;
  if (ext.type !== "v1") return { buying: 0n, selling: 0n };
  const l = ext.v1.liabilities;
  return { buying: l.buying, selling: l.selling };
}

/**
 * trustlines_snapshot_v1. Pool-share trust lines have no asset code/issuer (null) and carry their pool id in
 * liquidity_pool_id.
 */
export function trustlinesRows(ctx: ChangeInput): Rows["trustlines_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_TRUSTLINE).map((c) => {
    const t = dataOf(entryOf(c), "trustline").trustLine;
    const asset = assetParts(t.asset);
    const pool = asset.type === "liquidity_pool_shares";
    const l = liabilities(t);
    const flags = t.flags;
    return {
      account_id: accountIdString(t.accountId),
      asset_code: pool ? null : asset.code,
      asset_issuer: pool ? null : asset.issuer,
      asset_type: asset.type,
      balance: amountString(t.balance),
      trust_limit: amountString(t.limit),
      buying_liabilities: amountString(l.buying),
      selling_liabilities: amountString(l.selling),
      authorized: (flags & AUTHORIZED) !== 0,
      authorized_to_maintain_liabilities: (flags & AUTHORIZED_TO_MAINTAIN_LIABILITIES) !== 0,
      clawback_enabled: (flags & CLAWBACK_ENABLED) !== 0,
      ledger_sequence: base.ledger_sequence,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      liquidity_pool_id: pool ? asset.poolId : null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `trust_lines` records (stellar-etl TrustlineOutput). */
export function trustlinesRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_TRUSTLINE).map((c) => {
    const entry = entryOf(c);
    const t = dataOf(entry, "trustline").trustLine;
    const asset = assetParts(t.asset);
    const pool = asset.type === "liquidity_pool_shares";
    const l = liabilities(t);
    return {
      ledger_key: base64(c.keyXdr),
      account_id: accountIdString(t.accountId),
      asset_code: asset.code,
      asset_issuer: asset.issuer,
      // No golden pins stellar-etl's type name for pool-share lines; "pool_share" is the SDK's AssetType name.
      asset_type: pool ? "pool_share" : asset.type,
      asset_id: assetIdOf(asset.code, asset.issuer, pool ? "pool_share" : asset.type),
      balance: amountFloat(t.balance),
      trust_line_limit: t.limit,
      liquidity_pool_id: asset.poolId,
      liquidity_pool_id_strkey: pool ? StrKey.encodeLiquidityPool(Buffer.from(asset.poolId, "hex")) : "",
      buying_liabilities: amountFloat(l.buying),
      selling_liabilities: amountFloat(l.selling),
      flags: t.flags,
      sponsor: sponsorOf(entry),
      ...hubbleChangeFields(ctx, c),
    };
  });
}
