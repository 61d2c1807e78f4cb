/**
 * Per-ledger squashing of entry changes, with the Go SDK ChangeCompactor's rules (what stellar-etl's change
 * exports run every ledger through):
 *   created + updated → created (new post); updated + updated → updated; restored + updated → restored;
 *   removed + created → updated; updated + removed → removed (first pre); created + removed → no row;
 *   restored + removed → removed. TTL updates keep the larger live-until ledger (CAP-63).
 * Sequences the SDK rejects as state errors (create over a live entry, update after removal, …) cannot come
 * from a valid ledger; here the later change wins instead of failing the ledger.
 */
import { xdr } from "@stellar/stellar-sdk/base";
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

interface Slot {
  type: ChangeType;
  entryType: number;
  pre: xdr.LedgerEntry | null;
  post: xdr.LedgerEntry | null;
  keyXdr: Buffer;
  /** created + removed in one ledger: no row (the slot stays for a later re-creation). */
  gone: boolean;
}

export function compactChanges(changes: readonly EntryChange[]): CompactedChange[] {
  // Insertion order of a Map keeps the output deterministic (first appearance of each key).
  const byKey = new Map<string, Slot>();
  for (const c of changes) {
    const id = c.keyXdr.toString("latin1");
    const s = byKey.get(id);
    if (!s || s.gone) {
      const fresh = {
        type: c.type,
        entryType: c.entryType,
        pre: c.pre,
        post: c.post,
        keyXdr: c.keyXdr,
        gone: false,
      };
      if (s) byKey.delete(id); // re-created after vanishing: it now appears at its new position
      byKey.set(id, fresh);
      continue;
    }
    merge(s, c);
  }
  const out: CompactedChange[] = [];
  for (const s of byKey.values()) if (!s.gone) out.push(s);
  return out;
}

function merge(s: Slot, next: EntryChange): void {
  switch (next.type) {
    case CHANGE_CREATED:
      if (s.type === CHANGE_REMOVED) {
        s.type = CHANGE_UPDATED;
      } else {
        s.type = CHANGE_CREATED;
        s.pre = null;
      }
      s.post = next.post;
      return;
    case CHANGE_UPDATED:
      if (s.type === CHANGE_REMOVED) {
        s.type = CHANGE_UPDATED;
        s.pre = next.pre;
        s.post = next.post;
        return;
      }
      s.post = next.entryType === 9 && s.post && next.post ? maxTtl(s.post, next.post) : next.post;
      return;
    case CHANGE_REMOVED:
      if (s.type === CHANGE_CREATED) {
        s.gone = true;
        return;
      }
      if (s.type === CHANGE_RESTORED) s.pre = next.pre;
      s.type = CHANGE_REMOVED;
      s.post = null;
      return;
    case CHANGE_RESTORED:
      s.type = CHANGE_RESTORED;
      s.pre = null;
      s.post = next.post;
      return;
  }
}

function maxTtl(a: xdr.LedgerEntry, b: xdr.LedgerEntry): xdr.LedgerEntry {
  const ad = a.data;
  const bd = b.data;
  if (ad.type !== "ttl" || bd.type !== "ttl") throw new Error("maxTtl: not a TTL entry");
  const la = ad.ttl.liveUntilLedgerSeq;
  const lb = bd.ttl.liveUntilLedgerSeq;
  if (lb >= la) return b;
  // The SDK overwrites the post's TTL body in place; build a copy instead of mutating decoded meta.
  return new xdr.LedgerEntry({
    lastModifiedLedgerSeq: b.lastModifiedLedgerSeq,
    data: xdr.LedgerEntryData.ttl(new xdr.TtlEntry({ keyHash: bd.ttl.keyHash, liveUntilLedgerSeq: la })),
    ext: b.ext,
  });
}
