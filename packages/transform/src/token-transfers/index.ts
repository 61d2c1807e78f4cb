/**
 * Every token movement of a ledger, in go-stellar-sdk's token transfer processor order (EventsFromLedger):
 * the first fee event of every transaction (apply order), then each transaction's operation events; a fee
 * refund (a second, negative fee event) follows its transaction's operation events before protocol 23, and
 * from protocol 23 on all refunds come at the very end of the ledger (they are applied after every
 * transaction). A transaction with meta v4 is read from its CAP-67 unified events; older meta is derived
 * (`derived.ts`). Failed transactions have fee events only.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { ledgerHeaderOf } from "../changes/ledger";
import { type EntryChange, ledgerChanges } from "../changes/reader";
import type { ChangeInput } from "../changes/snapshot";
import { type CoreTx, coreTransactions } from "../tables/core-common";
import { derivedFeeEvents, derivedOperationEvents, fromSep41, type TxInput } from "./derived";
import type { TokenTransfer } from "./model";
import { FeeEventError, feeEvent, META_V4, sep41Event } from "./sep41";

export { type MuxedInfo, type TokenTransfer, TransferTopic } from "./model";

const PROTOCOL_REFUNDS_AT_END = 23;

export class TokenTransferError extends Error {
  override readonly name = "TokenTransferError";
}

function opResults(res: xdr.TransactionResult): xdr.OperationResult[] {
  const r = res.result;
  if (r.type === "txFeeBumpInnerSuccess" || r.type === "txFeeBumpInnerFailed") {
    const inner = r.innerResultPair.result.result;
    return inner.type === "txSuccess" || inner.type === "txFailed" ? inner.results : [];
  }
  if (r.type === "txSuccess" || r.type === "txFailed") return r.results;
  return [];
}

interface TxEvents {
  readonly fees: TokenTransfer[];
  readonly operations: TokenTransfer[];
}

/**
 * Unified events, or null when the meta v4 has no fee event (a core that did not emit classic events, as on
 * the stellar-core test networks): then the transaction is derived like older meta.
 */
function unifiedEvents(ctx: ChangeInput, tx: CoreTx): TxEvents | null {
  const meta = xdr.expectUnionVariant(tx.proc.meta, "v4").v4;
  if (meta.events.length === 0) return null;
  const fees: TokenTransfer[] = [];
  for (const te of meta.events) {
    let ev: ReturnType<typeof feeEvent>;
    try {
      ev = feeEvent(te.event, ctx.networkPassphrase);
    } catch (err) {
      if (err instanceof FeeEventError)
        throw new TokenTransferError(`ledger ${ctx.sequence}, tx ${tx.hash}: ${err.message}`);
      throw err;
    }
    if (ev) fees.push(fromSep41({ tx, opIndex: null }, ev));
  }
  const operations: TokenTransfer[] = [];
  if (tx.successful) {
    meta.operations.forEach((op, opIndex) => {
      for (const e of op.events) {
        const ev = sep41Event(e, META_V4, ctx.networkPassphrase);
        if (ev) operations.push(fromSep41({ tx, opIndex }, ev));
      }
    });
  }
  return { fees, operations };
}

/** Changes grouped by their transaction's apply-order index. */
export function byTx(list: readonly EntryChange[]): Map<number, EntryChange[]> {
  const m = new Map<number, EntryChange[]>();
  for (const c of list) {
    const k = c.txIndex as number;
    const l = m.get(k);
    if (l) l.push(c);
    else m.set(k, [c]);
  }
  return m;
}

/** Fee and operation events of each transaction, in apply order. */
export function transactionTokenTransfers(ctx: ChangeInput): { tx: CoreTx; events: TxEvents }[] {
  const changes = ledgerChanges(ctx.lcm);
  const fee = byTx(changes.fee);
  const refunds = byTx(changes.feeRefunds);
  return coreTransactions(ctx).map((tx) => {
    const unified = tx.proc.meta.type === "v4" ? unifiedEvents(ctx, tx) : null;
    if (unified) return { tx, events: unified };
    const input: TxInput = {
      tx,
      changes: changes.transactions[tx.proc.index - 1],
      feeChanges: fee.get(tx.proc.index) ?? [],
      refundChanges: refunds.get(tx.proc.index) ?? [],
      passphrase: ctx.networkPassphrase,
    };
    const fees = derivedFeeEvents(input);
    const operations = tx.successful ? derivedOperationEvents(input, opResults(tx.proc.result.result)) : [];
    return { tx, events: { fees, operations } };
  });
}

const cache = new WeakMap<xdr.LedgerCloseMeta, { passphrase: string; events: TokenTransfer[] }>();

export function ledgerTokenTransfers(ctx: ChangeInput): TokenTransfer[] {
  const hit = cache.get(ctx.lcm);
  if (hit && hit.passphrase === ctx.networkPassphrase) return hit.events;
  const refundsAtEnd = ledgerHeaderOf(ctx.lcm).ledgerVersion >= PROTOCOL_REFUNDS_AT_END;
  const fees: TokenTransfer[] = [];
  const operations: TokenTransfer[] = [];
  const refunds: TokenTransfer[] = [];
  for (const { tx, events } of transactionTokenTransfers(ctx)) {
    if (events.fees.length === 0 || events.fees.length > 2)
      throw new TokenTransferError(
        `ledger ${ctx.sequence}, tx ${tx.hash}: ${events.fees.length} fee events (expected 1, or 2 with a refund)`,
      );
    fees.push(events.fees[0] as TokenTransfer);
    for (const e of events.operations) operations.push(e);
    const refund = events.fees[1];
    if (refund) (refundsAtEnd ? refunds : operations).push(refund);
  }
  const events = [...fees, ...operations, ...refunds];
  cache.set(ctx.lcm, { passphrase: ctx.networkPassphrase, events });
  return events;
}
