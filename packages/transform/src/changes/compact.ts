/**
 * Per-ledger squashing of entry changes, with the Go SDK ChangeCompactor's rules (what stellar-etl's change
 * exports run every ledger through):
 *   created + updated → created (new post); updated + updated → updated; restored + updated → restored;
 *   removed + created → updated; updated + removed → removed (first pre); created + removed → no row;
 *   restored + removed → removed. TTL updates keep the larger live-until ledger (CAP-63).
 * Sequences the SDK rejects as state errors (create over a live entry, update after removal, …) cannot come
 * from a valid ledger; here the later change wins instead of failing the ledger.
 */
import { xdr } from "@stellar/stellar-base";
import {
  CHANGE_CREATED,
  CHANGE_REMOVED,
  CHANGE_RESTORED,
  CHANGE_UPDATED,
  type ChangeType,
  type EntryChange,
} from "./reader";

export interface CompactedChange {
  readonly type: ChangeType;
  readonly entryType: number;
  readonly pre: xdr.LedgerEntry | null;
  readonly post: xdr.LedgerEntry | null;
  readonly keyXdr: Buffer;
}

export function compactChanges(changes: readonly EntryChange[]): CompactedChange[] {
  // Insertion order of a Map keeps the output deterministic (first appearance of each key).
  const byKey = new Map<string, CompactedChange | null>();
  for (const c of changes) {
    const id = c.keyXdr.toString("latin1");
    const existing = byKey.get(id);
    if (!existing) {
      byKey.set(id, c);
      continue;
    }
    byKey.set(id, merge(existing, c));
  }
  const out: CompactedChange[] = [];
  for (const v of byKey.values()) if (v) out.push(v);
  return out;
}

function merge(existing: CompactedChange, next: EntryChange): CompactedChange | null {
  const base = { entryType: next.entryType, keyXdr: next.keyXdr };
  switch (next.type) {
    case CHANGE_CREATED:
      if (existing.type === CHANGE_REMOVED)
        return { ...base, type: CHANGE_UPDATED, pre: existing.pre, post: next.post };
      return { ...base, type: next.type, pre: null, post: next.post };
    case CHANGE_UPDATED: {
      if (existing.type === CHANGE_REMOVED)
        return { ...base, type: CHANGE_UPDATED, pre: next.pre, post: next.post };
      let post = next.post;
      if (next.entryType === 9 && existing.post && post) post = maxTtl(existing.post, post);
      return { ...base, type: existing.type, pre: existing.pre, post };
    }
    case CHANGE_REMOVED:
      if (existing.type === CHANGE_CREATED) return null;
      if (existing.type === CHANGE_RESTORED)
        return { ...base, type: CHANGE_REMOVED, pre: next.pre, post: null };
      return { ...base, type: CHANGE_REMOVED, pre: existing.pre, post: null };
    case CHANGE_RESTORED:
      return { ...base, type: CHANGE_RESTORED, pre: null, post: next.post };
    default:
      return existing;
  }
}

function maxTtl(a: xdr.LedgerEntry, b: xdr.LedgerEntry): xdr.LedgerEntry {
  const la = a.data().ttl().liveUntilLedgerSeq();
  const lb = b.data().ttl().liveUntilLedgerSeq();
  if (lb >= la) return b;
  // The SDK overwrites the post's TTL body in place; build a copy instead of mutating decoded meta.
  return new xdr.LedgerEntry({
    lastModifiedLedgerSeq: b.lastModifiedLedgerSeq(),
    data: xdr.LedgerEntryData.ttl(
      new xdr.TtlEntry({ keyHash: b.data().ttl().keyHash(), liveUntilLedgerSeq: la }),
    ),
    ext: b.ext(),
  });
}
