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
import { StrKey, type xdr } from "@stellar/stellar-base";
import { type AssetParts, assetParts, muxedBaseAddress, NATIVE } from "../changes/format";
import type { EntryChange, TransactionChanges } from "../changes/reader";
import { ENTRY_ACCOUNT, ENTRY_CLAIMABLE_BALANCE, ENTRY_LIQUIDITY_POOL } from "../changes/snapshot";
import { accountStrkey } from "../changes/strkey-cache";
import { atomView } from "../changes/trades";
import type { CoreTx } from "../tables/core-common";
import {
  assetContractId,
  claimableBalanceStrkey,
  liquidityPoolStrkey,
  type MuxedInfo,
  type TokenTransfer,
  TransferTopic,
} from "./model";
import { META_V3, META_V4, type Sep41Event, sep41Event } from "./sep41";

/** OperationType values this module reads. */
const Op = {
  CreateAccount: 0,
  Payment: 1,
  PathPaymentStrictReceive: 2,
  ManageSellOffer: 3,
  CreatePassiveSellOffer: 4,
  AccountMerge: 8,
  Inflation: 9,
  ManageBuyOffer: 12,
  PathPaymentStrictSend: 13,
  CreateClaimableBalance: 14,
  ClaimClaimableBalance: 15,
  Clawback: 19,
  ClawbackClaimableBalance: 20,
  LiquidityPoolDeposit: 22,
  LiquidityPoolWithdraw: 23,
  InvokeHostFunction: 24,
} as const;

const ENVELOPE_FEE_BUMP = 5;
const MEMO_NONE = 0;
const MEMO_TEXT = 1;
const MEMO_ID = 2;
const MEMO_HASH = 3;
const MEMO_RETURN = 4;

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
  if (env.switch().value === ENVELOPE_FEE_BUMP) return muxedBaseAddress(env.feeBump().tx().feeSource());
  return muxedBaseAddress(tx.source);
}

function accountBalanceDelta(changes: readonly EntryChange[], account: string): bigint {
  let delta = 0n;
  for (const c of changes) {
    if (c.entryType !== ENTRY_ACCOUNT) continue;
    const e = (c.post ?? c.pre) as xdr.LedgerEntry;
    if (accountStrkey(e.data().account().accountId().ed25519()) !== account) continue;
    const pre = c.pre ? c.pre.data().account().balance().toBigInt() : 0n;
    const post = c.post ? c.post.data().account().balance().toBigInt() : 0n;
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
    const charged = input.tx.proc.result.result().feeCharged().toBigInt();
    return [make(c, TransferTopic.Fee, NATIVE, payer, null, charged)];
  }
  const charged = -accountBalanceDelta(input.feeChanges, payer);
  const out = [make(c, TransferTopic.Fee, NATIVE, payer, null, charged)];
  const refund = accountBalanceDelta([...(input.changes?.after ?? []), ...input.refundChanges], payer);
  if (refund > 0n) out.push(make(c, TransferTopic.Fee, NATIVE, payer, null, -refund));
  return out;
}

function opSource(tx: CoreTx, op: xdr.Operation): xdr.MuxedAccount {
  return op.sourceAccount() ?? tx.source;
}

const isAccount = (s: string) => s.startsWith("G") || s.startsWith("M");

/** CAP-67: a muxed destination gives its id; otherwise the transaction's memo, if it has one. */
function destinationMuxedInfo(tx: CoreTx, destination: xdr.MuxedAccount | null): MuxedInfo | null {
  if (destination && destination.switch().value !== 0)
    return { kind: "id", id: BigInt(destination.med25519().id().toString()) };
  const env = tx.envelope;
  const inner =
    env.switch().value === ENVELOPE_FEE_BUMP
      ? env.feeBump().tx().innerTx().v1().tx()
      : env.switch().value === 0
        ? env.v0().tx()
        : env.v1().tx();
  const memo = inner.memo();
  switch (memo.switch().value) {
    case MEMO_NONE:
      return null;
    case MEMO_ID:
      return { kind: "id", id: memo.id().toBigInt() };
    case MEMO_TEXT: {
      const t = memo.text();
      return { kind: "text", text: typeof t === "string" ? t : Buffer.from(t).toString("utf8") };
    }
    case MEMO_HASH:
      return { kind: "hash", hash: Buffer.from(memo.hash()) };
    case MEMO_RETURN:
      return { kind: "hash", hash: Buffer.from(memo.retHash()) };
    default:
      return null;
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
    const seller = a.kind === 2 ? liquidityPoolStrkey(a.poolId as Buffer) : a.sellerId;
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
    const lp = e.data().liquidityPool();
    const params = lp.body().constantProduct().params();
    const reserves = (x: xdr.LedgerEntry | null) => {
      if (!x) return [0n, 0n];
      const cp = x.data().liquidityPool().body().constantProduct();
      return [cp.reserveA().toBigInt(), cp.reserveB().toBigInt()];
    };
    const [preA, preB] = reserves(c.pre) as [bigint, bigint];
    const [postA, postB] = reserves(c.post) as [bigint, bigint];
    const abs = (x: bigint) => (x < 0n ? -x : x);
    out.push({
      id: Buffer.from(lp.liquidityPoolId() as unknown as Buffer),
      assetA: assetParts(params.assetA()),
      assetB: assetParts(params.assetB()),
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
  return ((removed[0] as EntryChange).pre as xdr.LedgerEntry).data().claimableBalance();
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
  const body = op.body();
  const type = body.switch().value;
  switch (type) {
    case Op.CreateAccount: {
      const o = body.createAccountOp();
      const dest = accountStrkey(o.destination().ed25519());
      return [movement(c, NATIVE, srcG, dest, o.startingBalance().toBigInt(), null)];
    }
    case Op.Payment: {
      const o = body.paymentOp();
      const dest = account(o.destination());
      return [movement(c, assetParts(o.asset()), srcG, dest, o.amount().toBigInt(), o.destination())];
    }
    case Op.AccountMerge: {
      const r = tr?.accountMergeResult();
      if (r?.switch().value !== 0) return [];
      const dest = body.destination();
      return [movement(c, NATIVE, srcG, account(dest), r.sourceAccountBalance().toBigInt(), dest)];
    }
    case Op.Inflation: {
      const payouts = tr?.inflationResult().payouts() ?? [];
      return payouts.map((p) =>
        make(
          c,
          TransferTopic.Mint,
          NATIVE,
          null,
          accountStrkey(p.destination().ed25519()),
          p.amount().toBigInt(),
        ),
      );
    }
    case Op.ManageSellOffer:
    case Op.CreatePassiveSellOffer: {
      const res =
        tr?.switch().value === Op.CreatePassiveSellOffer
          ? tr.createPassiveSellOfferResult()
          : tr?.manageSellOfferResult();
      return res ? claims(c, src, res.success().offersClaimed()) : [];
    }
    case Op.ManageBuyOffer: {
      const res = tr?.manageBuyOfferResult();
      return res ? claims(c, src, res.success().offersClaimed()) : [];
    }
    case Op.PathPaymentStrictReceive: {
      const o = body.pathPaymentStrictReceiveOp();
      const s = tr?.pathPaymentStrictReceiveResult().success();
      if (!s) return [];
      return [
        ...claims(c, src, s.offers()),
        movement(
          c,
          assetParts(o.destAsset()),
          srcG,
          account(o.destination()),
          o.destAmount().toBigInt(),
          o.destination(),
        ),
      ];
    }
    case Op.PathPaymentStrictSend: {
      const o = body.pathPaymentStrictSendOp();
      const s = tr?.pathPaymentStrictSendResult().success();
      if (!s) return [];
      return [
        ...claims(c, src, s.offers()),
        movement(
          c,
          assetParts(o.destAsset()),
          srcG,
          account(o.destination()),
          s.last().amount().toBigInt(),
          o.destination(),
        ),
      ];
    }
    case Op.CreateClaimableBalance: {
      const o = body.createClaimableBalanceOp();
      const id = tr?.createClaimableBalanceResult().balanceId();
      if (!id) return [];
      return [
        movement(
          c,
          assetParts(o.asset()),
          srcG,
          claimableBalanceStrkey(id),
          o.amount().toBigInt(),
          undefined,
        ),
      ];
    }
    case Op.ClaimClaimableBalance: {
      const cb = removedBalance(changes, "claim_claimable_balance");
      const id = claimableBalanceStrkey(body.claimClaimableBalanceOp().balanceId());
      return [movement(c, assetParts(cb.asset()), id, srcG, cb.amount().toBigInt(), src)];
    }
    case Op.Clawback: {
      const o = body.clawbackOp();
      return [
        make(
          c,
          TransferTopic.Clawback,
          assetParts(o.asset()),
          account(o.from()),
          null,
          o.amount().toBigInt(),
        ),
      ];
    }
    case Op.ClawbackClaimableBalance: {
      const cb = removedBalance(changes, "clawback_claimable_balance");
      const id = claimableBalanceStrkey(body.clawbackClaimableBalanceOp().balanceId());
      return [make(c, TransferTopic.Clawback, assetParts(cb.asset()), id, null, cb.amount().toBigInt())];
    }
    case Op.LiquidityPoolDeposit: {
      const d = onePool(changes, "liquidity_pool_deposit");
      const pool = liquidityPoolStrkey(d.id);
      return [
        movement(c, d.assetA, srcG, pool, d.a, undefined),
        movement(c, d.assetB, srcG, pool, d.b, undefined),
      ];
    }
    case Op.LiquidityPoolWithdraw: {
      const d = onePool(changes, "liquidity_pool_withdraw");
      const pool = liquidityPoolStrkey(d.id);
      return [movement(c, d.assetA, pool, srcG, d.a, src), movement(c, d.assetB, pool, srcG, d.b, src)];
    }
    case Op.InvokeHostFunction:
      return contractEvents(c, input.tx.proc.meta.switch());
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
  if (metaVersion === META_V3) events = meta.v3().sorobanMeta()?.events() ?? [];
  else if (metaVersion === META_V4) events = meta.v4().operations()[c.opIndex as number]?.events() ?? [];
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
    const tr = r && r.switch().value === 0 ? r.tr() : null;
    try {
      for (const e of operationEvents(input, opIndex, op, tr)) out.push(e);
    } catch (err) {
      throw new Error(`tx ${input.tx.hash} op ${opIndex}: token transfers: ${(err as Error).message}`);
    }
  });
  return out;
}
