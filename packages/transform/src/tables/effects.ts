/**
 * effects_row_v1 hot rows and Hubble `history_effects` records (stellar-etl EffectOutput) from the effect
 * stream of ../effects. Both carry the full details object; Hubble's keys are byte-sorted at every level
 * (stellar-etl re-encodes each row through a generic map).
 */
import type { Rows } from "@stellar-lake/schema";
import { rfc3339 } from "../changes/format";
import { type ChangeInput, rowBase } from "../changes/snapshot";
import { type LedgerEffect, ledgerEffects } from "../effects/index";
import { toSortedJson } from "../ndjson";

/** A copy with object keys sorted byte-wise at every level (arrays keep their order). */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v === null || typeof v !== "object" || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortKeysDeep(o[k]);
  return out;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);

/** asset code / issuer / type of an effect: its asset block, else its canonical `asset` string. */
function assetColumns(d: Record<string, unknown>, row: Rows["effects_row_v1"]): void {
  if (typeof d.asset_type === "string") {
    row.asset_type = d.asset_type;
    row.asset_code = str(d.asset_code);
    row.asset_issuer = str(d.asset_issuer);
    return;
  }
  if (typeof d.asset === "string") {
    if (d.asset === "native") {
      row.asset_type = "native";
      return;
    }
    const [code, issuer] = d.asset.split(":");
    if (code && issuer) {
      row.asset_type = code.length <= 4 ? "credit_alphanum4" : "credit_alphanum12";
      row.asset_code = code;
      row.asset_issuer = issuer;
    }
  }
}

function effectRow(
  ctx: ChangeInput,
  base: ReturnType<typeof rowBase>,
  e: LedgerEffect,
): Rows["effects_row_v1"] {
  const d = e.details;
  const weight = d.weight;
  const offer = d.offer_id;
  // One literal in column order, asset columns assigned after (spreading them in was a slow object clone).
  const row: Rows["effects_row_v1"] = {
    ledger_sequence: base.ledger_sequence,
    transaction_hash: e.txHash,
    operation_index: e.opIndex,
    effect_index: e.index,
    effect_type: e.type,
    effect_type_string: e.typeString,
    account_id: e.address,
    amount: str(d.amount) ?? str(d.starting_balance),
    asset_type: null,
    asset_code: null,
    asset_issuer: null,
    trustline_limit: str(d.limit),
    authorize_flag: bool(d.authorized_flag),
    clawback_flag:
      bool(d.clawback_enabled_flag) ??
      bool(d.auth_clawback_enabled_flag) ??
      bool(d.claimable_balance_clawback_enabled_flag),
    signer_account: str(d.public_key) ?? str(d.signer),
    signer_weight: typeof weight === "number" ? weight : null,
    offer_id: typeof offer === "bigint" ? offer : null,
    seller_account: str(d.seller),
    created_at: ctx.closedAt,
    ledger_range: base.ledger_range,
    era_id: null,
    version_label: null,
    effect_id: e.id,
    operation_id: e.operationId,
    details: toSortedJson(d),
  };
  assetColumns(d, row);
  return row;
}

/**
 * effects_row_v1: one row per effect, the Hubble details as JSON text plus the typed columns that apply:
 * account_id = Hubble `address` (always the G… account; the M… form stays in Hubble's address_muxed only);
 * amount = details.amount (starting_balance for account_created); asset_* = the asset block, or the
 * canonical `asset` string split; trustline_limit = limit; authorize_flag = authorized_flag; clawback_flag =
 * the trust line, account or claimable-balance clawback flag; signer_account/weight = public_key (or the
 * sponsored signer) and weight; offer_id and seller_account from trade/offer effects.
 */
export function effectsRows(ctx: ChangeInput): Rows["effects_row_v1"][] {
  const base = rowBase(ctx);
  return ledgerEffects(ctx).map((e) => effectRow(ctx, base, e));
}

/** Hubble `history_effects` records, keys in stellar-etl's (sorted) order. */
export function effectsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  const closedAt = rfc3339(ctx.closedAt);
  return ledgerEffects(ctx).map((e) => ({
    address: e.address,
    address_muxed: e.addressMuxed,
    closed_at: closedAt,
    details: sortKeysDeep(e.details),
    id: e.id,
    index: e.index,
    ledger_sequence: ctx.sequence,
    operation_id: e.operationId,
    type: e.type,
    type_string: e.typeString,
  }));
}
