import { SignerKey, type xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { base64, bytesEqual, hex, plainStringsJson, rfc3339, xdrString } from "../changes/format";
import { dataOf, lcmBody } from "../changes/ledger";
import { bytesBetween, xdrBase64, xdrBytes } from "../changes/raw-xdr";
import type { ChangeInput } from "../changes/snapshot";
import { encodeStrkey, VERSION_ACCOUNT } from "../changes/strkey-cache";
import { flat } from "../ndjson";
import { baseAccount, type CoreTx, coreTransactions, goEnumName, muxedAddress } from "./core-common";

/** The transaction a fee bump wraps, or the envelope's own (V0 or V1). */
function innerTx(env: xdr.TransactionEnvelope): xdr.TransactionV0 | xdr.Transaction {
  switch (env.type) {
    case "envelopeTypeTxV0":
      return env.v0.tx;
    case "envelopeTypeTx":
      return env.v1.tx;
    case "envelopeTypeTxFeeBump":
      return env.feeBump.tx.innerTx.v1.tx;
  }
}

function memoOf(env: xdr.TransactionEnvelope): { type: string; value: string | null } {
  const m = innerTx(env).memo;
  switch (m.type) {
    case "memoText":
      return { type: "text", value: xdrString(m.text) };
    case "memoId":
      return { type: "id", value: m.id.toString() };
    case "memoHash":
      return { type: "hash", value: base64(m.hash) };
    case "memoReturn":
      return { type: "return", value: base64(m.retHash) };
    case "memoNone":
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

// Helpers at module level rather than closures per transaction: tsx's keepNames wraps each closure creation.
function setTimeBounds(out: Bounds, tb: xdr.TimeBounds | null | undefined): void {
  if (!tb) return;
  out.minTime = tb.minTime;
  out.maxTime = tb.maxTime;
}

/** One fixed-shape object, filled in place (the spread-merged variants were a hot spot per transaction). */
function boundsOf(env: xdr.TransactionEnvelope): Bounds {
  const out: Bounds = {
    minTime: null,
    maxTime: null,
    minLedger: null,
    maxLedger: null,
    minSeq: null,
    minSeqAge: null,
    extraSigners: null,
  };
  const tx = innerTx(env);
  if (env.type === "envelopeTypeTxV0") {
    setTimeBounds(out, (tx as xdr.TransactionV0).timeBounds);
    return out;
  }
  const c = (tx as xdr.Transaction).cond;
  switch (c.type) {
    case "precondTime":
      setTimeBounds(out, c.timeBounds);
      return out;
    case "precondV2": {
      const v2 = c.v2;
      const lb = v2.ledgerBounds;
      setTimeBounds(out, v2.timeBounds);
      out.minLedger = lb ? BigInt(lb.minLedger) : null;
      out.maxLedger = lb ? BigInt(lb.maxLedger) : null;
      out.minSeq = v2.minSeqNum ?? null;
      out.minSeqAge = v2.minSeqAge;
      out.extraSigners = v2.extraSigners.length
        ? JSON.stringify(v2.extraSigners.map((s) => s.toXdr("base64")))
        : null;
      return out;
    }
    default:
      return out;
  }
}

function signaturesOf(env: xdr.TransactionEnvelope): xdr.DecoratedSignature[] {
  switch (env.type) {
    case "envelopeTypeTxV0":
      return env.v0.signatures;
    case "envelopeTypeTx":
      return env.v1.signatures;
    case "envelopeTypeTxFeeBump":
      return env.feeBump.signatures;
  }
}

function sorobanEventsCount(meta: xdr.TransactionMeta): number | null {
  if (meta.type === "v3") return meta.v3.sorobanMeta?.events.length ?? null;
  if (meta.type === "v4") return meta.v4.operations.reduce((n, op) => n + op.events.length, 0);
  return null;
}

function hostFunction(t: CoreTx): { type: string | null; contract: string | null } {
  const op = t.operations[0];
  if (op?.body.type !== "invokeHostFunction") return { type: null, contract: null };
  const fn = op.body.invokeHostFunctionOp.hostFunction;
  let contract: string | null = null;
  if (fn.type === "hostFunctionTypeInvokeContract") {
    const addr = fn.invokeContract.contractAddress;
    if (addr.type === "scAddressTypeContract") contract = hex(addr.contractId);
  }
  return { type: fn.type, contract };
}

/** tx_fee_meta: the feeProcessing bytes as they sit between the result and the meta in the ledger. */
function feeMetaBase64(t: CoreTx): string {
  const raw = bytesBetween(t.proc.result, t.proc.meta);
  return (raw ?? entryChangesXdr(t.proc.feeProcessing)).toString("base64");
}

/** XDR `LedgerEntryChanges` (a variable-length array): count, then each change. */
function entryChangesXdr(changes: readonly xdr.LedgerEntryChange[]): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(changes.length, 0);
  return Buffer.concat([count, ...changes.map((c) => c.toXdr())]);
}

const MEMO_TYPES: Record<string, string> = {
  none: "MemoTypeMemoNone",
  text: "MemoTypeMemoText",
  id: "MemoTypeMemoId",
  hash: "MemoTypeMemoHash",
  return: "MemoTypeMemoReturn",
};

/** Hubble's tx_signers: each decorated signature (outer envelope) as a G-version strkey of its 64 bytes. */
function txSigners(env: xdr.TransactionEnvelope): string[] {
  const sigs = signaturesOf(env);
  const out: string[] = new Array(sigs.length);
  for (let i = 0; i < sigs.length; i++)
    out[i] = encodeStrkey(VERSION_ACCOUNT, (sigs[i] as xdr.DecoratedSignature).signature.value);
  return out;
}

/** The fee account's balance in an entry change list: last STATE (start) and last UPDATED (end). */
function feeAccountBalances(
  changes: readonly xdr.LedgerEntryChange[],
  account: Uint8Array | null,
  into: { start: bigint; end: bigint },
): void {
  if (!account) return;
  for (const c of changes) {
    if (c.type !== "ledgerEntryUpdated" && c.type !== "ledgerEntryState") continue;
    const e = c.type === "ledgerEntryState" ? c.state : c.updated;
    if (e.data.type !== "account") continue;
    const acc = dataOf(e, "account").account;
    if (!bytesEqual(account, acc.accountId.ed25519.value)) continue;
    if (c.type === "ledgerEntryState") into.start = acc.balance;
    else into.end = acc.balance;
  }
}

export interface SorobanFees {
  readonly resourceFee: bigint;
  readonly inclusionFeeBid: bigint;
  readonly inclusionFeeCharged: bigint;
  readonly resourceFeeRefund: bigint;
  readonly nonRefundableCharged: bigint;
  readonly refundableCharged: bigint;
  readonly rentCharged: bigint;
}

/**
 * stellar-etl's Soroban fee breakdown (hubble-semantics §4.1). The fee account is matched by its address
 * string, so a muxed (M…) fee account never matches and its balances count as 0, as in stellar-etl.
 */
export function sorobanFees(t: CoreTx): SorobanFees | null {
  if (!t.sorobanData) return null;
  const env = t.envelope;
  const feeBump = env.type === "envelopeTypeTxFeeBump" ? env.feeBump : null;
  const resourceFee = t.sorobanData.resourceFee;
  const outerFee = feeBump ? feeBump.tx.fee : BigInt(innerTx(env).fee);
  const feeSource = feeBump ? feeBump.tx.feeSource : t.source;
  // A muxed fee account never matches (stellar-etl compares M… addresses with G… entry owners).
  const account = feeSource.type === "keyTypeEd25519" ? feeSource.ed25519.value : null;
  const charged = { start: 0n, end: 0n };
  feeAccountBalances(t.proc.feeProcessing, account, charged);
  const refund = { start: 0n, end: 0n };
  const meta = t.proc.meta;
  let ext: xdr.SorobanTransactionMetaExt | null = null;
  if (meta.type === "v3") {
    feeAccountBalances(meta.v3.txChangesAfter, account, refund);
    ext = meta.v3.sorobanMeta?.ext ?? null;
  } else if (meta.type === "v4") {
    // In sequence: the refund's last STATE/UPDATED wins, as over the concatenated lists.
    feeAccountBalances(meta.v4.txChangesAfter, account, refund);
    feeAccountBalances(t.proc.postApplyFeeProcessing, account, refund);
    ext = meta.v4.sorobanMeta?.ext ?? null;
  }
  const v1 = ext && ext.type === "v1" ? ext.v1 : null;
  return {
    resourceFee,
    inclusionFeeBid: outerFee - resourceFee,
    inclusionFeeCharged: charged.start - charged.end - resourceFee,
    resourceFeeRefund: refund.end - refund.start,
    nonRefundableCharged: v1 ? v1.totalNonRefundableResourceFeeCharged : 0n,
    refundableCharged: v1 ? v1.totalRefundableResourceFeeCharged : 0n,
    rentCharged: v1 ? v1.rentFeeCharged : 0n,
  };
}

function archivedEntries(data: xdr.SorobanTransactionData | null): number[] | null {
  if (!data) return null;
  const ext = data.ext;
  return ext.type === "resourceExt" ? ext.resourceExt.archivedSorobanEntries : null;
}

function bounds(min: bigint, max: bigint, openEnd: boolean): string {
  return `[${min},${openEnd && max === 0n ? "" : max})`;
}

/** Hubble `history_transactions` records (stellar-etl TransactionOutput, hubble-semantics §4.1). */
export function transactionsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  const protocol = lcmBody(ctx.lcm).ledgerHeader.header.ledgerVersion;
  const closedAt = rfc3339(ctx.closedAt);
  return coreTransactions(ctx).map((t) => {
    const env = t.envelope;
    const res = t.proc.result.result;
    const feeBump = env.type === "envelopeTypeTxFeeBump";
    const tx = innerTx(env);
    const memo = memoOf(env);
    const b = boundsOf(env);
    const fees = sorobanFees(t);
    const resources = t.sorobanData?.resources;
    let v2: xdr.PreconditionsV2 | null = null;
    if (env.type !== "envelopeTypeTxV0") {
      const c = (tx as xdr.Transaction).cond;
      if (c.type === "precondV2") v2 = c.v2;
    }
    let feeCharged = res.feeCharged;
    if (feeBump && fees && protocol < 21) feeCharged = fees.resourceFee - fees.resourceFeeRefund;
    const muxed = muxedAddress(t.source);
    const record: Record<string, unknown> = {
      account: baseAccount(t.source),
      ...(muxed ? { account_muxed: muxed } : {}),
      account_sequence: tx.seqNum,
      closed_at: closedAt,
      created_at: closedAt,
      extra_signers: v2?.extraSigners.length
        ? v2.extraSigners.map((k) => SignerKey.encodeSignerKey(k))
        : null,
      fee_charged: feeCharged,
      id: t.transactionId,
      inclusion_fee_bid: fees?.inclusionFeeBid ?? 0n,
      inclusion_fee_charged: fees?.inclusionFeeCharged ?? 0n,
      ledger_bounds: b.minLedger === null ? "" : bounds(b.minLedger, b.maxLedger ?? 0n, false),
      ledger_sequence: ctx.sequence,
      max_fee: tx.fee,
      memo: memo.value ?? "",
      memo_type: MEMO_TYPES[memo.type],
      min_account_sequence: v2?.minSeqNum ?? null,
      min_account_sequence_age: v2 ? v2.minSeqAge : null,
      min_account_sequence_ledger_gap: v2 ? v2.minSeqLedgerGap : null,
      non_refundable_resource_fee_charged: fees?.nonRefundableCharged ?? 0n,
      operation_count: t.operations.length,
      refundable_resource_fee_charged: fees?.refundableCharged ?? 0n,
      rent_fee_charged: fees?.rentCharged ?? 0n,
      resource_fee: fees?.resourceFee ?? 0n,
      resource_fee_refund: fees?.resourceFeeRefund ?? 0n,
      soroban_resources_archived_entries: archivedEntries(t.sorobanData),
      soroban_resources_disk_read_bytes: resources ? resources.diskReadBytes : 0,
      soroban_resources_instructions: resources ? resources.instructions : 0,
      soroban_resources_read_bytes: resources ? resources.diskReadBytes : 0,
      soroban_resources_write_bytes: resources ? resources.writeBytes : 0,
      successful: t.successful,
      time_bounds: b.minTime === null ? "" : bounds(b.minTime, b.maxTime ?? 0n, true),
      transaction_hash: t.hash,
      transaction_result_code: goEnumName("TransactionResultCode", res.result.type),
      tx_envelope: xdrBase64(env),
      tx_fee_meta: feeMetaBase64(t),
      tx_meta: xdrBase64(t.proc.meta),
      tx_result: xdrBase64(res),
      tx_signers: txSigners(env),
    };
    if (env.type === "envelopeTypeTxFeeBump") {
      const fb = env.feeBump.tx;
      record.fee_account = baseAccount(fb.feeSource);
      const fm = muxedAddress(fb.feeSource);
      if (fm) record.fee_account_muxed = fm;
      record.inner_transaction_hash = innerTxHash(res);
      record.new_max_fee = fb.fee;
    }
    return record;
  });
}

/** The inner transaction's hash of a fee bump's result (txFEE_BUMP_INNER_SUCCESS / _FAILED). */
function innerTxHash(res: xdr.TransactionResult): string | null {
  const r = res.result;
  return r.type === "txFeeBumpInnerSuccess" || r.type === "txFeeBumpInnerFailed"
    ? hex(r.innerResultPair.transactionHash)
    : null;
}

function keysJson(list: readonly xdr.LedgerKey[]): string {
  const b64: string[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) b64[i] = xdrBase64(list[i] as xdr.LedgerKey);
  return plainStringsJson(b64);
}

/**
 * The Soroban resources as JSON text: the declared limits, the footprint keys (base64 LedgerKey XDR) and
 * the archived entries to restore (protocol 23+ resource ext).
 */
function sorobanResourcesJson(data: xdr.SorobanTransactionData): string {
  // Written directly (the same text JSON.stringify gives): base64 strings and integers need no escaping.
  const r = data.resources;
  const fp = r.footprint;
  const archived = archivedEntries(data) ?? [];
  return flat(
    `{"instructions":${r.instructions},"disk_read_bytes":${r.diskReadBytes},"write_bytes":${r.writeBytes},"footprint":{"read_only":${keysJson(fp.readOnly)},"read_write":${keysJson(fp.readWrite)}},"archived_entries":[${archived.join(",")}]}`,
  );
}

/**
 * transactions_row_v2: one row per transaction in apply order. Soroban fee columns (null for classic txs),
 * with the original pipeline's meaning and Hubble's exact values: soroban_fee_base = the inclusion fee bid
 * (max fee − resource fee, outer fee for fee bumps); soroban_fee_resources = the declared resource fee;
 * soroban_fee_refund = the refund to the fee account (Hubble resource_fee_refund); soroban_fee_charged = the
 * resource fee kept (declared − refund); soroban_fee_wasted = that fee when the tx failed, else 0.
 * soroban_data_resources = the resources as JSON; tx_signers = Hubble's tx_signers list as JSON text.
 */
export function transactionsRows(ctx: ChangeInput): Rows["transactions_row_v2"][] {
  const ledgerSeq = BigInt(ctx.sequence);
  const range = (ledgerSeq / 10000n) * 10000n;
  return coreTransactions(ctx).map((t) => {
    const env = t.envelope;
    const res = t.proc.result.result;
    const fb = env.type === "envelopeTypeTxFeeBump" ? env.feeBump.tx : null;
    const feeBump = fb !== null;
    const tx = innerTx(env);
    const txFee = tx.fee;
    const seq = tx.seqNum;
    const memo = memoOf(env);
    const b = boundsOf(env);
    const resources = t.sorobanData?.resources;
    const hf = hostFunction(t);
    const fees = sorobanFees(t);
    const innerHash = feeBump ? innerTxHash(res) : null;
    return {
      ledger_sequence: ledgerSeq,
      transaction_hash: t.hash,
      source_account: baseAccount(t.source),
      fee_charged: res.feeCharged,
      max_fee: BigInt(txFee),
      successful: t.successful,
      transaction_result_code: goEnumName("TransactionResultCode", res.result.type),
      operation_count: t.operations.length,
      memo_type: memo.type,
      memo: memo.value,
      created_at: ctx.closedAt,
      account_sequence: seq,
      ledger_range: range,
      source_account_muxed: muxedAddress(t.source),
      fee_account_muxed: fb ? muxedAddress(fb.feeSource) : null,
      inner_transaction_hash: innerHash,
      fee_bump_fee: fb ? fb.fee : null,
      max_fee_bid: fb ? fb.fee : null,
      inner_source_account: feeBump ? baseAccount(t.source) : null,
      timebounds_min_time: b.minTime,
      timebounds_max_time: b.maxTime,
      ledgerbounds_min: b.minLedger,
      ledgerbounds_max: b.maxLedger,
      min_sequence_number: b.minSeq,
      min_sequence_age: b.minSeqAge,
      soroban_resources_instructions: resources ? BigInt(resources.instructions) : null,
      soroban_resources_read_bytes: resources ? BigInt(resources.diskReadBytes) : null,
      soroban_resources_write_bytes: resources ? BigInt(resources.writeBytes) : null,
      soroban_data_size_bytes: t.sorobanData ? xdrBytes(t.sorobanData).length : null,
      soroban_data_resources: t.sorobanData ? sorobanResourcesJson(t.sorobanData) : null,
      soroban_fee_base: fees ? fees.inclusionFeeBid : null,
      soroban_fee_resources: fees ? fees.resourceFee : null,
      soroban_fee_refund: fees ? fees.resourceFeeRefund : null,
      soroban_fee_charged: fees ? fees.resourceFee - fees.resourceFeeRefund : null,
      soroban_fee_wasted: fees ? (t.successful ? 0n : fees.resourceFee - fees.resourceFeeRefund) : null,
      soroban_host_function_type: hf.type,
      soroban_contract_id: hf.contract,
      soroban_contract_events_count: sorobanEventsCount(t.proc.meta),
      signatures_count: signaturesOf(env).length,
      new_account: t.operations.some((op) => op.body.type === "createAccount"),
      tx_envelope: xdrBase64(env),
      tx_result: xdrBase64(res),
      tx_meta: xdrBase64(t.proc.meta),
      tx_fee_meta: feeMetaBase64(t),
      tx_signers: plainStringsJson(txSigners(env)),
      extra_signers: b.extraSigners,
      era_id: null,
      version_label: null,
      transaction_id: t.transactionId,
    };
  });
}
