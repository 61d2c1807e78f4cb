import type { Rows } from "@stellar-lake/schema";
import { describeKeys, entryTypeName } from "../changes/keys";
import { evictedKeysOf } from "../changes/ledger";
import { type ChangeInput, rowBase } from "../changes/snapshot";

/**
 * evicted_keys_state_v1: one row per key evicted from live state in the ledger (LCM V2 evictedKeys — data or
 * code keys and their TTL keys; LCM V1 evicted temporary keys and persistent entries). key_hash = sha256 of
 * the LedgerKey XDR; key_type = Go LedgerEntryType name; contract_id for contract data keys (and for a TTL key
 * whose data key is evicted alongside), null otherwise.
 */
export function evictedKeysRows(ctx: ChangeInput): Rows["evicted_keys_state_v1"][] {
  const base = rowBase(ctx);
  const seen = new Set<string>();
  const out: Rows["evicted_keys_state_v1"][] = [];
  for (const k of describeKeys(evictedKeysOf(ctx.lcm))) {
    if (seen.has(k.keyHash)) continue;
    seen.add(k.keyHash);
    out.push({
      key_hash: k.keyHash,
      ledger_sequence: base.ledger_sequence,
      contract_id: k.contractId,
      key_type: entryTypeName(k.type),
      durability: k.durability,
      closed_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      created_at: ctx.closedAt,
      era_id: null,
      version_label: null,
    });
  }
  return out;
}
