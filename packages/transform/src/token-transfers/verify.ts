/**
 * The per-ledger reconciliation of go-stellar-sdk's VerifyEvents: for every transaction, the balance change
 * each (holder, asset) gets from its token transfers equals the one its ledger changes show (fee changes, the
 * transaction's changes, the post-apply fee refunds). Holders are accounts (native balance), trust lines
 * (credit assets; pool shares are not tokens), claimable balances (B…) and liquidity pool reserves (L…);
 * contract holders are left out (a contract's balance is not a standard ledger entry), as are tokens with
 * no classic asset. A mismatch names the ledger, transaction, holder and asset.
 */
import { StrKey, type xdr } from "@stellar/stellar-base";
import { type AssetParts, assetParts } from "../changes/format";
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
const POOL_SHARES = 3;

function changeDeltas(changes: readonly EntryChange[]): Deltas {
  const m: Deltas = new Map();
  const entry = (c: EntryChange) => (c.post ?? c.pre) as xdr.LedgerEntry;
  for (const c of changes) {
    switch (c.entryType) {
      case ENTRY_ACCOUNT: {
        const holder = accountStrkey(entry(c).data().account().accountId().ed25519());
        const pre = c.pre?.data().account().balance().toBigInt() ?? 0n;
        const post = c.post?.data().account().balance().toBigInt() ?? 0n;
        add(m, holder, NATIVE_ASSET, post - pre);
        break;
      }
      case ENTRY_TRUSTLINE: {
        const tl = entry(c).data().trustLine();
        if (tl.asset().switch().value === POOL_SHARES) break;
        const pre = c.pre?.data().trustLine().balance().toBigInt() ?? 0n;
        const post = c.post?.data().trustLine().balance().toBigInt() ?? 0n;
        add(m, accountStrkey(tl.accountId().ed25519()), assetParts(tl.asset()), post - pre);
        break;
      }
      case ENTRY_CLAIMABLE_BALANCE: {
        const cb = entry(c).data().claimableBalance();
        const pre = c.pre?.data().claimableBalance().amount().toBigInt() ?? 0n;
        const post = c.post?.data().claimableBalance().amount().toBigInt() ?? 0n;
        add(m, claimableBalanceStrkey(cb.balanceId()), assetParts(cb.asset()), post - pre);
        break;
      }
      case ENTRY_LIQUIDITY_POOL: {
        const lp = entry(c).data().liquidityPool();
        const params = lp.body().constantProduct().params();
        const holder = liquidityPoolStrkey(lp.liquidityPoolId() as unknown as Buffer);
        const reserves = (x: xdr.LedgerEntry | null) => {
          const cp = x?.data().liquidityPool().body().constantProduct();
          return [cp?.reserveA().toBigInt() ?? 0n, cp?.reserveB().toBigInt() ?? 0n] as const;
        };
        const [preA, preB] = reserves(c.pre);
        const [postA, postB] = reserves(c.post);
        add(m, holder, assetParts(params.assetA()), postA - preA);
        add(m, holder, assetParts(params.assetB()), postB - preB);
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
