/**
 * token_transfers_row_v1 and Hubble `token_transfers_raw` (stellar-etl export_token_transfers): one row per
 * token movement of the ledger (`token-transfers/`), keyed by its position in the ledger's stream.
 */
import { StrKey } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { amountString, rfc3339 } from "../changes/format";
import { type ChangeInput, rowBase } from "../changes/snapshot";
import { toid } from "../changes/trades";
import { ledgerTokenTransfers, type TokenTransfer } from "../token-transfers/index";
import { hubbleAsset } from "../token-transfers/model";

/**
 * stellar-etl's to_muxed / to_muxed_id: for any muxed information the id (0 unless it is an id: a text or
 * hash memo has none), and the M… address of `to` with that id (null when `to` is not an account).
 */
function muxedColumns(t: TokenTransfer): { to_muxed: string | null; to_muxed_id: string | null } {
  if (!t.toMuxed) return { to_muxed: null, to_muxed_id: null };
  const id = t.toMuxed.kind === "id" ? t.toMuxed.id : 0n;
  let muxed: string | null = null;
  if (t.to?.startsWith("G")) {
    const raw = Buffer.alloc(40);
    Buffer.from(StrKey.decodeEd25519PublicKey(t.to)).copy(raw, 0);
    raw.writeBigUInt64BE(id, 32);
    muxed = StrKey.encodeMed25519PublicKey(raw);
  }
  return { to_muxed: muxed, to_muxed_id: id.toString() };
}

/** The columns hot rows and Hubble records share, in Hubble's column order. */
function common(ctx: ChangeInput, t: TokenTransfer) {
  return {
    transaction_hash: t.txHash,
    transaction_id: toid(ctx.sequence, t.txIndex, 0),
    operation_id: t.opIndex === null ? null : toid(ctx.sequence, t.txIndex, t.opIndex + 1),
    event_topic: t.topic,
    from: t.from,
    to: t.to,
    ...hubbleAsset(t.asset),
  };
}

export function tokenTransfersRows(ctx: ChangeInput): Rows["token_transfers_row_v1"][] {
  const base = rowBase(ctx);
  return ledgerTokenTransfers(ctx).map((t, i) => ({
    ...common(ctx, t),
    // Exact: raw / 10^7 (Hubble's FLOAT `amount` loses digits beyond 2^53; the raw amount is beside it).
    amount: amountString(t.amount),
    amount_raw: t.amount.toString(),
    contract_id: t.contractId,
    ledger_sequence: base.ledger_sequence,
    closed_at: ctx.closedAt,
    ...muxedColumns(t),
    event_index: i,
    created_at: ctx.closedAt,
    ledger_range: base.ledger_range,
    era_id: null,
    version_label: null,
  }));
}

/**
 * Hubble records: `amount` is stellar-etl's float64 ParseFloat(amount_raw) × 0.0000001 (JavaScript prints a
 * double as Go's encoding/json does: decimal from 1e-6 to 1e21, exponent form outside).
 */
export function tokenTransfersRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return ledgerTokenTransfers(ctx).map((t) => ({
    ...common(ctx, t),
    amount: Number(t.amount.toString()) * 0.0000001,
    amount_raw: t.amount.toString(),
    contract_id: t.contractId,
    ledger_sequence: ctx.sequence,
    closed_at: rfc3339(ctx.closedAt),
    ...muxedColumns(t),
  }));
}
