/**
 * Soroban effects: Stellar Asset Contract transfer/mint/clawback/burn events of invoke_host_function
 * (account_credited/debited for G… parties, contract_credited/debited on the op source otherwise), and
 * extend_footprint_ttl / restore_footprint with the TTL keys the op touched.
 *
 * SAC events are parsed like the SDK's contractevents package: a CONTRACT event with a contract id, more
 * than 2 topics, topic 0 one of the four symbols, last topic the asset's canonical string whose SAC id
 * (under the network passphrase) is the event's contract; transfer/mint/clawback need exactly 4 topics,
 * burn 3; the data is an i128 or a map with an i128 "amount".
 */

import { Asset, StrKey, xdr } from "@stellar/stellar-sdk/base";
import { ledgerEvents } from "../changes/events";
import { amountString, hex } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { addressString } from "../changes/scval";
import { ENTRY_TTL } from "../changes/snapshot";
import { addAssetDetails } from "./common";
import { type Details, EffectType, type OpEffects } from "./types";

type SacKind = "transfer" | "mint" | "clawback" | "burn";
const KINDS = new Set<string>(["transfer", "mint", "clawback", "burn"]);

export interface SacEvent {
  readonly kind: SacKind;
  readonly asset: xdr.Asset;
  /** transfer: from; clawback/burn: from; mint: admin. */
  readonly first: string;
  /** transfer: to; mint: to; clawback: from; burn: unused. */
  readonly second: string;
  readonly amount: bigint;
}

function sym(v: xdr.ScVal | undefined): string | null {
  if (v?.type !== "scvSymbol") return null;
  return v.sym.toString();
}

function str(v: xdr.ScVal | undefined): string | null {
  if (v?.type !== "scvString") return null;
  return v.str.toString();
}

function address(v: xdr.ScVal | undefined): string | null {
  if (v?.type !== "scvAddress") return null;
  try {
    return addressString(v.address);
  } catch {
    return null;
  }
}

function i128(v: xdr.ScVal): bigint | null {
  if (v.type !== "scvI128") return null;
  const p = v.i128;
  return (p.hi << 64n) | p.lo;
}

function eventAmount(v: xdr.ScVal): bigint | null {
  const direct = i128(v);
  if (direct !== null) return direct;
  if (v.type !== "scvMap") return null;
  for (const entry of v.map ?? []) if (sym(entry.key) === "amount") return i128(entry.val);
  return null;
}

/** "native" or "CODE:G…" (codes of 1-4 bytes are alphanum4, 5-12 alphanum12). */
function parseAsset(s: string): Asset | null {
  if (s === "native") return Asset.native();
  const parts = s.split(":");
  if (parts.length !== 2) return null;
  const [code, issuer] = parts as [string, string];
  if (!StrKey.isValidEd25519PublicKey(issuer)) return null;
  try {
    return new Asset(code, issuer);
  } catch {
    return null;
  }
}

/** A decoded xdr.Asset (stellar-base's toXDRObject keeps the code as a JS string). */
function assetXdr(a: Asset): xdr.Asset {
  return xdr.Asset.fromXDR(a.toXDRObject().toXDR());
}

const sacIds = new Map<string, string>();
function sacId(asset: Asset, passphrase: string): string {
  const k = `${asset.toString()}|${passphrase}`;
  let id = sacIds.get(k);
  if (id === undefined) {
    id = Buffer.from(StrKey.decodeContract(asset.contractId(passphrase))).toString("hex");
    if (sacIds.size > 50_000) sacIds.clear();
    sacIds.set(k, id);
  }
  return id;
}

export function parseSacEvent(ev: xdr.ContractEvent, passphrase: string): SacEvent | null {
  if (ev.type.value !== xdr.ContractEventType.contract.value) return null;
  const contract = ev.contractId;
  if (!contract || ev.body.type !== "v0") return null;
  const body = ev.body.v0;
  const topics = body.topics;
  if (topics.length <= 2) return null;
  const kind = sym(topics[0]);
  if (kind === null || !KINDS.has(kind)) return null;
  const assetStr = str(topics[topics.length - 1]);
  if (!assetStr) return null;
  const asset = parseAsset(assetStr);
  if (!asset) return null;
  if (sacId(asset, passphrase) !== hex(contract)) return null;
  const amount = eventAmount(body.data);
  if (amount === null) return null;
  if (kind === "burn") {
    if (topics.length !== 3) return null;
    const from = address(topics[1]);
    return from === null ? null : { kind, asset: assetXdr(asset), first: from, second: "", amount };
  }
  if (topics.length !== 4) return null;
  const first = address(topics[1]);
  const second = address(topics[2]);
  if (first === null || second === null) return null;
  return { kind: kind as SacKind, asset: assetXdr(asset), first, second, amount };
}

/** The transaction's contract events (meta v3 sorobanMeta.events, meta v4 operations[0].events). */
function contractEventsOf(e: OpEffects): xdr.ContractEvent[] {
  return ledgerEvents(e.ctx.lcm)
    .filter((ev) => ev.txIndex === e.tx.proc.index && ev.kind === "operation" && ev.opIndex === 0)
    .map((ev) => ev.event);
}

const isAccount = (s: string) => StrKey.isValidEd25519PublicKey(s);

// Module-level (not closures per event): tsx's keepNames wraps each closure creation in a defineProperty call.
function debit(e: OpEffects, party: string, d: Details): void {
  if (isAccount(party)) e.add(party, null, EffectType.AccountDebited, d);
  else e.addSource(EffectType.ContractDebited, { ...d, contract: party });
}

function credit(e: OpEffects, party: string, d: Details): void {
  if (isAccount(party)) e.add(party, null, EffectType.AccountCredited, d);
  else e.addSource(EffectType.ContractCredited, { ...d, contract: party });
}

export function invokeHostFunctionEffects(e: OpEffects): void {
  for (const ev of contractEventsOf(e)) {
    const sac = parseSacEvent(ev, e.ctx.networkPassphrase);
    if (!sac) continue;
    const base: Details = addAssetDetails({}, sac.asset);
    base.contract_event_type = sac.kind;
    base.amount = amountString(sac.amount);
    switch (sac.kind) {
      case "transfer":
        debit(e, sac.first, base);
        credit(e, sac.second, { ...base });
        break;
      case "mint":
        credit(e, sac.second, base);
        break;
      case "clawback":
        debit(e, sac.second, base);
        break;
      case "burn":
        debit(e, sac.first, base);
        break;
    }
  }
}

/** Base64 LedgerKey(TTL) of every TTL entry the op changed; every change must have a post-state. */
function ttlEntries(e: OpEffects): string[] {
  const out: string[] = [];
  for (const c of e.changes) {
    if (!c.post) throw new Error(`operation ${e.operationId}: footprint change without a post-state`);
    if (c.entryType !== ENTRY_TTL) continue;
    const key = xdr.LedgerKey.ttl(new xdr.LedgerKeyTtl({ keyHash: dataOf(c.post, "ttl").ttl.keyHash }));
    out.push(key.toXDR("base64"));
  }
  return out;
}

export function extendFootprintTtlEffects(e: OpEffects): void {
  const op = e.body("extendFootprintTtl").extendFootprintTtlOp;
  e.addSource(EffectType.ExtendFootprintTtl, { entries: ttlEntries(e), extend_to: op.extendTo });
}

export function restoreFootprintEffects(e: OpEffects): void {
  e.addSource(EffectType.RestoreFootprint, { entries: ttlEntries(e) });
}
