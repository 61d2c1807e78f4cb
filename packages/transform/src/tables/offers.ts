import type { Rows } from "@stellar-lake/schema";
import { assetIdOf } from "../changes/asset-id";
import { accountIdString, amountFloat, amountString, assetParts } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { priceFloat, priceString7 } from "../changes/price";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_OFFER,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
  sponsorOf,
} from "../changes/snapshot";

/**
 * offers_snapshot_v1. `amount` is the exact 7-decimal amount; `price` is n/d rounded to 7 decimals (Horizon's
 * price string).
 */
export function offersRows(ctx: ChangeInput): Rows["offers_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_OFFER).map((c) => {
    const o = dataOf(entryOf(c), "offer").offer;
    const selling = assetParts(o.selling);
    const buying = assetParts(o.buying);
    const price = o.price;
    return {
      offer_id: o.offerId,
      seller_account: accountIdString(o.sellerId),
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      selling_asset_type: selling.type,
      selling_asset_code: selling.type === "native" ? null : selling.code,
      selling_asset_issuer: selling.type === "native" ? null : selling.issuer,
      buying_asset_type: buying.type,
      buying_asset_code: buying.type === "native" ? null : buying.code,
      buying_asset_issuer: buying.type === "native" ? null : buying.issuer,
      amount: amountString(o.amount),
      price: priceString7(BigInt(price.n), BigInt(price.d)),
      flags: o.flags,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `offers` records (stellar-etl OfferOutput). */
export function offersRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_OFFER).map((c) => {
    const entry = entryOf(c);
    const o = dataOf(entry, "offer").offer;
    const selling = assetParts(o.selling);
    const buying = assetParts(o.buying);
    const n = BigInt(o.price.n);
    const d = BigInt(o.price.d);
    return {
      seller_id: accountIdString(o.sellerId),
      offer_id: o.offerId,
      selling_asset_type: selling.type,
      selling_asset_code: selling.code,
      selling_asset_issuer: selling.issuer,
      selling_asset_id: assetIdOf(selling.code, selling.issuer, selling.type),
      buying_asset_type: buying.type,
      buying_asset_code: buying.code,
      buying_asset_issuer: buying.issuer,
      buying_asset_id: assetIdOf(buying.code, buying.issuer, buying.type),
      amount: amountFloat(o.amount),
      pricen: Number(n),
      priced: Number(d),
      price: priceFloat(n, d),
      flags: o.flags,
      sponsor: sponsorOf(entry),
      ...hubbleChangeFields(ctx, c),
    };
  });
}
