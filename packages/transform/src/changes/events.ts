/**
 * Events of a ledger's transactions, from every meta version that has them:
 *  - meta v3 (protocols 20-22): sorobanMeta.events (all of the single operation) and sorobanMeta.diagnosticEvents;
 *  - meta v4 (23+): operations[i].events (contract events and CAP-67 classic SAC-style events), the
 *    transaction-level events (fee events, with their stage) and diagnosticEvents.
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import { flat } from "../ndjson";
import { hex } from "./format";
import { txProcessingOf } from "./ledger";

export type EventKind = "operation" | "transaction" | "diagnostic";

export interface LedgerEvent {
  readonly txIndex: number;
  readonly txHash: string;
  readonly txSuccessful: boolean;
  readonly kind: EventKind;
  /** Operation index for operation events, 0 for diagnostic events (Soroban txs have one op), −1 tx-level. */
  readonly opIndex: number;
  /** Index within its list (per operation, per transaction, or among the diagnostics). */
  readonly index: number;
  readonly event: xdr.ContractEvent;
  readonly inSuccessfulContractCall: boolean;
  /** TransactionEventStage value for tx-level events (0 before all txs, 1 after tx, 2 after all txs). */
  readonly stage: number | null;
}

const cache = new WeakMap<xdr.LedgerCloseMeta, LedgerEvent[]>();

/** Module-level (not a closure per transaction: tsx's keepNames wraps each closure creation). */
function pushEvent(
  out: LedgerEvent[],
  txIndex: number,
  txHash: string,
  txSuccessful: boolean,
  kind: EventKind,
  opIndex: number,
  index: number,
  event: xdr.ContractEvent,
  inSuccessfulContractCall: boolean,
  stage: number | null,
): void {
  out.push({ txIndex, txHash, txSuccessful, kind, opIndex, index, event, inSuccessfulContractCall, stage });
}

export function ledgerEvents(lcm: xdr.LedgerCloseMeta): LedgerEvent[] {
  const cached = cache.get(lcm);
  if (cached) return cached;
  const out: LedgerEvent[] = [];
  for (const tx of txProcessingOf(lcm)) {
    const meta = tx.meta;
    if (meta.type !== "v3" && meta.type !== "v4") continue;
    const code = tx.result.result.result.type;
    const ok = code === "txSuccess" || code === "txFeeBumpInnerSuccess";
    const hash = hex(tx.result.transactionHash);
    if (meta.type === "v3") {
      const sm = meta.v3.sorobanMeta;
      if (!sm) continue;
      const events = sm.events;
      for (let i = 0; i < events.length; i++)
        pushEvent(out, tx.index, hash, ok, "operation", 0, i, events[i] as xdr.ContractEvent, ok, null);
      const diag = sm.diagnosticEvents;
      for (let i = 0; i < diag.length; i++) {
        const d = diag[i] as xdr.DiagnosticEvent;
        pushEvent(out, tx.index, hash, ok, "diagnostic", 0, i, d.event, d.inSuccessfulContractCall, null);
      }
      continue;
    }
    const m = meta.v4;
    const ops = m.operations;
    for (let op = 0; op < ops.length; op++) {
      const events = (ops[op] as xdr.OperationMetaV2).events;
      for (let i = 0; i < events.length; i++)
        pushEvent(out, tx.index, hash, ok, "operation", op, i, events[i] as xdr.ContractEvent, ok, null);
    }
    const txEvents = m.events;
    for (let i = 0; i < txEvents.length; i++) {
      const te = txEvents[i] as xdr.TransactionEvent;
      pushEvent(out, tx.index, hash, ok, "transaction", -1, i, te.event, ok, te.stage.value);
    }
    const diag = m.diagnosticEvents;
    for (let i = 0; i < diag.length; i++) {
      const d = diag[i] as xdr.DiagnosticEvent;
      pushEvent(out, tx.index, hash, ok, "diagnostic", 0, i, d.event, d.inSuccessfulContractCall, null);
    }
  }
  cache.set(lcm, out);
  return out;
}

/** event_id: "<tx hash>:<op index>:<i>" for operation events, "<tx hash>:tx:<i>", "<tx hash>:diag:<i>". */
export function eventId(e: LedgerEvent): string {
  // Flat: the ids stay in rows until the ledger is written (see `flat`).
  if (e.kind === "operation") return flat(`${e.txHash}:${e.opIndex}:${e.index}`);
  return flat(`${e.txHash}:${e.kind === "transaction" ? "tx" : "diag"}:${e.index}`);
}
