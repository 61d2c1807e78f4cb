/**
 * The per-ledger reconciliation of go-stellar-sdk's VerifyEvents: for every transaction, the balance change
 * each (holder, asset) gets from its token transfers equals the one its ledger changes show (fee changes, the
 * transaction's changes, the post-apply fee refunds). Holders are accounts (native balance), trust lines
 * (credit assets; pool shares are not tokens), claimable balances (B…) and liquidity pool reserves (L…);
 * contract holders are left out (a contract's balance is not a standard ledger entry), as are tokens with
 * no classic asset. A mismatch names the ledger, transaction, holder and asset.
 */
import { StrKey, type xdr } from "@stellar/stellar-sdk/base";
import { type AssetParts, assetParts, view } from "../changes/format";
import { type EntryChange, ledgerChanges } from "../changes/reader";
import {
  type ChangeInput,
  ENTRY_ACCOUNT,
  ENTRY_CLAIMABLE_BALANCE,
  ENTRY_LIQUIDITY_POOL,
  ENTRY_TRUSTLINE,
} from "../changes/snapshot";
import { accountStrkey } from "../changes/strkey-cache";
import { byTx, transactionTokenTransfers } from "./index";
import {
  canonicalOf,
  claimableBalanceStrkey,
  liquidityPoolStrkey,
  type TokenTransfer,
  TransferTopic,
} from "./model";

export interface BalanceMismatch {
  readonly ledger: number;
  readonly txHash: string;
  readonly holder: string;
  readonly asset: string;
  /** Net change by the token transfers. */
  readonly events: bigint;
  /** Net change by the ledger entry changes. */
  readonly changes: bigint;
}

export interface Reconciliation {
  readonly ledger: number;
  readonly transactions: number;
  readonly mismatches: BalanceMismatch[];
}

type Deltas = Map<string, bigint>;

const SEP = "\u0000";

function add(m: Deltas, holder: string, asset: AssetParts, delta: bigint): void {
  if (holder.startsWith("C") || delta === 0n) return;
  const k = `${holder}${SEP}${canonicalOf(asset)}`;
  const v = (m.get(k) ?? 0n) + delta;
  if (v === 0n) m.delete(k);
  else m.set(k, v);
}

function baseHolder(s: string): string {
  return s.startsWith("M") ? accountStrkey(StrKey.decodeMed25519PublicKey(s).subarray(0, 32)) : s;
}

function eventDeltas(events: readonly TokenTransfer[]): Deltas {
  const m: Deltas = new Map();
  for (const e of events) {
    if (!e.asset) continue;
    const from = e.from ? baseHolder(e.from) : null;
    const to = e.to ? baseHolder(e.to) : null;
    switch (e.topic) {
      case TransferTopic.Fee:
      case TransferTopic.Burn:
      case TransferTopic.Clawback:
        if (from) add(m, from, e.asset, -e.amount);
        break;
      case TransferTopic.Mint:
        if (to) add(m, to, e.asset, e.amount);
        break;
      case TransferTopic.Transfer:
        if (from) add(m, from, e.asset, -e.amount);
        if (to) add(m, to, e.asset, e.amount);
        break;
    }
  }
  return m;
}

const NATIVE_ASSET: AssetParts = { type: "native", code: "", issuer: "", poolId: "" };

function changeDeltas(changes: readonly EntryChange[]): Deltas {
  const m: Deltas = new Map();
  for (const c of changes) {
    const data = ((c.post ?? c.pre) as xdr.LedgerEntry).data;
    const pre = c.pre?.data;
    const post = c.post?.data;
    switch (data.type) {
      case "account": {
        const holder = accountStrkey(data.account.accountId.ed25519.value);
        const before = pre?.type === "account" ? pre.account.balance : 0n;
        const after = post?.type === "account" ? post.account.balance : 0n;
        add(m, holder, NATIVE_ASSET, after - before);
        break;
      }
      case "trustline": {
        const tl = data.trustLine;
        if (tl.asset.type === "assetTypePoolShare") break;
        const before = pre?.type === "trustline" ? pre.trustLine.balance : 0n;
        const after = post?.type === "trustline" ? post.trustLine.balance : 0n;
        add(m, accountStrkey(tl.accountId.ed25519.value), assetParts(tl.asset), after - before);
        break;
      }
      case "claimableBalance": {
        const cb = data.claimableBalance;
        const before = pre?.type === "claimableBalance" ? pre.claimableBalance.amount : 0n;
        const after = post?.type === "claimableBalance" ? post.claimableBalance.amount : 0n;
        add(m, claimableBalanceStrkey(cb.balanceId), assetParts(cb.asset), after - before);
        break;
      }
      case "liquidityPool": {
        const lp = data.liquidityPool;
        const params = lp.body.constantProduct.params;
        const holder = liquidityPoolStrkey(view(lp.liquidityPoolId));
        const reserves = (x: xdr.LedgerEntryData | undefined) => {
          const cp = x?.type === "liquidityPool" ? x.liquidityPool.body.constantProduct : undefined;
          return [cp?.reserveA ?? 0n, cp?.reserveB ?? 0n] as const;
        };
        const [preA, preB] = reserves(pre);
        const [postA, postB] = reserves(post);
        add(m, holder, assetParts(params.assetA), postA - preA);
        add(m, holder, assetParts(params.assetB), postB - preB);
        break;
      }
    }
  }
  return m;
}

export function reconcileTokenTransfers(ctx: ChangeInput): Reconciliation {
  const lc = ledgerChanges(ctx.lcm);
  const fee = byTx(lc.fee);
  const refunds = byTx(lc.feeRefunds);
  const txs = transactionTokenTransfers(ctx);
  const mismatches: BalanceMismatch[] = [];
  for (const { tx, events } of txs) {
    const t = lc.transactions[tx.proc.index - 1];
    const changes = [
      ...(fee.get(tx.proc.index) ?? []),
      ...(t?.before ?? []),
      ...(t?.operations.flat() ?? []),
      ...(t?.after ?? []),
      ...(refunds.get(tx.proc.index) ?? []),
    ];
    const fromEvents = eventDeltas([...events.fees, ...events.operations]);
    const fromChanges = changeDeltas(changes);
    for (const k of new Set([...fromEvents.keys(), ...fromChanges.keys()])) {
      const ev = fromEvents.get(k) ?? 0n;
      const ch = fromChanges.get(k) ?? 0n;
      if (ev === ch) continue;
      const [holder, asset] = k.split(SEP) as [string, string];
      mismatches.push({ ledger: ctx.sequence, txHash: tx.hash, holder, asset, events: ev, changes: ch });
    }
  }
  return { ledger: ctx.sequence, transactions: txs.length, mismatches };
}

/** One line per mismatch, for `_meta_quality.details`. */
export function describeMismatches(r: Reconciliation): string {
  if (r.mismatches.length === 0)
    return `ledger ${r.ledger}: token transfers equal the balance changes of all ${r.transactions} transactions`;
  return r.mismatches
    .map(
      (m) =>
        `ledger ${m.ledger} tx ${m.txHash}: ${m.holder} ${m.asset}: token transfers ${m.events}, balance changes ${m.changes}`,
    )
    .join("\n");
}
