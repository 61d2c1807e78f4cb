/**
 * Every effect of a ledger as stellar-etl's export_effects computes them: successful transactions only, in
 * apply order, then operation order; within an operation the op-specific effects, then per change (in
 * GetOperationChanges order) the entry and signer sponsorship effects, then per change the pool
 * created/removed effects. `index` counts from 0 within the operation; the id is "<op TOID>-<index>".
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import { ledgerChanges } from "../changes/reader";
import type { ChangeInput } from "../changes/snapshot";
import { toid } from "../changes/trades";
import { coreTransactions } from "../tables/core-common";
import {
  accountMergeEffects,
  bumpSequenceEffects,
  createAccountEffects,
  inflationEffects,
  manageDataEffects,
  paymentEffects,
  setOptionsEffects,
} from "./accounts";
import {
  claimClaimableBalanceEffects,
  clawbackClaimableBalanceEffects,
  clawbackEffects,
  createClaimableBalanceEffects,
} from "./claimable-balances";
import {
  liquidityPoolDepositEffects,
  liquidityPoolWithdrawEffects,
  poolEntryEffects,
} from "./liquidity-pools";
import { extendFootprintTtlEffects, invokeHostFunctionEffects, restoreFootprintEffects } from "./soroban";
import { ledgerEntrySponsorshipEffects, signerSponsorshipEffects } from "./sponsorship";
import { offerEffects, pathPaymentStrictReceiveEffects, pathPaymentStrictSendEffects } from "./trades";
import { allowTrustEffects, changeTrustEffects, setTrustLineFlagsEffects } from "./trustlines";
import { type Details, type EffectCode, effectTypeNames, OpEffects } from "./types";

export { EffectType, effectTypeNames } from "./types";

export interface LedgerEffect {
  readonly txIndex: number;
  readonly txHash: string;
  /** 0-based operation index in the (inner) transaction. */
  readonly opIndex: number;
  readonly operationId: bigint;
  /** 0-based position among the operation's effects. */
  readonly index: number;
  /** "<operation TOID>-<index>". */
  readonly id: string;
  readonly address: string;
  readonly addressMuxed: string | null;
  readonly type: EffectCode;
  readonly typeString: string;
  readonly details: Details;
}

/** Op-specific effects by OperationType value (begin/end/revoke sponsorship have none of their own). */
const BY_TYPE: Record<number, (e: OpEffects) => void> = {
  0: createAccountEffects,
  1: paymentEffects,
  2: pathPaymentStrictReceiveEffects,
  3: offerEffects,
  4: offerEffects,
  5: setOptionsEffects,
  6: changeTrustEffects,
  7: allowTrustEffects,
  8: accountMergeEffects,
  9: inflationEffects,
  10: manageDataEffects,
  11: bumpSequenceEffects,
  12: offerEffects,
  13: pathPaymentStrictSendEffects,
  14: createClaimableBalanceEffects,
  15: claimClaimableBalanceEffects,
  16: () => {},
  17: () => {},
  18: () => {},
  19: clawbackEffects,
  20: clawbackClaimableBalanceEffects,
  21: setTrustLineFlagsEffects,
  22: liquidityPoolDepositEffects,
  23: liquidityPoolWithdrawEffects,
  24: invokeHostFunctionEffects,
  25: extendFootprintTtlEffects,
  26: restoreFootprintEffects,
};

function opResults(res: xdr.TransactionResult): xdr.OperationResult[] {
  const r = res.result;
  if (r.type === "txFeeBumpInnerSuccess" || r.type === "txFeeBumpInnerFailed") {
    const inner = r.innerResultPair.result.result;
    return inner.type === "txSuccess" || inner.type === "txFailed" ? inner.results : [];
  }
  if (r.type === "txSuccess" || r.type === "txFailed") return r.results;
  return [];
}

/** Per decoded ledger and passphrase (SAC contract ids depend on the network). */
const cache = new WeakMap<xdr.LedgerCloseMeta, { passphrase: string; effects: LedgerEffect[] }>();

export function ledgerEffects(ctx: ChangeInput): LedgerEffect[] {
  const hit = cache.get(ctx.lcm);
  if (hit && hit.passphrase === ctx.networkPassphrase) return hit.effects;
  const out: LedgerEffect[] = [];
  const changes = ledgerChanges(ctx.lcm);
  for (const tx of coreTransactions(ctx)) {
    if (!tx.successful) continue;
    const results = opResults(tx.proc.result.result);
    const txChanges = changes.transactions[tx.proc.index - 1];
    tx.operations.forEach((op, opIndex) => {
      const operationId = toid(ctx.sequence, tx.proc.index, opIndex + 1);
      const r = results[opIndex];
      const tr = r && r.type === "opInner" ? r.tr : null;
      const opChanges = txChanges?.operations[opIndex] ?? [];
      const e = new OpEffects(ctx, tx, opIndex, op, tr, opChanges, operationId);
      const fn = BY_TYPE[e.opType];
      if (!fn) throw new Error(`operation ${operationId}: unknown operation type ${e.opType}`);
      try {
        fn(e);
        for (const c of opChanges) {
          ledgerEntrySponsorshipEffects(e, c);
          signerSponsorshipEffects(e, c);
        }
        for (const c of opChanges) poolEntryEffects(e, c);
      } catch (err) {
        (err as Error).message = `reading operation ${operationId} effects: ${(err as Error).message}`;
        throw err;
      }
      e.out.forEach((fx, index) => {
        out.push({
          txIndex: tx.proc.index,
          txHash: tx.hash,
          opIndex,
          operationId,
          index,
          id: `${operationId}-${index}`,
          address: fx.address,
          addressMuxed: fx.addressMuxed,
          type: fx.type,
          typeString: effectTypeNames[fx.type] as string,
          details: fx.details,
        });
      });
    });
  }
  cache.set(ctx.lcm, { passphrase: ctx.networkPassphrase, effects: out });
  return out;
}
