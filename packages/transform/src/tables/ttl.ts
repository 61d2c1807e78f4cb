import type { Rows } from "@stellar-lake/schema";
import { hex } from "../changes/format";
import { dataOf } from "../changes/ledger";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_TTL,
  entryOf,
  hubbleChangeFields,
  isRemoval,
  rowBase,
} from "../changes/snapshot";

/**
 * ttl_snapshot_v1. ttl_remaining = live_until_ledger_seq − this ledger (negative once past), expired when the
 * entry is no longer live at this ledger.
 */
export function ttlRows(ctx: ChangeInput): Rows["ttl_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_TTL).map((c) => {
    const entry = entryOf(c);
    const t = dataOf(entry, "ttl").ttl;
    const liveUntil = BigInt(t.liveUntilLedgerSeq);
    return {
      key_hash: hex(t.keyHash),
      ledger_sequence: base.ledger_sequence,
      live_until_ledger_seq: liveUntil,
      ttl_remaining: liveUntil - base.ledger_sequence,
      expired: liveUntil < base.ledger_sequence,
      last_modified_ledger: entry.lastModifiedLedgerSeq,
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      ledger_entry_change: c.type,
    };
  });
}

/** Hubble `ttl` records (stellar-etl TtlOutput). */
export function ttlRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return compactedOfType(ctx.lcm, ENTRY_TTL).map((c) => {
    const t = dataOf(entryOf(c), "ttl").ttl;
    return {
      key_hash: hex(t.keyHash),
      live_until_ledger_seq: t.liveUntilLedgerSeq,
      ...hubbleChangeFields(ctx, c),
    };
  });
}
