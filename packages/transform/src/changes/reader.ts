/**
 * The ledger entry change reader: every LedgerEntryChange of a ledger as a pre/post pair, in the order the
 * Go SDK's LedgerChangeReader (go-stellar-sdk) yields them: fee changes of every tx (apply order), then each
 * tx's meta changes (before, per operation, after), then the protocol-23 post-apply fee refunds of every tx,
 * then upgrade changes. Evictions are not changes here (the current SDK dropped them from the stream); they
 * are the evicted-keys table.
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import { LedgerEntryChangeArm, LedgerEntryDataArm } from "../xdr-arms";
import { view } from "./format";
import { entryKeyXdr } from "./key-xdr";
import { ledgerHeaderOf, ledgerKeyOf, type TxProcessing, txProcessingOf, upgradesOf } from "./ledger";

/** XDR LedgerEntryChangeType values a pair can carry (STATE = 3 is only ever a pre-image). */
export const CHANGE_CREATED = LedgerEntryChangeArm.ledgerEntryCreated;
export const CHANGE_UPDATED = LedgerEntryChangeArm.ledgerEntryUpdated;
export const CHANGE_REMOVED = LedgerEntryChangeArm.ledgerEntryRemoved;
export const CHANGE_STATE = LedgerEntryChangeArm.ledgerEntryState;
export const CHANGE_RESTORED = LedgerEntryChangeArm.ledgerEntryRestored;
export type ChangeType = 0 | 1 | 2 | 4;

export type ChangeReason = "fee" | "transaction" | "operation" | "fee_refund" | "upgrade";

export interface EntryChange {
  readonly type: ChangeType;
  /** LedgerEntryType value (0 account … 9 ttl). */
  readonly entryType: number;
  readonly pre: xdr.LedgerEntry | null;
  readonly post: xdr.LedgerEntry | null;
  /** Canonical XDR of the key: identity within a ledger and the SDK's sort order. */
  readonly keyXdr: Buffer;
  readonly reason: ChangeReason;
  /** 1-based apply-order index of the transaction, null for upgrades. */
  readonly txIndex: number | null;
  /** 0-based operation index for operation changes, else null. */
  readonly opIndex: number | null;
}

export class LedgerChangeError extends Error {
  constructor(
    readonly ledgerSequence: number,
    readonly where: string,
    message: string,
  ) {
    super(`ledger ${ledgerSequence}, ${where}: ${message}`);
    this.name = "LedgerChangeError";
  }
}

interface Origin {
  readonly reason: ChangeReason;
  readonly txIndex: number | null;
  readonly opIndex: number | null;
  readonly seq: number;
  /** Where the changes sit, for error messages only (read only when a change is malformed). */
  readonly where: string;
}

/**
 * The reader's origins: one object per group, its `where` text built only if an error message needs it
 * (building it for every operation of every transaction, with an object spread per group, was a visible
 * share of the change reader's time).
 */
class GroupOrigin implements Origin {
  constructor(
    readonly reason: ChangeReason,
    readonly txIndex: number | null,
    readonly opIndex: number | null,
    readonly seq: number,
    private readonly part: string,
  ) {}
  get where(): string {
    if (this.reason === "upgrade") return `upgrade ${this.part}`;
    return this.opIndex !== null
      ? `tx ${this.txIndex} op ${this.opIndex}`
      : `tx ${this.txIndex} ${this.part}`;
  }
}

/**
 * Pairs raw LedgerEntryChanges like the SDK's GetChangesFromLedgerEntryChanges: CREATED and RESTORED stand
 * alone (post only); UPDATED and REMOVED take the entry just before them (STATE, or the RESTORED image) as
 * pre; STATE entries are not changes. The group is then stably sorted by ledger key bytes.
 */
export function pairChanges(raw: readonly xdr.LedgerEntryChange[], origin: Origin): EntryChange[] {
  const out: EntryChange[] = [];
  if (!raw.length) return out;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as xdr.LedgerEntryChange;
    const t = LedgerEntryChangeArm[c.type];
    if (c.type === "ledgerEntryState") continue;
    if (c.type === "ledgerEntryCreated" || c.type === "ledgerEntryRestored") {
      const post = c.type === "ledgerEntryCreated" ? c.created : c.restored;
      out.push(
        make(c.type === "ledgerEntryCreated" ? CHANGE_CREATED : CHANGE_RESTORED, null, post, post, origin),
      );
      continue;
    }
    const prev = i > 0 ? (raw[i - 1] as xdr.LedgerEntryChange) : undefined;
    let pre: xdr.LedgerEntry;
    if (prev?.type === "ledgerEntryState") pre = prev.state;
    else if (prev?.type === "ledgerEntryRestored") pre = prev.restored;
    else
      throw new LedgerChangeError(
        origin.seq,
        `${origin.where} change ${i}`,
        `${t === CHANGE_UPDATED ? "UPDATED" : "REMOVED"} entry without a preceding STATE entry`,
      );
    if (c.type === "ledgerEntryUpdated") {
      const post = c.updated;
      out.push(make(CHANGE_UPDATED, pre, post, post, origin));
    } else {
      out.push(make(CHANGE_REMOVED, pre, null, pre, origin));
    }
  }
  if (out.length > 1) out.sort(byKey);
  return out;
}

/**
 * Byte-wise key order (Buffer.compare's order, shorter prefix first), compared in JS: keys usually differ in
 * their first bytes, and a native call per comparison cost more than the loop.
 */
function byKey(x: EntryChange, y: EntryChange): number {
  const a = x.keyXdr;
  const b = y.keyXdr;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function make(
  type: ChangeType,
  pre: xdr.LedgerEntry | null,
  post: xdr.LedgerEntry | null,
  keySource: xdr.LedgerEntry,
  origin: Origin,
): EntryChange {
  return {
    type,
    entryType: LedgerEntryDataArm[keySource.data.type],
    pre,
    post,
    keyXdr: entryKeyXdr(keySource) ?? view(ledgerKeyOf(keySource).toXdr()),
    reason: origin.reason,
    txIndex: origin.txIndex,
    opIndex: origin.opIndex,
  };
}

/** The parts of a transaction's meta that hold entry changes, for every meta version. */
function metaParts(meta: xdr.TransactionMeta): {
  before: readonly xdr.LedgerEntryChange[];
  ops: readonly (readonly xdr.LedgerEntryChange[])[];
  after: readonly xdr.LedgerEntryChange[];
} {
  switch (meta.type) {
    case "operations":
      return { before: [], ops: meta.operations.map((o) => o.changes), after: [] };
    case "v1": {
      const m = meta.v1;
      return { before: m.txChanges, ops: m.operations.map((o) => o.changes), after: [] };
    }
    case "v2": {
      const m = meta.v2;
      return {
        before: m.txChangesBefore,
        ops: m.operations.map((o) => o.changes),
        after: m.txChangesAfter,
      };
    }
    case "v3": {
      const m = meta.v3;
      return {
        before: m.txChangesBefore,
        ops: m.operations.map((o) => o.changes),
        after: m.txChangesAfter,
      };
    }
    case "v4": {
      const m = meta.v4;
      return {
        before: m.txChangesBefore,
        ops: m.operations.map((o) => o.changes),
        after: m.txChangesAfter,
      };
    }
  }
}

/** One transaction's meta changes: before, operations in order, after (GetChanges). */
export interface TransactionChanges {
  readonly txIndex: number;
  readonly before: EntryChange[];
  /** Changes per operation, sorted by key within each operation (GetOperationChanges). */
  readonly operations: EntryChange[][];
  readonly after: EntryChange[];
}

export interface LedgerChanges {
  readonly sequence: number;
  /** Every change in reader order. */
  readonly all: EntryChange[];
  readonly fee: EntryChange[];
  readonly transactions: TransactionChanges[];
  readonly feeRefunds: EntryChange[];
  readonly upgrades: EntryChange[];
}

export function readTransactionChanges(
  tx: TxProcessing,
  seq: number,
  protocolVersion: number,
): TransactionChanges {
  const parts = metaParts(tx.meta);
  const before = pairChanges(
    parts.before,
    new GroupOrigin("transaction", tx.index, null, seq, "txChangesBefore"),
  );
  // Old cores wrote operation meta for txINTERNAL_ERROR that was never applied (stellar/go#2111).
  const internalError = tx.result.result.result.type === "txInternalError";
  if (internalError && protocolVersion <= 12) return { txIndex: tx.index, before, operations: [], after: [] };
  const operations: EntryChange[][] = new Array(parts.ops.length);
  for (let opIndex = 0; opIndex < parts.ops.length; opIndex++)
    operations[opIndex] = pairChanges(
      parts.ops[opIndex] as readonly xdr.LedgerEntryChange[],
      new GroupOrigin("operation", tx.index, opIndex, seq, ""),
    );
  const after = pairChanges(
    parts.after,
    new GroupOrigin("transaction", tx.index, null, seq, "txChangesAfter"),
  );
  return { txIndex: tx.index, before, operations, after };
}

export function readLedgerChanges(lcm: xdr.LedgerCloseMeta): LedgerChanges {
  const header = ledgerHeaderOf(lcm);
  const seq = header.ledgerSeq;
  const protocol = header.ledgerVersion;
  const txs = txProcessingOf(lcm);
  const fee: EntryChange[] = [];
  for (const tx of txs)
    for (const c of pairChanges(
      tx.feeProcessing,
      new GroupOrigin("fee", tx.index, null, seq, "feeProcessing"),
    ))
      fee.push(c);
  const transactions = txs.map((tx) => readTransactionChanges(tx, seq, protocol));
  const feeRefunds: EntryChange[] = [];
  for (const tx of txs) {
    if (!tx.postApplyFeeProcessing.length) continue;
    const origin = new GroupOrigin("fee_refund", tx.index, null, seq, "postTxApplyFeeProcessing");
    for (const c of pairChanges(tx.postApplyFeeProcessing, origin)) feeRefunds.push(c);
  }
  const upgrades: EntryChange[] = [];
  const ups = upgradesOf(lcm);
  for (let i = 0; i < ups.length; i++)
    for (const c of pairChanges(
      (ups[i] as xdr.UpgradeEntryMeta).changes,
      new GroupOrigin("upgrade", null, null, seq, String(i)),
    ))
      upgrades.push(c);
  const all: EntryChange[] = fee.slice();
  const append = (list: readonly EntryChange[]) => {
    for (let i = 0; i < list.length; i++) all.push(list[i] as EntryChange);
  };
  for (const t of transactions) {
    append(t.before);
    for (const op of t.operations) append(op);
    append(t.after);
  }
  append(feeRefunds);
  append(upgrades);
  return { sequence: seq, all, fee, transactions, feeRefunds, upgrades };
}

const cache = new WeakMap<xdr.LedgerCloseMeta, LedgerChanges>();

/** `readLedgerChanges`, computed once per decoded ledger (every change table reads it). */
export function ledgerChanges(lcm: xdr.LedgerCloseMeta): LedgerChanges {
  let c = cache.get(lcm);
  if (!c) {
    c = readLedgerChanges(lcm);
    cache.set(lcm, c);
  }
  return c;
}
