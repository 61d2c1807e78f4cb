/**
 * What every snapshot table shares: the ledger's compacted changes of one entry type, the post-state (or the
 * removed pre-state) of each, and the bookkeeping columns of a hot-buffer row.
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import { type CompactedChange, compactChanges } from "./compact";
import { accountIdString, rfc3339 } from "./format";
import { ledgerHeaderOf } from "./ledger";
import { CHANGE_REMOVED, ledgerChanges } from "./reader";

/**
 * The slice of a decoded ledger the change tables read. The core engineer's LedgerContext provides these;
 * `changeInput` builds one from a bare LedgerCloseMeta (tests, tools).
 */
export interface ChangeInput {
  readonly lcm: xdr.LedgerCloseMeta;
  readonly sequence: number;
  readonly closedAt: Date;
  readonly networkPassphrase: string;
  /**
   * Envelopes in apply order (index = tx index − 1), when the caller has matched them to the results; the
   * restored-keys table reads RestoreFootprint footprints from them.
   */
  readonly envelopes?: readonly (xdr.TransactionEnvelope | null)[];
}

export function changeInput(lcm: xdr.LedgerCloseMeta, networkPassphrase: string): ChangeInput {
  const header = ledgerHeaderOf(lcm);
  const closeTime = header.scpValue.closeTime;
  return {
    lcm,
    sequence: header.ledgerSeq,
    closedAt: new Date(Number(closeTime) * 1000),
    networkPassphrase,
  };
}

export const ENTRY_ACCOUNT = 0;
export const ENTRY_TRUSTLINE = 1;
export const ENTRY_OFFER = 2;
export const ENTRY_DATA = 3;
export const ENTRY_CLAIMABLE_BALANCE = 4;
export const ENTRY_LIQUIDITY_POOL = 5;
export const ENTRY_CONTRACT_DATA = 6;
export const ENTRY_CONTRACT_CODE = 7;
export const ENTRY_CONFIG_SETTING = 8;
export const ENTRY_TTL = 9;

const compactedCache = new WeakMap<xdr.LedgerCloseMeta, CompactedChange[][]>();

/** The ledger's squashed changes of one LedgerEntryType, in order of first appearance. */
export function compactedOfType(lcm: xdr.LedgerCloseMeta, entryType: number): CompactedChange[] {
  let byType = compactedCache.get(lcm);
  if (!byType) {
    byType = Array.from({ length: 10 }, () => [] as CompactedChange[]);
    for (const c of compactChanges(ledgerChanges(lcm).all)) byType[c.entryType]?.push(c);
    compactedCache.set(lcm, byType);
  }
  return byType[entryType] ?? [];
}

/** Post-state, or for a removal the last state before it (what Hubble reports). */
export function entryOf(c: CompactedChange): xdr.LedgerEntry {
  return (c.post ?? c.pre) as xdr.LedgerEntry;
}

export function isRemoval(c: CompactedChange): boolean {
  return c.type === CHANGE_REMOVED;
}

export function sponsorOf(entry: xdr.LedgerEntry): string | null {
  const ext = entry.ext;
  if (ext.type !== "v1") return null;
  const id = ext.v1.sponsoringId;
  return id ? accountIdString(id) : null;
}

/** Bookkeeping columns of every hot-buffer row (era/version are the ingester's). */
export function rowBase(ctx: ChangeInput) {
  const seq = BigInt(ctx.sequence);
  return {
    ledger_sequence: seq,
    ledger_range: (seq / 10000n) * 10000n,
    era_id: null,
    version_label: null,
  };
}

/** Hubble's change columns. */
export function hubbleChangeFields(ctx: ChangeInput, c: CompactedChange) {
  return {
    last_modified_ledger: entryOf(c).lastModifiedLedgerSeq,
    ledger_entry_change: c.type,
    deleted: c.type === CHANGE_REMOVED,
    closed_at: rfc3339(ctx.closedAt),
    ledger_sequence: ctx.sequence,
  };
}
