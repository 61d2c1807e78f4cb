import type { xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { envelopesInApplyOrder, txBody } from "../changes/envelopes";
import { base64, hex } from "../changes/format";
import { describeKeys, entryTypeName } from "../changes/keys";
import { dataOf, ledgerKeyOf, type TxProcessing, txProcessingOf } from "../changes/ledger";
import { CHANGE_RESTORED } from "../changes/reader";
import { type ChangeInput, compactedOfType, ENTRY_TTL, entryOf, rowBase } from "../changes/snapshot";

function opResults(tx: TxProcessing): xdr.OperationResult[] {
  const r = tx.result.result.result;
  if (r.type === "txSuccess") return r.results;
  if (r.type === "txFeeBumpInnerSuccess") {
    const inner = r.innerResultPair.result.result;
    return inner.type === "txSuccess" ? inner.results : [];
  }
  return [];
}

/**
 * Footprint read-write keys of the successful RestoreFootprint operations of the ledger. The results say
 * which transactions restored; only those need their envelope (matched by hash when the caller gave none).
 */
function restoreFootprintKeys(ctx: ChangeInput): xdr.LedgerKey[] {
  const keys: xdr.LedgerKey[] = [];
  for (const tx of txProcessingOf(ctx.lcm)) {
    const restores = opResults(tx).some((r) => r.type === "opInner" && r.tr.type === "restoreFootprint");
    if (!restores) continue;
    const envelopes = ctx.envelopes ?? envelopesInApplyOrder(ctx.lcm, ctx.networkPassphrase);
    const env = envelopes[tx.index - 1];
    if (!env) continue;
    const { sorobanData } = txBody(env);
    if (sorobanData) keys.push(...sorobanData.resources.footprint.readWrite);
  }
  return keys;
}

interface Restored {
  key: xdr.LedgerKey;
  keyXdr?: Buffer;
}

/**
 * Keys restored from the archive in this ledger: every entry whose ledger change is RESTORED (protocol 23+
 * meta: data/code entries and their TTL entries), plus the read-write footprint of successful
 * RestoreFootprint operations (protocols 20-22 show those only as TTL updates). Deduplicated by key.
 */
function restoredKeys(ctx: ChangeInput): Restored[] {
  const out: Restored[] = [];
  for (let type = 0; type < 10; type++)
    for (const c of compactedOfType(ctx.lcm, type))
      if (c.type === CHANGE_RESTORED) out.push({ key: ledgerKeyOf(entryOf(c)), keyXdr: c.keyXdr });
  for (const key of restoreFootprintKeys(ctx)) out.push({ key });
  return out;
}

/**
 * restored_keys_state_v1. restored_from_ledger is the last ledger the entry was live before the restore (the
 * live-until of its expired TTL) when the meta shows that TTL's prior state, else 0 (entries restored from
 * the hot archive carry no prior TTL).
 */
export function restoredKeysRows(ctx: ChangeInput): Rows["restored_keys_state_v1"][] {
  const base = rowBase(ctx);
  const priorLiveUntil = new Map<string, number>();
  for (const c of compactedOfType(ctx.lcm, ENTRY_TTL))
    if (c.pre)
      priorLiveUntil.set(hex(dataOf(c.pre, "ttl").ttl.keyHash), dataOf(c.pre, "ttl").ttl.liveUntilLedgerSeq);
  const restored = restoredKeys(ctx);
  const seen = new Set<string>();
  const out: Rows["restored_keys_state_v1"][] = [];
  const infos = describeKeys(
    restored.map((r) => r.key),
    restored.map((r) => r.keyXdr),
  );
  for (const k of infos) {
    if (seen.has(k.keyHash)) continue;
    seen.add(k.keyHash);
    out.push({
      key_hash: k.keyHash,
      ledger_sequence: base.ledger_sequence,
      contract_id: k.contractId,
      key_type: entryTypeName(k.type),
      durability: k.durability,
      restored_from_ledger: BigInt(priorLiveUntil.get(k.keyHash) ?? 0),
      closed_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      created_at: ctx.closedAt,
      era_id: null,
      version_label: null,
    });
  }
  return out;
}

/** Hubble `restored_key` records: one per RESTORED change (stellar-etl RestoredKeyOutput). */
export function restoredKeysRecords(ctx: ChangeInput): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let type = 0; type < 10; type++)
    for (const c of compactedOfType(ctx.lcm, type)) {
      if (c.type !== CHANGE_RESTORED) continue;
      out.push({
        ledger_key_hash: base64(c.keyXdr),
        ledger_entry_type: entryTypeName(c.entryType),
        last_modified_ledger: entryOf(c).lastModifiedLedgerSeq,
        closed_at: ctx.closedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
        ledger_sequence: ctx.sequence,
      });
    }
  return out;
}
