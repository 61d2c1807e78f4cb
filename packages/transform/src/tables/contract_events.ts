import type { xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { eventId, type LedgerEvent, ledgerEvents } from "../changes/events";
import { plainStringsJson, rfc3339 } from "../changes/format";
import { goScValArm } from "../changes/scval";
import { scValJson } from "../changes/scval-json";
import { scValBase64 } from "../changes/scval-xdr";
import { type ChangeInput, rowBase } from "../changes/snapshot";
import { contractStrkey } from "../changes/strkey-cache";
import { toid } from "../changes/trades";

const TYPE_NAMES = ["system", "contract", "diagnostic"];
const GO_TYPE_NAMES = ["ContractEventTypeSystem", "ContractEventTypeContract", "ContractEventTypeDiagnostic"];

function contractIdOf(ev: xdr.ContractEvent): string | null {
  const id = ev.contractId;
  return id ? contractStrkey(id.value) : null;
}

function body(ev: xdr.ContractEvent): { topics: xdr.ScVal[]; data: xdr.ScVal } {
  const v0 = ev.body.v0;
  return { topics: v0.topics, data: v0.data };
}

/** The decoded forms hold no bigints (stellar-xdr-json renders 64-bit and wider integers as strings). */
const json = (v: unknown) => JSON.stringify(v);

/**
 * contract_events_stream_v1: contract, system and diagnostic events (meta v3/v4), CAP-67 classic events and
 * transaction-level fee events (meta v4). event_type is "diagnostic" for entries of the diagnostic list,
 * else the event's own type; topics_json / data_xdr hold base64 ScVal XDR, *_decoded the stellar-xdr-json
 * form. operation_index is −1 for transaction-level events.
 */
export function contractEventsRows(ctx: ChangeInput): Rows["contract_events_stream_v1"][] {
  const base = rowBase(ctx);
  const events = ledgerEvents(ctx.lcm);
  const out: Rows["contract_events_stream_v1"][] = new Array(events.length);
  for (let n = 0; n < events.length; n++) {
    const e = events[n] as LedgerEvent;
    const v0 = e.event.body.v0;
    const topics = v0.topics;
    const data = v0.data;
    const topicsB64: string[] = new Array(topics.length);
    const topicsJson: unknown[] = new Array(topics.length);
    for (let i = 0; i < topics.length; i++) {
      const t = topics[i] as xdr.ScVal;
      topicsB64[i] = scValBase64(t);
      topicsJson[i] = scValJson(t);
    }
    out[n] = {
      event_id: eventId(e),
      contract_id: contractIdOf(e.event),
      ledger_sequence: base.ledger_sequence,
      transaction_hash: e.txHash,
      closed_at: ctx.closedAt,
      event_type: e.kind === "diagnostic" ? "diagnostic" : (TYPE_NAMES[e.event.type.value] ?? "unknown"),
      in_successful_contract_call: e.inSuccessfulContractCall,
      topics_json: plainStringsJson(topicsB64),
      topics_decoded: json(topicsJson),
      data_xdr: scValBase64(data),
      data_decoded: json(scValJson(data)),
      topic_count: topics.length,
      operation_index: e.opIndex,
      event_index: e.index,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
    };
  }
  return out;
}

/**
 * Hubble `history_contract_events` records. topics/data are {type, value: base64} like stellar-etl's
 * serializeScVal; the *_decoded forms hold the stellar-xdr-json value (stellar-etl prints Go's ScVal String(),
 * which is not reproduced).
 */
export function contractEventsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  return ledgerEvents(ctx.lcm).map((e) => {
    const { topics, data } = body(e.event);
    const typed = (v: xdr.ScVal) => ({ type: goScValArm(v), value: scValBase64(v) });
    const decoded = (v: xdr.ScVal) => ({ type: goScValArm(v), value: scValJson(v) });
    return {
      transaction_hash: e.txHash,
      transaction_id: toid(ctx.sequence, e.txIndex, 0),
      successful: e.txSuccessful,
      in_successful_contract_call: e.inSuccessfulContractCall,
      contract_id: contractIdOf(e.event) ?? "",
      type: e.event.type.value,
      type_string: GO_TYPE_NAMES[e.event.type.value] ?? "",
      topics: topics.map(typed),
      topics_decoded: topics.map(decoded),
      data: typed(data),
      data_decoded: decoded(data),
      contract_event_xdr: e.event.toXDR("base64"),
      closed_at: rfc3339(ctx.closedAt),
      ledger_sequence: ctx.sequence,
      operation_id: e.kind === "operation" ? toid(ctx.sequence, e.txIndex, e.opIndex + 1) : null,
    };
  });
}
