import type { xdr } from "@stellar/stellar-base";
import type { Rows } from "@stellar-lake/schema";
import { hex } from "../changes/format";
import type { ChangeInput } from "../changes/snapshot";
import { baseAccount, type CoreTx, coreTransactions, goEnumName, muxedAddress } from "./core-common";

/** The transaction a fee bump wraps, or the envelope's own (V0 or V1). */
function innerTx(env: xdr.TransactionEnvelope): xdr.TransactionV0 | xdr.Transaction {
  switch (env.switch().value) {
    case 0:
      return env.v0().tx();
    case 2:
      return env.v1().tx();
    default:
      return env.feeBump().tx().innerTx().v1().tx();
  }
}

function memoOf(env: xdr.TransactionEnvelope): { type: string; value: string | null } {
  const m = innerTx(env).memo();
  switch (m.switch().value) {
    case 1:
      return { type: "text", value: Buffer.from(m.text() as unknown as Buffer).toString("utf8") };
    case 2:
      return { type: "id", value: m.id().toString() };
    case 3:
      return { type: "hash", value: Buffer.from(m.hash()).toString("base64") };
    case 4:
      return { type: "return", value: Buffer.from(m.retHash()).toString("base64") };
    default:
      return { type: "none", value: null };
  }
}

interface Bounds {
  minTime: bigint | null;
  maxTime: bigint | null;
  minLedger: bigint | null;
  maxLedger: bigint | null;
  minSeq: bigint | null;
  minSeqAge: bigint | null;
  extraSigners: string | null;
}

function boundsOf(env: xdr.TransactionEnvelope): Bounds {
  const none: Bounds = {
    minTime: null,
    maxTime: null,
    minLedger: null,
    maxLedger: null,
    minSeq: null,
    minSeqAge: null,
    extraSigners: null,
  };
  const time = (tb: xdr.TimeBounds | null | undefined) =>
    tb ? { minTime: tb.minTime().toBigInt(), maxTime: tb.maxTime().toBigInt() } : {};
  const tx = innerTx(env);
  if (env.switch().value === 0) return { ...none, ...time((tx as xdr.TransactionV0).timeBounds()) };
  const c = (tx as xdr.Transaction).cond();
  switch (c.switch().value) {
    case 1:
      return { ...none, ...time(c.timeBounds()) };
    case 2: {
      const v2 = c.v2();
      const lb = v2.ledgerBounds();
      return {
        ...none,
        ...time(v2.timeBounds()),
        minLedger: lb ? BigInt(lb.minLedger()) : null,
        maxLedger: lb ? BigInt(lb.maxLedger()) : null,
        minSeq: v2.minSeqNum()?.toBigInt() ?? null,
        minSeqAge: v2.minSeqAge().toBigInt(),
        extraSigners: v2.extraSigners().length
          ? JSON.stringify(v2.extraSigners().map((s) => s.toXDR("base64")))
          : null,
      };
    }
    default:
      return none;
  }
}

function signaturesOf(env: xdr.TransactionEnvelope): xdr.DecoratedSignature[] {
  switch (env.switch().value) {
    case 0:
      return env.v0().signatures();
    case 2:
      return env.v1().signatures();
    default:
      return env.feeBump().signatures();
  }
}

function sorobanEventsCount(meta: xdr.TransactionMeta): number | null {
  if (meta.switch() === 3) return meta.v3().sorobanMeta()?.events().length ?? null;
  if (meta.switch() === 4)
    return meta
      .v4()
      .operations()
      .reduce((n, op) => n + op.events().length, 0);
  return null;
}

function hostFunction(t: CoreTx): { type: string | null; contract: string | null } {
  const op = t.operations[0];
  if (op?.body().switch().value !== 24) return { type: null, contract: null };
  const fn = op.body().invokeHostFunctionOp().hostFunction();
  let contract: string | null = null;
  if (fn.switch().value === 0) {
    const addr = fn.invokeContract().contractAddress();
    if (addr.switch().value === 1) contract = hex(addr.contractId() as unknown as Buffer);
  }
  return { type: fn.switch().name, contract };
}

/** XDR `LedgerEntryChanges` (a variable-length array): count, then each change. */
function entryChangesXdr(changes: readonly xdr.LedgerEntryChange[]): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(changes.length, 0);
  return Buffer.concat([count, ...changes.map((c) => c.toXDR())]);
}

/** transactions_row_v2: one row per transaction in apply order. */
export function transactionsRows(ctx: ChangeInput): Rows["transactions_row_v2"][] {
  return coreTransactions(ctx).map((t) => {
    const env = t.envelope;
    const res = t.proc.result.result();
    const feeBump = env.switch().value === 5;
    const tx = innerTx(env);
    const txFee = tx.fee();
    const seq = tx.seqNum();
    const memo = memoOf(env);
    const b = boundsOf(env);
    const resources = t.sorobanData?.resources();
    const hf = hostFunction(t);
    const innerHash = feeBump ? hex(res.result().innerResultPair().transactionHash()) : null;
    return {
      ledger_sequence: BigInt(ctx.sequence),
      transaction_hash: t.hash,
      source_account: baseAccount(t.source),
      fee_charged: res.feeCharged().toBigInt(),
      max_fee: BigInt(txFee),
      successful: t.successful,
      transaction_result_code: goEnumName("TransactionResultCode", res.result().switch().name),
      operation_count: t.operations.length,
      memo_type: memo.type,
      memo: memo.value,
      created_at: ctx.closedAt,
      account_sequence: seq.toBigInt(),
      ledger_range: (BigInt(ctx.sequence) / 10000n) * 10000n,
      source_account_muxed: muxedAddress(t.source),
      fee_account_muxed: feeBump ? muxedAddress(env.feeBump().tx().feeSource()) : null,
      inner_transaction_hash: innerHash,
      fee_bump_fee: feeBump ? env.feeBump().tx().fee().toBigInt() : null,
      max_fee_bid: feeBump ? env.feeBump().tx().fee().toBigInt() : null,
      inner_source_account: feeBump ? baseAccount(t.source) : null,
      timebounds_min_time: b.minTime,
      timebounds_max_time: b.maxTime,
      ledgerbounds_min: b.minLedger,
      ledgerbounds_max: b.maxLedger,
      min_sequence_number: b.minSeq,
      min_sequence_age: b.minSeqAge,
      soroban_resources_instructions: resources ? BigInt(resources.instructions()) : null,
      soroban_resources_read_bytes: resources ? BigInt(resources.diskReadBytes()) : null,
      soroban_resources_write_bytes: resources ? BigInt(resources.writeBytes()) : null,
      soroban_data_size_bytes: t.sorobanData ? t.sorobanData.toXDR().length : null,
      soroban_data_resources: null,
      soroban_fee_base: t.sorobanData ? t.sorobanData.resourceFee().toBigInt() : null,
      soroban_fee_resources: null,
      soroban_fee_refund: null,
      soroban_fee_charged: null,
      soroban_fee_wasted: null,
      soroban_host_function_type: hf.type,
      soroban_contract_id: hf.contract,
      soroban_contract_events_count: sorobanEventsCount(t.proc.meta),
      signatures_count: signaturesOf(env).length,
      new_account: t.operations.some((op) => op.body().switch().value === 0),
      tx_envelope: env.toXDR("base64"),
      tx_result: t.proc.result.result().toXDR("base64"),
      tx_meta: t.proc.meta.toXDR("base64"),
      tx_fee_meta: entryChangesXdr(t.proc.feeProcessing).toString("base64"),
      tx_signers: null,
      extra_signers: b.extraSigners,
      era_id: null,
      version_label: null,
      transaction_id: t.transactionId,
    };
  });
}
