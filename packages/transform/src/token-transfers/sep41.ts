/**
 * SEP-41 token events (transfer, mint, burn, clawback) and CAP-67 fee events, read from contract events as
 * go-stellar-sdk's token transfer processor reads them (parseEvent, parseFeeEventsFromTransactionEvents):
 *
 *  - meta v4 (CAP-67): transfer [sym, from, to, …], mint [sym, to, …], burn / clawback [sym, from, …]; a 3rd
 *    topic of a mint or clawback must be a string (else it may be the pre-CAP-67 admin and the event is
 *    dropped); the data is an i128 or a map of symbol keys with an i128 `amount` and an optional
 *    `to_muxed_id` (u64, bytes, string or void);
 *  - meta v3: mint and clawback carry the admin before the address ([sym, admin, to|from, …]); data i128.
 *
 * The Stellar Asset Contract adds the asset's SEP-11 name as the last topic; it is trusted (and the event gets
 * its classic asset) only when the topic count is the SAC's exact shape and the contract id is that asset's
 * SAC id under the network passphrase. Anything else that is not SEP-41 is not a token transfer (null).
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { type AssetParts, NATIVE } from "../changes/format";
import { addressString } from "../changes/scval";
import { contractStrkey } from "../changes/strkey-cache";
import { ScValArm } from "../xdr-arms";
import { assetContractId, type MuxedInfo, TransferTopic } from "./model";

const CONTRACT_EVENT = xdr.ContractEventType.contract.value;
const SCV_SYMBOL = ScValArm.scvSymbol;
const SCV_STRING = ScValArm.scvString;

export const META_V3 = 3;
export const META_V4 = 4;

/** A parsed token event, before it is placed in its transaction. */
export interface Sep41Event {
  readonly topic: TransferTopic;
  readonly contractId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly amount: bigint;
  readonly asset: AssetParts | null;
  readonly toMuxed: MuxedInfo | null;
}

function text(v: xdr.ScVal, arm: number): string | null {
  if (ScValArm[v.type] !== arm) return null;
  if (v.type === "scvSymbol") return v.sym.toString();
  if (v.type === "scvString") return v.str.toString();
  return null;
}

function address(v: xdr.ScVal | undefined): string | null {
  if (v?.type !== "scvAddress") return null;
  try {
    return addressString(v.address);
  } catch {
    return null;
  }
}

export function i128(v: xdr.ScVal): bigint | null {
  if (v.type !== "scvI128") return null;
  const p = v.i128;
  return BigInt.asIntN(128, (p.hi << 64n) | BigInt.asUintN(64, p.lo));
}

/** v4 data: an i128, or a map with an i128 `amount` and an optional `to_muxed_id`; null if neither. */
function v4Data(v: xdr.ScVal): { amount: bigint; toMuxed: MuxedInfo | null } | null {
  if (v.type !== "scvMap") {
    const amount = i128(v);
    return amount === null ? null : { amount, toMuxed: null };
  }
  const map = v.map;
  if (!map) return null;
  let amount: bigint | null = null;
  let toMuxed: MuxedInfo | null = null;
  for (const entry of map) {
    const key = text(entry.key, SCV_SYMBOL);
    if (key === null) return null;
    const val = entry.val;
    if (key === "amount") {
      amount = i128(val);
      if (amount === null) return null;
    } else if (key === "to_muxed_id") {
      if (val.type === "scvU64") toMuxed = { kind: "id", id: val.u64 };
      else if (val.type === "scvBytes") toMuxed = { kind: "hash", hash: Buffer.from(val.bytes.value) };
      else if (val.type === "scvString") toMuxed = { kind: "text", text: text(val, SCV_STRING) ?? "" };
      else if (val.type !== "scvVoid") return null;
    }
  }
  return amount === null ? null : { amount, toMuxed };
}

/** The SAC's exact topic count per event and meta version (with the asset topic last). */
function sacTopicCount(topic: TransferTopic, metaVersion: number): number {
  if (metaVersion === META_V3) return topic === TransferTopic.Burn ? 3 : 4;
  return topic === TransferTopic.Transfer ? 4 : 3;
}

/** "native" or "CODE:G…" (SEP-11), as xdr.BuildAssets accepts a single asset; null otherwise. */
function sep11Asset(s: string): AssetParts | null {
  if (s === "native") return NATIVE;
  const parts = s.split(":");
  if (parts.length !== 2) return null;
  const [code, issuer] = parts as [string, string];
  if (!/^[a-zA-Z0-9]{1,12}$/.test(code) || !/^G[A-Z2-7]{55}$/.test(issuer)) return null;
  return { type: code.length > 4 ? "credit_alphanum12" : "credit_alphanum4", code, issuer, poolId: "" };
}

const TOPICS = new Set<string>(Object.values(TransferTopic));

/**
 * A SEP-41 token event of a contract event under `metaVersion` (3 or 4), or null when it is not one. Fee
 * events are not SEP-41 events (see `feeEvent`).
 */
export function sep41Event(
  ev: xdr.ContractEvent,
  metaVersion: number,
  passphrase: string,
): Sep41Event | null {
  if (ev.type.value !== CONTRACT_EVENT || ev.body.type !== "v0") return null;
  const id = ev.contractId;
  if (!id) return null;
  const body = ev.body.v0;
  const topics = body.topics;
  if (topics.length < 2) return null;
  const name = text(topics[0] as xdr.ScVal, SCV_SYMBOL);
  if (name === null || name === TransferTopic.Fee || !TOPICS.has(name)) return null;
  const topic = name as TransferTopic;
  let amount: bigint;
  let toMuxed: MuxedInfo | null = null;
  if (metaVersion === META_V4) {
    const d = v4Data(body.data);
    if (!d) return null;
    amount = d.amount;
    toMuxed = d.toMuxed;
  } else if (metaVersion === META_V3) {
    const a = i128(body.data);
    if (a === null) return null;
    amount = a;
  } else {
    return null;
  }
  let from: string | null = null;
  let to: string | null = null;
  const v3Admin =
    metaVersion === META_V3 && (topic === TransferTopic.Mint || topic === TransferTopic.Clawback);
  if (topic === TransferTopic.Transfer) {
    if (topics.length < 3) return null;
    from = address(topics[1]);
    to = address(topics[2]);
    if (from === null || to === null) return null;
  } else if (v3Admin) {
    if (topics.length < 3 || address(topics[1]) === null) return null;
    const party = address(topics[2]);
    if (party === null) return null;
    if (topic === TransferTopic.Mint) to = party;
    else from = party;
  } else {
    // v4 mint / clawback: a 3rd topic that is not a string could be the old admin; the address is not trusted.
    if (
      topic !== TransferTopic.Burn &&
      topics.length >= 3 &&
      text(topics[2] as xdr.ScVal, SCV_STRING) === null
    )
      return null;
    const party = address(topics[1]);
    if (party === null) return null;
    if (topic === TransferTopic.Mint) to = party;
    else from = party;
  }
  const contractId = contractStrkey(id.value);
  let asset: AssetParts | null = null;
  if (topics.length === sacTopicCount(topic, metaVersion)) {
    const name = text(topics[topics.length - 1] as xdr.ScVal, SCV_STRING);
    const parsed = name ? sep11Asset(name) : null;
    if (parsed && assetContractIdOrNull(parsed, passphrase) === contractId) asset = parsed;
  }
  return { topic, contractId, from, to, amount, asset, toMuxed };
}

function assetContractIdOrNull(a: AssetParts, passphrase: string): string | null {
  try {
    return assetContractId(a, passphrase);
  } catch {
    return null;
  }
}

export class FeeEventError extends Error {
  override readonly name = "FeeEventError";
}

/**
 * A transaction-level CAP-67 fee event: ["fee", from] with an i128 amount (negative for a refund) from the
 * native SAC. Another symbol is not a fee event (null: future transaction events); a malformed fee event is
 * an error, as in the SDK.
 */
export function feeEvent(ev: xdr.ContractEvent, passphrase: string): Sep41Event | null {
  if (ev.type.value !== CONTRACT_EVENT || ev.body.type !== "v0" || !ev.contractId)
    throw new FeeEventError("a transaction event is not a contract event with a contract id");
  const body = ev.body.v0;
  const topics = body.topics;
  const name = topics[0] ? text(topics[0], SCV_SYMBOL) : null;
  if (name !== TransferTopic.Fee) return null;
  if (topics.length !== 2) throw new FeeEventError(`fee event with ${topics.length} topics (expected 2)`);
  const amount = i128(body.data);
  if (amount === null) throw new FeeEventError("fee event amount is not an i128");
  const from = address(topics[1]);
  if (from === null) throw new FeeEventError("fee event topic 1 is not an address");
  const contractId = contractStrkey(ev.contractId.value);
  const native = assetContractId(NATIVE, passphrase);
  if (contractId !== native)
    throw new FeeEventError(`fee event from contract ${contractId}, not the native asset contract ${native}`);
  return { topic: TransferTopic.Fee, contractId, from, to: null, amount, asset: NATIVE, toMuxed: null };
}
