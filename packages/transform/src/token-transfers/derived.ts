/**
 * Token transfers of a transaction whose meta has no unified events (meta v0-v3), derived from its envelope,
 * result and ledger changes as go-stellar-sdk's token transfer processor does when it is not reading the
 * unified stream: the fee (classic: the result's fee charged; Soroban: the fee charged up front, then the
 * refund as a negative fee), and per successful operation the movements its type implies. An account that is
 * the asset's issuer turns a transfer into a mint (issuer sends) or a burn (issuer receives); both issuer:
 * still a transfer.
 *
 * Not derived (the reconciliation records the mismatch, nothing is invented): pool-share revocations of
 * allow_trust / set_trust_line_flags (which claimable balances a revocation created cannot be told from the
 * meta without re-deriving their ids), and the protocol < 8 XLM reconciliation mints and burns.
 */
import { StrKey, xdr } from "@stellar/stellar-sdk/base";
import { type AssetParts, assetParts, muxedBaseAddress, NATIVE, view, xdrString } from "../changes/format";
import type { EntryChange, TransactionChanges } from "../changes/reader";
import { ENTRY_ACCOUNT, ENTRY_CLAIMABLE_BALANCE, ENTRY_LIQUIDITY_POOL } from "../changes/snapshot";
import { accountStrkey } from "../changes/strkey-cache";
import { atomView } from "../changes/trades";
import type { CoreTx } from "../tables/core-common";
import { TransactionMetaArm } from "../xdr-arms";
import {
  assetContractId,
  claimableBalanceStrkey,
  liquidityPoolStrkey,
  type MuxedInfo,
  type TokenTransfer,
  TransferTopic,
} from "./model";
import { META_V3, META_V4, type Sep41Event, sep41Event } from "./sep41";

/** A union's arm the caller knows it has (an error naming both otherwise). */
const arm = xdr.expectUnionVariant;

export interface TxInput {
  readonly tx: CoreTx;
  readonly changes: TransactionChanges | undefined;
  readonly feeChanges: readonly EntryChange[];
  readonly refundChanges: readonly EntryChange[];
  readonly passphrase: string;
}

interface Ctx extends TxInput {
  readonly opIndex: number | null;
}

function make(
  c: Ctx,
  topic: TransferTopic,
  asset: AssetParts,
  from: string | null,
  to: string | null,
  amount: bigint,
  toMuxed: MuxedInfo | null = null,
): TokenTransfer {
  return {
    topic,
    txIndex: c.tx.proc.index,
    txHash: c.tx.hash,
    opIndex: c.opIndex,
    contractId: assetContractId(asset, c.passphrase),
    from,
    to,
    amount,
    asset,
    toMuxed,
  };
}

/** The fee account: the fee-bump's fee source, else the transaction source (as a G… address). */
function feeAccount(tx: CoreTx): string {
  const env = tx.envelope;
  if (env.type === "envelopeTypeTxFeeBump") return muxedBaseAddress(env.feeBump.tx.feeSource);
  return muxedBaseAddress(tx.source);
}

function accountBalanceDelta(changes: readonly EntryChange[], account: string): bigint {
  let delta = 0n;
  for (const c of changes) {
    if (c.entryType !== ENTRY_ACCOUNT) continue;
    const e = (c.post ?? c.pre) as xdr.LedgerEntry;
    if (accountStrkey(arm(e.data, "account").account.accountId.ed25519.value) !== account) continue;
    const pre = c.pre ? arm(c.pre.data, "account").account.balance : 0n;
    const post = c.post ? arm(c.post.data, "account").account.balance : 0n;
    delta += post - pre;
  }
  return delta;
}

/**
 * The fee events: classic, one (the fee charged); Soroban, the fee taken up front (the fee account's balance
 * drop in fee processing) and, if any, the refund (its rise after the transaction) as a negative amount.
 */
export function derivedFeeEvents(input: TxInput): TokenTransfer[] {
  const c: Ctx = { ...input, opIndex: null };
  const payer = feeAccount(input.tx);
  if (!input.tx.sorobanData) {
    const charged = input.tx.proc.result.result.feeCharged;
    return [make(c, TransferTopic.Fee, NATIVE, payer, null, charged)];
  }
  const charged = -accountBalanceDelta(input.feeChanges, payer);
  const out = [make(c, TransferTopic.Fee, NATIVE, payer, null, charged)];
  const refund = accountBalanceDelta([...(input.changes?.after ?? []), ...input.refundChanges], payer);
  if (refund > 0n) out.push(make(c, TransferTopic.Fee, NATIVE, payer, null, -refund));
  return out;
}

function opSource(tx: CoreTx, op: xdr.Operation): xdr.MuxedAccount {
  return op.sourceAccount ?? tx.source;
}

const isAccount = (s: string) => s.startsWith("G") || s.startsWith("M");

/** CAP-67: a muxed destination gives its id; otherwise the transaction's memo, if it has one. */
function destinationMuxedInfo(tx: CoreTx, destination: xdr.MuxedAccount | null): MuxedInfo | null {
  if (destination && destination.type === "keyTypeMuxedEd25519")
    return { kind: "id", id: destination.med25519.id };
  const env = tx.envelope;
  const inner =
    env.type === "envelopeTypeTxFeeBump"
      ? env.feeBump.tx.innerTx.v1.tx
      : env.type === "envelopeTypeTxV0"
        ? env.v0.tx
        : env.v1.tx;
  const memo = inner.memo;
  switch (memo.type) {
    case "memoNone":
      return null;
    case "memoId":
      return { kind: "id", id: memo.id };
    case "memoText":
      return { kind: "text", text: xdrString(memo.text) };
    case "memoHash":
      return { kind: "hash", hash: Buffer.from(memo.hash.value) };
    case "memoReturn":
      return { kind: "hash", hash: Buffer.from(memo.retHash.value) };
  }
}

/**
 * A movement of `asset` from → to, as a mint (the issuer sends), a burn (the issuer receives) or a transfer
 * (neither, or both). Account parties are reported as G…; `muxDest` is the destination whose muxed id (or the
 * memo) a transfer or mint carries.
 */
function movement(
  c: Ctx,
  asset: AssetParts,
  fromRaw: string,
  toRaw: string,
  amount: bigint,
  muxDest: xdr.MuxedAccount | null | undefined,
): TokenTransfer {
  const from = isAccount(fromRaw) ? baseOf(fromRaw) : fromRaw;
  const to = isAccount(toRaw) ? baseOf(toRaw) : toRaw;
  const issuer = asset.type === "native" ? null : asset.issuer;
  const fromIssuer = issuer !== null && isAccount(fromRaw) && from === issuer;
  const toIssuer = issuer !== null && isAccount(toRaw) && to === issuer;
  const mux = muxDest !== undefined ? destinationMuxedInfo(c.tx, muxDest) : null;
  if (fromIssuer && !toIssuer) return make(c, TransferTopic.Mint, asset, null, to, amount, mux);
  if (toIssuer && !fromIssuer) return make(c, TransferTopic.Burn, asset, from, null, amount);
  return make(c, TransferTopic.Transfer, asset, from, to, amount, mux);
}

/** G… of a G… or M… strkey. */
function baseOf(s: string): string {
  if (s.startsWith("G")) return s;
  return accountStrkey(StrKey.decodeMed25519PublicKey(s).subarray(0, 32));
}

function account(m: xdr.MuxedAccount): string {
  return muxedBaseAddress(m);
}

function claims(e: Ctx, source: xdr.MuxedAccount, atoms: readonly xdr.ClaimAtom[]): TokenTransfer[] {
  const taker = account(source);
  const out: TokenTransfer[] = [];
  for (const atom of atoms) {
    const a = atomView(atom);
    const seller = a.kind === 2 ? liquidityPoolStrkey(view(a.poolId as xdr.PoolId)) : a.sellerId;
    out.push(movement(e, assetParts(a.assetSold), seller, taker, a.amountSold, undefined));
    out.push(movement(e, assetParts(a.assetBought), taker, seller, a.amountBought, undefined));
  }
  return out;
}

interface PoolDelta {
  readonly id: Buffer;
  readonly assetA: AssetParts;
  readonly assetB: AssetParts;
  readonly a: bigint;
  readonly b: bigint;
}

function poolDeltas(changes: readonly EntryChange[]): PoolDelta[] {
  const out: PoolDelta[] = [];
  for (const c of changes) {
    if (c.entryType !== ENTRY_LIQUIDITY_POOL) continue;
    const e = (c.post ?? c.pre) as xdr.LedgerEntry;
    const lp = arm(e.data, "liquidityPool").liquidityPool;
    const params = lp.body.constantProduct.params;
    const reserves = (x: xdr.LedgerEntry | null) => {
      if (!x) return [0n, 0n];
      const cp = arm(x.data, "liquidityPool").liquidityPool.body.constantProduct;
      return [cp.reserveA, cp.reserveB];
    };
    const [preA, preB] = reserves(c.pre) as [bigint, bigint];
    const [postA, postB] = reserves(c.post) as [bigint, bigint];
    const abs = (x: bigint) => (x < 0n ? -x : x);
    out.push({
      id: view(lp.liquidityPoolId),
      assetA: assetParts(params.assetA),
      assetB: assetParts(params.assetB),
      a: abs(postA - preA),
      b: abs(postB - preB),
    });
  }
  return out;
}

function onePool(changes: readonly EntryChange[], what: string): PoolDelta {
  const deltas = poolDeltas(changes);
  if (deltas.length !== 1) throw new Error(`${what}: ${deltas.length} liquidity pool changes (expected 1)`);
  return deltas[0] as PoolDelta;
}

function removedBalance(changes: readonly EntryChange[], what: string): xdr.ClaimableBalanceEntry {
  const removed = changes.filter((c) => c.entryType === ENTRY_CLAIMABLE_BALANCE && c.pre && !c.post);
  if (removed.length !== 1)
    throw new Error(`${what}: ${removed.length} removed claimable balances (expected 1)`);
  return arm(((removed[0] as EntryChange).pre as xdr.LedgerEntry).data, "claimableBalance").claimableBalance;
}

function operationEvents(
  input: TxInput,
  opIndex: number,
  op: xdr.Operation,
  tr: xdr.OperationResultTr | null,
) {
  const c: Ctx = { ...input, opIndex };
  const tx = input.tx;
  const src = opSource(tx, op);
  const srcG = account(src);
  const changes = input.changes?.operations[opIndex] ?? [];
  const body = op.body;
  switch (body.type) {
    case "createAccount": {
      const o = body.createAccountOp;
      const dest = accountStrkey(o.destination.ed25519.value);
      return [movement(c, NATIVE, srcG, dest, o.startingBalance, null)];
    }
    case "payment": {
      const o = body.paymentOp;
      const dest = account(o.destination);
      return [movement(c, assetParts(o.asset), srcG, dest, o.amount, o.destination)];
    }
    case "accountMerge": {
      const r = tr ? arm(tr, "accountMerge").accountMergeResult : undefined;
      if (r?.type !== "accountMergeSuccess") return [];
      const dest = body.destination;
      return [movement(c, NATIVE, srcG, account(dest), r.sourceAccountBalance, dest)];
    }
    case "inflation": {
      const r = tr ? arm(tr, "inflation").inflationResult : undefined;
      const payouts = r?.type === "inflationSuccess" ? r.payouts : [];
      return payouts.map((p) =>
        make(c, TransferTopic.Mint, NATIVE, null, accountStrkey(p.destination.ed25519.value), p.amount),
      );
    }
    case "manageSellOffer":
    case "createPassiveSellOffer": {
      // Core writes create_passive results in the ManageSellOffer arm; both arms hold the same type.
      const res =
        tr?.type === "createPassiveSellOffer"
          ? tr.createPassiveSellOfferResult
          : tr
            ? arm(tr, "manageSellOffer").manageSellOfferResult
            : undefined;
      return res ? claims(c, src, arm(res, "manageSellOfferSuccess").success.offersClaimed) : [];
    }
    case "manageBuyOffer": {
      const res = tr ? arm(tr, "manageBuyOffer").manageBuyOfferResult : undefined;
      return res ? claims(c, src, arm(res, "manageBuyOfferSuccess").success.offersClaimed) : [];
    }
    case "pathPaymentStrictReceive": {
      const o = body.pathPaymentStrictReceiveOp;
      const s = tr
        ? arm(
            arm(tr, "pathPaymentStrictReceive").pathPaymentStrictReceiveResult,
            "pathPaymentStrictReceiveSuccess",
          ).success
        : undefined;
      if (!s) return [];
      return [
        ...claims(c, src, s.offers),
        movement(c, assetParts(o.destAsset), srcG, account(o.destination), o.destAmount, o.destination),
      ];
    }
    case "pathPaymentStrictSend": {
      const o = body.pathPaymentStrictSendOp;
      const s = tr
        ? arm(arm(tr, "pathPaymentStrictSend").pathPaymentStrictSendResult, "pathPaymentStrictSendSuccess")
            .success
        : undefined;
      if (!s) return [];
      return [
        ...claims(c, src, s.offers),
        movement(c, assetParts(o.destAsset), srcG, account(o.destination), s.last.amount, o.destination),
      ];
    }
    case "createClaimableBalance": {
      const o = body.createClaimableBalanceOp;
      const r = tr ? arm(tr, "createClaimableBalance").createClaimableBalanceResult : undefined;
      const id = r?.type === "createClaimableBalanceSuccess" ? r.balanceId : undefined;
      if (!id) return [];
      return [movement(c, assetParts(o.asset), srcG, claimableBalanceStrkey(id), o.amount, undefined)];
    }
    case "claimClaimableBalance": {
      const cb = removedBalance(changes, "claim_claimable_balance");
      const id = claimableBalanceStrkey(body.claimClaimableBalanceOp.balanceId);
      return [movement(c, assetParts(cb.asset), id, srcG, cb.amount, src)];
    }
    case "clawback": {
      const o = body.clawbackOp;
      return [make(c, TransferTopic.Clawback, assetParts(o.asset), account(o.from), null, o.amount)];
    }
    case "clawbackClaimableBalance": {
      const cb = removedBalance(changes, "clawback_claimable_balance");
      const id = claimableBalanceStrkey(body.clawbackClaimableBalanceOp.balanceId);
      return [make(c, TransferTopic.Clawback, assetParts(cb.asset), id, null, cb.amount)];
    }
    case "liquidityPoolDeposit": {
      const d = onePool(changes, "liquidity_pool_deposit");
      const pool = liquidityPoolStrkey(d.id);
      return [
        movement(c, d.assetA, srcG, pool, d.a, undefined),
        movement(c, d.assetB, srcG, pool, d.b, undefined),
      ];
    }
    case "liquidityPoolWithdraw": {
      const d = onePool(changes, "liquidity_pool_withdraw");
      const pool = liquidityPoolStrkey(d.id);
      return [movement(c, d.assetA, pool, srcG, d.a, src), movement(c, d.assetB, pool, srcG, d.b, src)];
    }
    case "invokeHostFunction":
      return contractEvents(c, TransactionMetaArm[input.tx.proc.meta.type]);
    default:
      return [];
  }
}

/**
 * The operation's SEP-41 events. Meta v3 (one Soroban operation): a SAC transfer from or to the asset's issuer
 * is re-read as a mint or burn (pre-CAP-67 SACs emitted transfers for both). Meta v4 without unified classic
 * events still carries the contract events of invoke_host_function, already in CAP-67 shape.
 */
function contractEvents(c: Ctx, metaVersion: number): TokenTransfer[] {
  const meta = c.tx.proc.meta;
  let events: xdr.ContractEvent[] = [];
  if (meta.type === "v3") events = meta.v3.sorobanMeta?.events ?? [];
  else if (meta.type === "v4") events = meta.v4.operations[c.opIndex as number]?.events ?? [];
  const out: TokenTransfer[] = [];
  for (const e of events) {
    const ev = sep41Event(e, metaVersion, c.passphrase);
    if (!ev) continue;
    if (metaVersion === META_V3 && ev.topic === TransferTopic.Transfer && ev.asset && ev.from && ev.to) {
      out.push(movement(c, ev.asset, ev.from, ev.to, ev.amount, undefined));
      continue;
    }
    out.push(fromSep41(c, ev));
  }
  return out;
}

export function fromSep41(c: { tx: CoreTx; opIndex: number | null }, ev: Sep41Event): TokenTransfer {
  return {
    topic: ev.topic,
    txIndex: c.tx.proc.index,
    txHash: c.tx.hash,
    opIndex: c.opIndex,
    contractId: ev.contractId,
    from: ev.from,
    to: ev.to,
    amount: ev.amount,
    asset: ev.asset,
    toMuxed: ev.toMuxed,
  };
}

/** The operation events of a successful transaction without unified events. */
export function derivedOperationEvents(
  input: TxInput,
  results: readonly xdr.OperationResult[],
): TokenTransfer[] {
  const out: TokenTransfer[] = [];
  input.tx.operations.forEach((op, opIndex) => {
    const r = results[opIndex];
    const tr = r && r.type === "opInner" ? r.tr : null;
    try {
      for (const e of operationEvents(input, opIndex, op, tr)) out.push(e);
    } catch (err) {
      throw new Error(`tx ${input.tx.hash} op ${opIndex}: token transfers: ${(err as Error).message}`);
    }
  });
  return out;
}
