/**
 * Hubble's operation `details` object (stellar-etl `extractOperationDetails`, hubble-semantics §3) for every
 * operation type. Int64 values are bigints (exact in JSON), amounts float64 numbers, keys as stellar-etl names
 * them. Shared by the Hubble `history_operations` records and the hot rows' `details` column.
 */
import { createHash } from "node:crypto";
import { SignerKey, StrKey, xdr } from "@stellar/stellar-sdk/base";
import { ClaimableBalanceIdArm } from "../xdr-arms";
import { assetIdOf } from "./asset-id";
import { type LedgerEvent, ledgerEvents } from "./events";
import {
  type AssetParts,
  accountIdString,
  amountFloat,
  amountString,
  assetCode,
  assetParts,
  assetsEqual,
  type Bytes,
  base64,
  bytesEqual,
  bytesOf,
  canonicalAsset,
  claimableBalanceIdHex,
  hex,
  keyXdrHash,
  muxedBaseAddress,
} from "./format";
import { predicateJson } from "./predicate";
import { priceFloat } from "./price";
import { xdrBytes } from "./raw-xdr";
import type { EntryChange } from "./reader";
import { addressString, goScValArm, nativeContractId, sacContractId } from "./scval";
import { scValJson } from "./scval-json";
import { scValBase64 } from "./scval-xdr";
import { contractStrkey } from "./strkey-cache";

export type Details = Record<string, unknown>;

/** What the details of one operation read besides the operation itself. */
export interface OpContext {
  readonly lcm: xdr.LedgerCloseMeta;
  readonly networkPassphrase: string;
  readonly txIndex: number;
  readonly successful: boolean;
  /** Transaction source (inner for fee bumps). */
  readonly txSource: xdr.MuxedAccount;
  readonly operations: readonly xdr.Operation[];
  readonly sorobanData: xdr.SorobanTransactionData | null;
  /** Operation results when the tx has them (txSUCCESS / txFAILED, inner for fee bumps). */
  readonly results: readonly xdr.OperationResult[] | null;
  /** This operation's entry changes in key order (GetOperationChanges). */
  readonly changes: readonly EntryChange[];
}

const NATIVE_ASSET_ID = assetIdOf("", "", "native");

/** [M:x]: x (G), plus x_muxed (M…) and x_muxed_id (uint64) when muxed. */
function addAccount(d: Details, m: xdr.MuxedAccount, key: string): void {
  d[key] = muxedBaseAddress(m);
  if (m.type === "keyTypeMuxedEd25519") {
    const med = m.med25519;
    const raw = Buffer.alloc(40);
    raw.set(med.ed25519.value, 0);
    const id = med.id;
    raw.writeBigUInt64BE(id, 32);
    d[`${key}_muxed`] = StrKey.encodeMed25519PublicKey(raw);
    d[`${key}_muxed_id`] = id;
  }
}

/** [A:p]: type, code, issuer and FarmHash id (native: type and the native id only). */
function addAsset(d: Details, a: AssetParts, prefix: string): void {
  const p = prefix ? `${prefix}_` : "";
  d[`${p}asset_type`] = a.type;
  if (a.type === "native") {
    d[`${p}asset_id`] = NATIVE_ASSET_ID;
    return;
  }
  d[`${p}asset_code`] = a.code;
  d[`${p}asset_issuer`] = a.issuer;
  d[`${p}asset_id`] = assetIdOf(a.code, a.issuer, a.type);
}

function addPrice(d: Details, p: xdr.Price, prefix: string): void {
  const k = prefix ? `${prefix}_` : "";
  d[`${k}price`] = priceFloat(BigInt(p.n), BigInt(p.d));
  d[`${k}price_r`] = { d: p.d, n: p.n };
}

function path(assets: readonly xdr.Asset[]): unknown {
  if (!assets.length) return null;
  return assets.map((a) => {
    const p = assetParts(a);
    return { asset_code: p.code, asset_issuer: p.issuer, asset_type: p.type };
  });
}

const ACCOUNT_FLAGS: [number, string][] = [
  [1, "auth_required"],
  [2, "auth_revocable"],
  [4, "auth_immutable"],
  [8, "auth_clawback_enabled"],
];
const TRUSTLINE_FLAGS: [number, string][] = [
  [1, "authorized"],
  [2, "authorized_to_maintain_liabilities"],
  [4, "clawback_enabled"],
];

function addFlags(d: Details, flags: number, names: [number, string][], prefix: string): void {
  const set = names.filter(([bit]) => (flags & bit) !== 0);
  d[`${prefix}_flags`] = set.map(([bit]) => bit);
  d[`${prefix}_flags_s`] = set.map(([, name]) => name);
}

export function poolIdStrkey(id: Bytes): string {
  return StrKey.encodeLiquidityPool(bytesOf(id));
}

function addPoolId(d: Details, key: string, id: Bytes): void {
  d[key] = hex(id);
  d[`${key}_strkey`] = poolIdStrkey(id);
}

function balanceId(d: Details, key: string, id: xdr.ClaimableBalanceId): void {
  d[key] = claimableBalanceIdHex(id);
  d[`${key}_strkey`] = StrKey.encodeClaimableBalance(
    Buffer.concat([Buffer.from([ClaimableBalanceIdArm[id.type]]), id.v0.value]),
  );
}

function signerKeyAddress(k: xdr.SignerKey): string {
  return SignerKey.encodeSignerKey(k);
}

function opResultTr(ctx: OpContext, opIndex: number): xdr.OperationResultTr | null {
  const r = ctx.results?.[opIndex];
  return r && r.type === "opInner" ? r.tr : null;
}

/** The (post − pre) reserve and share deltas of the op's change to pool `id` (getLiquidityPoolAndProductDelta). */
function poolDelta(
  ctx: OpContext,
  id: Bytes,
): { params: xdr.LiquidityPoolConstantProductParameters; a: bigint; b: bigint; shares: bigint } {
  const want = bytesOf(id);
  for (const c of ctx.changes) {
    const preData = c.pre?.data;
    const postData = c.post?.data;
    const pre = preData?.type === "liquidityPool" ? preData.liquidityPool : undefined;
    const post = postData?.type === "liquidityPool" ? postData.liquidityPool : undefined;
    if (!pre && !post) continue;
    if (pre && !bytesEqual(pre.liquidityPoolId.value, want)) continue;
    if (post && !bytesEqual(post.liquidityPoolId.value, want)) continue;
    const cpPre = pre?.body.constantProduct;
    const cpPost = post?.body.constantProduct;
    const v = (
      cp: xdr.LiquidityPoolEntryConstantProduct | undefined,
      f: "reserveA" | "reserveB" | "totalPoolShares",
    ) => (cp ? cp[f] : 0n);
    const lp = (post ?? pre) as xdr.LiquidityPoolEntry;
    return {
      params: lp.body.constantProduct.params,
      a: v(cpPost, "reserveA") - v(cpPre, "reserveA"),
      b: v(cpPost, "reserveB") - v(cpPre, "reserveB"),
      shares: v(cpPost, "totalPoolShares") - v(cpPre, "totalPoolShares"),
    };
  }
  throw new Error("liquidity pool change not found");
}

function sponsorPerSigner(entry: xdr.LedgerEntry): Map<string, string> {
  const out = new Map<string, string>();
  const data = entry.data;
  if (data.type !== "account") return out;
  const acc = data.account;
  const ext = acc.ext;
  if (ext.type !== "v1") return out;
  const v1ext = ext.v1.ext;
  if (v1ext.type !== "v2") return out;
  const ids = v1ext.v2.signerSponsoringIDs;
  acc.signers.forEach((s, i) => {
    const id = ids[i];
    if (id) out.set(signerKeyAddress(s.key), accountIdString(id));
  });
  return out;
}

/** stellar-etl getSponsor: a new/changed signer sponsor of a set_options signer, else the first created entry's sponsor. */
function sponsorOf(op: xdr.Operation, ctx: OpContext): string | null {
  const b = op.body;
  const signer = b.type === "setOptions" ? b.setOptionsOp.signer : null;
  const signerKey = signer ? signerKeyAddress(signer.key) : "";
  for (const c of ctx.changes) {
    if (signerKey && c.entryType === 0 && c.post) {
      const post = sponsorPerSigner(c.post).get(signerKey);
      if (post !== undefined) {
        const pre = c.pre ? sponsorPerSigner(c.pre).get(signerKey) : undefined;
        if (pre !== post) return post;
      }
    }
    if (c.pre || !c.post) continue;
    const ext = c.post.ext;
    if (ext.type === "v1") {
      const id = ext.v1.sponsoringId;
      if (id) return accountIdString(id);
    }
  }
  return null;
}

function ledgerKeyDetails(d: Details, key: xdr.LedgerKey): void {
  switch (key.type) {
    case "account":
      d.account_id = accountIdString(key.account.accountId);
      break;
    case "trustline": {
      const tl = key.trustLine;
      d.trustline_account_id = accountIdString(tl.accountId);
      const asset = tl.asset;
      if (asset.type === "assetTypePoolShare")
        addPoolId(d, "trustline_liquidity_pool_id", asset.liquidityPoolId);
      else d.trustline_asset = canonicalAsset(assetParts(asset));
      break;
    }
    case "offer":
      d.offer_id = key.offer.offerId;
      break;
    case "data":
      d.data_account_id = accountIdString(key.data.accountId);
      d.data_name = key.data.dataName.toString();
      break;
    case "claimableBalance":
      balanceId(d, "claimable_balance_id", key.claimableBalance.balanceId);
      break;
    case "liquidityPool":
      addPoolId(d, "liquidity_pool_id", key.liquidityPool.liquidityPoolId);
      break;
  }
}

// ---- Soroban ----

/** Go's ScVal String() text as stellar-etl prints it; `j` is the value's scValJson form (computed once by the caller). */
function scValText(v: xdr.ScVal, j: Record<string, unknown>): string {
  switch (v.type) {
    case "scvBool":
      return v.b ? "true" : "false";
    case "scvU32":
    case "scvI32":
    case "scvU64":
    case "scvI64":
    case "scvTimepoint":
    case "scvDuration":
    case "scvU128":
    case "scvI128":
    case "scvU256":
    case "scvI256":
      return String(Object.values(j)[0]);
    case "scvBytes":
      return hex(v.bytes);
    case "scvString":
    case "scvSymbol":
      return String(Object.values(j)[0]);
    case "scvAddress":
      return addressString(v.address);
    default:
      return JSON.stringify(j, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  }
}

function parameters(d: Details, args: readonly xdr.ScVal[]): void {
  // One pass, each argument's base64 and JSON forms computed once (they feed two keys each).
  const n = args.length;
  const raw: string[] = new Array(n);
  const typed: Details[] = new Array(n);
  const decoded: Details[] = new Array(n);
  const json: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = args[i] as xdr.ScVal;
    const arm = goScValArm(a);
    const b64 = scValBase64(a);
    const j = scValJson(a);
    raw[i] = b64;
    json[i] = j;
    typed[i] = { type: arm, value: b64 };
    decoded[i] = { type: arm, value: scValText(a, j as Record<string, unknown>) };
  }
  d.parameters = typed;
  d.parameters_decoded = decoded;
  d.parameters_json = raw;
  d.parameters_json_decoded = json;
}

function footprint(ctx: OpContext): { ro: xdr.LedgerKey[]; rw: xdr.LedgerKey[] } {
  const fp = ctx.sorobanData?.resources.footprint;
  return { ro: fp?.readOnly ?? [], rw: fp?.readWrite ?? [] };
}

/** Hex sha256 of a ledger key's XDR (its bytes in the ledger when decoded from one). */
function keyHash(k: xdr.LedgerKey): string {
  return keyXdrHash(xdrBytes(k));
}

function ledgerKeyHashes(ctx: OpContext): string[] | null {
  const { ro, rw } = footprint(ctx);
  const out: string[] = [];
  for (const k of ro) out.push(keyHash(k));
  for (const k of rw) out.push(keyHash(k));
  return out.length ? out : null;
}

/** The first contract-data key's contract (read-write keys first), C… strkey. */
function footprintContractId(ctx: OpContext): string {
  const { ro, rw } = footprint(ctx);
  return firstContract(rw) ?? firstContract(ro) ?? "";
}

function firstContract(keys: readonly xdr.LedgerKey[]): string | null {
  for (const k of keys) {
    if (k.type !== "contractData") continue;
    const c = k.contractData.contract;
    if (c.type === "scAddressTypeContract") return contractStrkey(c.contractId.value);
  }
  return null;
}

/** The first contract-code key's hash (read-only keys first), hex. */
function footprintCodeHash(ctx: OpContext): string {
  const { ro, rw } = footprint(ctx);
  return firstCodeHash(ro) ?? firstCodeHash(rw) ?? "";
}

function firstCodeHash(keys: readonly xdr.LedgerKey[]): string | null {
  for (const k of keys) if (k.type === "contractCode") return hex(k.contractCode.hash);
  return null;
}

function sorobanCommon(d: Details, ctx: OpContext, withContract: boolean): void {
  d.ledger_key_hash = ledgerKeyHashes(ctx);
  if (withContract) d.contract_id = footprintContractId(ctx);
  d.contract_code_hash = footprintCodeHash(ctx);
}

function preimage(d: Details, p: xdr.ContractIdPreimage): void {
  if (p.type === "contractIdPreimageFromAddress") {
    d.from = "address";
    d.address = addressString(p.fromAddress.address);
  } else {
    d.from = "asset";
    d.asset = canonicalAsset(assetParts(p.fromAsset));
  }
}

function text(v: xdr.ScVal | undefined): string | null {
  if (!v) return null;
  if (v.type === "scvString") return v.str.toString();
  if (v.type === "scvSymbol") return v.sym.toString();
  return null;
}

function i128(v: xdr.ScVal): bigint | null {
  if (v.type !== "scvI128") return null;
  const p = v.i128;
  return (BigInt.asIntN(64, p.hi) << 64n) + BigInt.asUintN(64, p.lo);
}

/** The asset a SAC event names ("native" or "CODE:ISSUER"), if the emitting contract is that asset's SAC. */
function sacAsset(contractId: string, name: string, passphrase: string): AssetParts | null {
  if (name === "native")
    return contractId === nativeContractId(passphrase) ? assetParts(xdr.Asset.assetTypeNative()) : null;
  const i = name.indexOf(":");
  if (i <= 0) return null;
  const code = name.slice(0, i);
  const issuer = name.slice(i + 1);
  if (code.length > 12 || !StrKey.isValidEd25519PublicKey(issuer)) return null;
  if (sacContractId(code, issuer, passphrase) !== contractId) return null;
  return { type: code.length <= 4 ? "credit_alphanum4" : "credit_alphanum12", code, issuer, poolId: "" };
}

const diagnosticsByTx = new WeakMap<xdr.LedgerCloseMeta, Map<number, LedgerEvent[]>>();

/** The diagnostic events of one transaction (indexed once per ledger). */
function diagnosticEventsOf(lcm: xdr.LedgerCloseMeta, txIndex: number): readonly LedgerEvent[] {
  let byTx = diagnosticsByTx.get(lcm);
  if (!byTx) {
    byTx = new Map();
    for (const e of ledgerEvents(lcm)) {
      if (e.kind !== "diagnostic") continue;
      let list = byTx.get(e.txIndex);
      if (!list) {
        list = [];
        byTx.set(e.txIndex, list);
      }
      list.push(e);
    }
    diagnosticsByTx.set(lcm, byTx);
  }
  return byTx.get(txIndex) ?? [];
}

function addr(v: xdr.ScVal | undefined): string | null {
  return v && v.type === "scvAddress" ? addressString(v.address) : null;
}

/** asset_balance_changes: SAC transfer/mint/clawback/burn events among the tx's diagnostic events. */
function balanceChanges(ctx: OpContext): Details[] {
  const out: Details[] = [];
  for (const e of diagnosticEventsOf(ctx.lcm, ctx.txIndex)) {
    if (!e.inSuccessfulContractCall) continue;
    const ev = e.event;
    if (ev.type !== xdr.ContractEventType.contract) continue;
    const cid = ev.contractId;
    if (!cid) continue;
    const body = ev.body.v0;
    const topics = body.topics;
    const fn = text(topics[0]);
    if (!fn || !["transfer", "mint", "clawback", "burn"].includes(fn)) continue;
    const asset = sacAsset(
      StrKey.encodeContract(cid.value),
      text(topics[topics.length - 1]) ?? "",
      ctx.networkPassphrase,
    );
    if (!asset) continue;
    const amount = i128(body.data);
    if (amount === null) continue;
    let from: string | null = null;
    let to: string | null = null;
    if (fn === "transfer" && topics.length === 4) {
      from = addr(topics[1]);
      to = addr(topics[2]);
      if (!from || !to) continue;
    } else if (fn === "mint" && (topics.length === 4 || topics.length === 3)) {
      to = addr(topics[topics.length - 2]);
      if (!to) continue;
    } else if (fn === "clawback" && (topics.length === 4 || topics.length === 3)) {
      from = addr(topics[topics.length - 2]);
      if (!from) continue;
    } else if (fn === "burn" && topics.length === 3) {
      from = addr(topics[1]);
      if (!from) continue;
    } else continue;
    const c: Details = {};
    if (from) c.from = from;
    if (to) c.to = to;
    c.type = fn;
    c.amount = amountString(amount);
    c.asset_type = asset.type;
    if (asset.type !== "native") {
      c.asset_code = asset.code;
      c.asset_issuer = asset.issuer;
    }
    out.push(c);
  }
  return out;
}

/** A delegate signer and the delegates nested under it (CAP-71), as addresses. */
function delegateJson(s: xdr.SorobanDelegateSignature): Details {
  const out: Details = { address: addressString(s.address) };
  if (s.nestedDelegates.length) out.delegates = s.nestedDelegates.map(delegateJson);
  return out;
}

const CREDENTIAL_TYPES: Record<xdr.SorobanCredentials["type"], string> = {
  sorobanCredentialsSourceAccount: "source_account",
  sorobanCredentialsAddress: "address",
  sorobanCredentialsAddressV2: "address_v2",
  sorobanCredentialsAddressWithDelegates: "address_with_delegates",
};

/**
 * auth_credentials: one entry per authorization of the operation — the credential type, the authorizing
 * address, nonce and signature expiration, and for ADDRESS_WITH_DELEGATES the delegate tree's addresses.
 * Only written when some entry uses a protocol 27 (CAP-71) credential: stellar-etl has no such key, and the
 * details of earlier operations stay exactly stellar-etl's (docs/schema.md, deviations).
 */
function authCredentials(auth: readonly xdr.SorobanAuthorizationEntry[]): Details[] | null {
  if (
    !auth.some(
      (a) =>
        a.credentials.type === "sorobanCredentialsAddressV2" ||
        a.credentials.type === "sorobanCredentialsAddressWithDelegates",
    )
  )
    return null;
  return auth.map((a) => {
    const c = a.credentials;
    const out: Details = { type: CREDENTIAL_TYPES[c.type] };
    const addr =
      c.type === "sorobanCredentialsAddress"
        ? c.address
        : c.type === "sorobanCredentialsAddressV2"
          ? c.addressV2
          : c.type === "sorobanCredentialsAddressWithDelegates"
            ? c.addressWithDelegates.addressCredentials
            : null;
    if (addr) {
      out.address = addressString(addr.address);
      out.nonce = addr.nonce;
      out.signature_expiration_ledger = addr.signatureExpirationLedger;
    }
    if (c.type === "sorobanCredentialsAddressWithDelegates")
      out.delegates = c.addressWithDelegates.delegates.map(delegateJson);
    return out;
  });
}

function hostFunctionDetails(d: Details, op: xdr.InvokeHostFunctionOp, ctx: OpContext): void {
  const creds = authCredentials(op.auth);
  if (creds) d.auth_credentials = creds;
  const fn = op.hostFunction;
  const name = fn.type;
  d.function = `HostFunctionType${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  switch (fn.type) {
    case "hostFunctionTypeInvokeContract": {
      const args = fn.invokeContract;
      d.type = "invoke_contract";
      d.ledger_key_hash = ledgerKeyHashes(ctx);
      d.contract_id = addressString(args.contractAddress);
      d.contract_code_hash = footprintCodeHash(ctx);
      parameters(d, [
        xdr.ScVal.scvAddress(args.contractAddress),
        xdr.ScVal.scvSymbol(args.functionName),
        ...args.args,
      ]);
      d.asset_balance_changes = balanceChanges(ctx);
      return;
    }
    case "hostFunctionTypeCreateContract":
      d.type = "create_contract";
      sorobanCommon(d, ctx, true);
      preimage(d, fn.createContract.contractIdPreimage);
      return;
    case "hostFunctionTypeUploadContractWasm":
      d.type = "upload_wasm";
      sorobanCommon(d, ctx, false);
      return;
    case "hostFunctionTypeCreateContractV2": {
      const args = fn.createContractV2;
      d.type = "create_contract_v2";
      sorobanCommon(d, ctx, true);
      parameters(d, args.constructorArgs);
      preimage(d, args.contractIdPreimage);
      return;
    }
  }
}

// ---- the table of types ----

/** The details object of operation `opIndex` (0-based) of a transaction. */
export function operationDetails(op: xdr.Operation, opIndex: number, ctx: OpContext): Details {
  const d: Details = {};
  const source = op.sourceAccount ?? ctx.txSource;
  const b = op.body;
  const type = b.type;
  switch (type) {
    case "createAccount": {
      const o = b.createAccountOp;
      addAccount(d, source, "funder");
      d.account = accountIdString(o.destination);
      d.starting_balance = amountFloat(o.startingBalance);
      break;
    }
    case "payment": {
      const o = b.paymentOp;
      addAccount(d, source, "from");
      addAccount(d, o.destination, "to");
      d.amount = amountFloat(o.amount);
      addAsset(d, assetParts(o.asset), "");
      break;
    }
    case "pathPaymentStrictReceive": {
      const o = b.pathPaymentStrictReceiveOp;
      addAccount(d, source, "from");
      addAccount(d, o.destination, "to");
      d.amount = amountFloat(o.destAmount);
      d.source_amount = amountString(0n);
      d.source_max = amountFloat(o.sendMax);
      addAsset(d, assetParts(o.destAsset), "");
      addAsset(d, assetParts(o.sendAsset), "source");
      if (ctx.successful) {
        const tr = opResultTr(ctx, opIndex);
        const res = tr?.type === "pathPaymentStrictReceive" ? tr.pathPaymentStrictReceiveResult : null;
        if (res?.type !== "pathPaymentStrictReceiveSuccess")
          throw new Error(`op ${opIndex}: no path_payment_strict_receive result`);
        const r = res.success;
        d.source_amount = amountFloat(sendAmount(r.offers, r.last.amount));
      }
      d.path = path(o.path);
      break;
    }
    case "pathPaymentStrictSend": {
      const o = b.pathPaymentStrictSendOp;
      addAccount(d, source, "from");
      addAccount(d, o.destination, "to");
      d.amount = amountString(0n);
      d.source_amount = amountFloat(o.sendAmount);
      d.destination_min = amountString(o.destMin);
      addAsset(d, assetParts(o.destAsset), "");
      addAsset(d, assetParts(o.sendAsset), "source");
      if (ctx.successful) {
        const tr = opResultTr(ctx, opIndex);
        const res = tr?.type === "pathPaymentStrictSend" ? tr.pathPaymentStrictSendResult : null;
        if (res?.type !== "pathPaymentStrictSendSuccess")
          throw new Error(`op ${opIndex}: no path_payment_strict_send result`);
        d.amount = amountFloat(res.success.last.amount);
      }
      d.path = path(o.path);
      break;
    }
    case "manageSellOffer":
    case "manageBuyOffer": {
      const o = b.type === "manageSellOffer" ? b.manageSellOfferOp : b.manageBuyOfferOp;
      d.offer_id = o.offerId;
      d.amount = amountFloat(
        b.type === "manageSellOffer" ? b.manageSellOfferOp.amount : b.manageBuyOfferOp.buyAmount,
      );
      addPrice(d, o.price, "");
      addAsset(d, assetParts(o.buying), "buying");
      addAsset(d, assetParts(o.selling), "selling");
      break;
    }
    case "createPassiveSellOffer": {
      const o = b.createPassiveSellOfferOp;
      d.amount = amountFloat(o.amount);
      addPrice(d, o.price, "");
      addAsset(d, assetParts(o.buying), "buying");
      addAsset(d, assetParts(o.selling), "selling");
      break;
    }
    case "setOptions": {
      const o = b.setOptionsOp;
      const infl = o.inflationDest;
      if (infl) d.inflation_dest = accountIdString(infl);
      const setF = o.setFlags;
      if (setF !== null && setF !== undefined && setF > 0) addFlags(d, setF, ACCOUNT_FLAGS, "set");
      const clearF = o.clearFlags;
      if (clearF !== null && clearF !== undefined && clearF > 0) addFlags(d, clearF, ACCOUNT_FLAGS, "clear");
      const opt = (k: string, v: number | null | undefined) => {
        if (v !== null && v !== undefined) d[k] = v;
      };
      opt("master_key_weight", o.masterWeight);
      opt("low_threshold", o.lowThreshold);
      opt("med_threshold", o.medThreshold);
      opt("high_threshold", o.highThreshold);
      const hd = o.homeDomain;
      if (hd !== null && hd !== undefined) d.home_domain = hd.toString();
      const signer = o.signer;
      if (signer) {
        d.signer_key = signerKeyAddress(signer.key);
        d.signer_weight = signer.weight;
      }
      break;
    }
    case "changeTrust": {
      const o = b.changeTrustOp;
      const line = o.line;
      if (line.type === "assetTypePoolShare") {
        d.asset_type = "liquidity_pool_shares";
        const params = line.liquidityPool;
        addPoolId(d, "liquidity_pool_id", createHash("sha256").update(params.toXdr()).digest());
      } else {
        const p = assetParts(line);
        addAsset(d, p, "");
        // stellar-etl copies asset_issuer, which a (malformed) native line leaves unset: null.
        d.trustee = p.type === "native" ? null : p.issuer;
      }
      addAccount(d, source, "trustor");
      d.limit = amountFloat(o.limit);
      break;
    }
    case "allowTrust": {
      const o = b.allowTrustOp;
      const a = o.asset;
      const four = a.type === "assetTypeCreditAlphanum4";
      const code = assetCode(a.type === "assetTypeCreditAlphanum4" ? a.assetCode4 : a.assetCode12);
      addAsset(
        d,
        {
          type: four ? "credit_alphanum4" : "credit_alphanum12",
          code,
          issuer: muxedBaseAddress(source),
          poolId: "",
        },
        "",
      );
      addAccount(d, source, "trustee");
      d.trustor = accountIdString(o.trustor);
      const auth = o.authorize;
      d.authorize = (auth & 1) !== 0;
      if (auth & 2) d.authorize_to_maintain_liabilities = true;
      if (auth & 4) d.clawback_enabled = true;
      break;
    }
    case "accountMerge":
      addAccount(d, source, "account");
      addAccount(d, b.destination, "into");
      break;
    case "inflation":
      break;
    case "manageData": {
      const o = b.manageDataOp;
      d.name = o.dataName.toString();
      const v = o.dataValue;
      d.value = v ? base64(v) : null;
      break;
    }
    case "bumpSequence":
      d.bump_to = b.bumpSequenceOp.bumpTo.toString();
      break;
    case "createClaimableBalance": {
      const o = b.createClaimableBalanceOp;
      d.asset = canonicalAsset(assetParts(o.asset));
      d.amount = amountFloat(o.amount);
      d.claimants = o.claimants.map((c) => ({
        destination: accountIdString(c.v0.destination),
        predicate: predicateJson(c.v0.predicate),
      }));
      break;
    }
    case "claimClaimableBalance":
      balanceId(d, "balance_id", b.claimClaimableBalanceOp.balanceId);
      addAccount(d, source, "claimant");
      break;
    case "beginSponsoringFutureReserves":
      d.sponsored_id = accountIdString(b.beginSponsoringFutureReservesOp.sponsoredId);
      break;
    case "endSponsoringFutureReserves": {
      if (!ctx.successful) break;
      const sponsoree = muxedBaseAddress(source);
      for (let i = opIndex - 1; i >= 0; i--) {
        const prev = ctx.operations[i] as xdr.Operation;
        if (prev.body.type !== "beginSponsoringFutureReserves") continue;
        if (accountIdString(prev.body.beginSponsoringFutureReservesOp.sponsoredId) !== sponsoree) continue;
        addAccount(d, prev.sourceAccount ?? ctx.txSource, "begin_sponsor");
        break;
      }
      break;
    }
    case "revokeSponsorship": {
      const o = b.revokeSponsorshipOp;
      if (o.type === "revokeSponsorshipLedgerEntry") ledgerKeyDetails(d, o.ledgerKey);
      else {
        d.signer_account_id = accountIdString(o.signer.accountId);
        d.signer_key = signerKeyAddress(o.signer.signerKey);
      }
      break;
    }
    case "clawback": {
      const o = b.clawbackOp;
      addAsset(d, assetParts(o.asset), "");
      addAccount(d, o.from, "from");
      d.amount = amountFloat(o.amount);
      break;
    }
    case "clawbackClaimableBalance":
      balanceId(d, "balance_id", b.clawbackClaimableBalanceOp.balanceId);
      break;
    case "setTrustLineFlags": {
      const o = b.setTrustLineFlagsOp;
      d.trustor = accountIdString(o.trustor);
      addAsset(d, assetParts(o.asset), "");
      if (o.setFlags > 0) addFlags(d, o.setFlags, TRUSTLINE_FLAGS, "set");
      if (o.clearFlags > 0) addFlags(d, o.clearFlags, TRUSTLINE_FLAGS, "clear");
      break;
    }
    case "liquidityPoolDeposit": {
      const o = b.liquidityPoolDepositOp;
      const id = o.liquidityPoolId;
      addPoolId(d, "liquidity_pool_id", id);
      let assetA: AssetParts = assetParts(xdr.Asset.assetTypeNative());
      let assetB = assetA;
      let da = 0n;
      let db = 0n;
      let shares = 0n;
      if (ctx.successful) {
        const delta = poolDelta(ctx, id);
        assetA = assetParts(delta.params.assetA);
        assetB = assetParts(delta.params.assetB);
        da = delta.a;
        db = delta.b;
        shares = delta.shares;
      }
      addAsset(d, assetA, "reserve_a");
      d.reserve_a_max_amount = amountFloat(o.maxAmountA);
      d.reserve_a_deposit_amount = amountFloat(da);
      addAsset(d, assetB, "reserve_b");
      d.reserve_b_max_amount = amountFloat(o.maxAmountB);
      d.reserve_b_deposit_amount = amountFloat(db);
      addPrice(d, o.minPrice, "min");
      addPrice(d, o.maxPrice, "max");
      d.shares_received = amountFloat(shares);
      break;
    }
    case "liquidityPoolWithdraw": {
      const o = b.liquidityPoolWithdrawOp;
      const id = o.liquidityPoolId;
      addPoolId(d, "liquidity_pool_id", id);
      let assetA: AssetParts = assetParts(xdr.Asset.assetTypeNative());
      let assetB = assetA;
      let ra = 0n;
      let rb = 0n;
      if (ctx.successful) {
        const delta = poolDelta(ctx, id);
        assetA = assetParts(delta.params.assetA);
        assetB = assetParts(delta.params.assetB);
        ra = -delta.a;
        rb = -delta.b;
      }
      addAsset(d, assetA, "reserve_a");
      d.reserve_a_min_amount = amountFloat(o.minAmountA);
      d.reserve_a_withdraw_amount = amountFloat(ra);
      addAsset(d, assetB, "reserve_b");
      d.reserve_b_min_amount = amountFloat(o.minAmountB);
      d.reserve_b_withdraw_amount = amountFloat(rb);
      d.shares = amountFloat(o.amount);
      break;
    }
    case "invokeHostFunction":
      hostFunctionDetails(d, b.invokeHostFunctionOp, ctx);
      break;
    case "extendFootprintTtl":
      d.type = "extend_footprint_ttl";
      d.extend_to = b.extendFootprintTtlOp.extendTo;
      sorobanCommon(d, ctx, true);
      break;
    case "restoreFootprint":
      d.type = "restore_footprint";
      sorobanCommon(d, ctx, true);
      break;
  }
  const sponsor = sponsorOf(op, ctx);
  if (sponsor) d.sponsor = sponsor;
  return d;
}

function bought(a: xdr.ClaimAtom): xdr.ClaimOfferAtom {
  return a.value as xdr.ClaimOfferAtom;
}

/**
 * The SDK's PathPaymentStrictReceiveResult.SendAmount(): the destination amount when no offer was crossed,
 * else the amounts bought by the leading atoms that bought the first atom's asset (stopping at the first other).
 */
function sendAmount(atoms: readonly xdr.ClaimAtom[], lastAmount: bigint): bigint {
  if (!atoms.length) return lastAmount;
  const first = bought(atoms[0] as xdr.ClaimAtom).assetBought;
  let sum = 0n;
  for (const a of atoms) {
    const v = bought(a);
    if (!assetsEqual(v.assetBought, first)) break;
    sum += v.amountBought;
  }
  return sum;
}
