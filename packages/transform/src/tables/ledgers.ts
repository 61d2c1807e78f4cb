import { StrKey, type xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import { txBody, txSetEnvelopes } from "../changes/envelopes";
import { base64, hex, rfc3339 } from "../changes/format";
import { entryTypeName } from "../changes/keys";
import { evictedKeysOf, lcmBody } from "../changes/ledger";
import { xdrBase64 } from "../changes/raw-xdr";
import type { ChangeInput } from "../changes/snapshot";
import { LedgerKeyArm } from "../xdr-arms";
import { coreTransactions } from "./core-common";

/**
 * The close value's signature: STELLAR_VALUE_SIGNED carries it directly; a protocol 28 empty-tx-set ledger
 * (CAP-83, STELLAR_VALUE_EMPTY_TX_SET) carries the value the validators proposed, signed, so its node id and
 * signature come from there (a basic value has neither).
 */
export function closeValueSignature(header: xdr.LedgerHeader): xdr.LedgerCloseValueSignature | null {
  const ext = header.scpValue.ext;
  switch (ext.type) {
    case "stellarValueSigned":
      return ext.lcValueSignature;
    case "stellarValueEmptyTxSet":
      return ext.proposedValue.lcValueSignature;
    case "stellarValueBasic":
      return null;
  }
}

/**
 * ledgers_row_v2: one row per ledger. Counts follow Hubble: transaction_count and operation_count cover
 * successful transactions only; tx_set_operation_count covers the whole set.
 */
export function ledgersRows(ctx: ChangeInput): Rows["ledgers_row_v2"][] {
  const body = lcmBody(ctx.lcm);
  const entry = body.ledgerHeader;
  const header = entry.header;
  const txs = coreTransactions(ctx);
  const ok = txs.filter((t) => t.successful);
  let sorobanFeeWrite1kb: bigint | null = null;
  let stateSize: bigint | null = null;
  let evicted: number | null = null;
  if (ctx.lcm.type === "v1") {
    const v1 = ctx.lcm.v1;
    if (v1.ext.type === "v1") sorobanFeeWrite1kb = v1.ext.v1.sorobanFeeWrite1Kb;
    stateSize = v1.totalByteSizeOfLiveSorobanState;
    evicted = v1.evictedKeys.length + v1.unused.length;
  } else if (ctx.lcm.type === "v2") {
    const v2 = ctx.lcm.v2;
    if (v2.ext.type === "v1") sorobanFeeWrite1kb = v2.ext.v1.sorobanFeeWrite1Kb;
    stateSize = v2.totalByteSizeOfLiveSorobanState;
    evicted = v2.evictedKeys.length;
  }
  const signed = closeValueSignature(header);
  return [
    {
      sequence: BigInt(ctx.sequence),
      ledger_hash: hex(entry.hash),
      previous_ledger_hash: hex(header.previousLedgerHash),
      closed_at: ctx.closedAt,
      protocol_version: header.ledgerVersion,
      total_coins: header.totalCoins,
      fee_pool: header.feePool,
      base_fee: header.baseFee,
      base_reserve: header.baseReserve,
      max_tx_set_size: header.maxTxSetSize,
      successful_tx_count: ok.length,
      failed_tx_count: txs.length - ok.length,
      ingestion_timestamp: null,
      ledger_range: (BigInt(ctx.sequence) / 10000n) * 10000n,
      transaction_count: ok.length,
      operation_count: ok.reduce((n, t) => n + t.operations.length, 0),
      tx_set_operation_count: txs.reduce((n, t) => n + t.operations.length, 0),
      soroban_fee_write1kb: sorobanFeeWrite1kb,
      node_id: signed ? StrKey.encodeEd25519PublicKey(signed.nodeId.ed25519.value) : null,
      signature: signed ? base64(signed.signature) : null,
      ledger_header: xdrBase64(header),
      bucket_list_size: stateSize,
      live_soroban_state_size: stateSize,
      evicted_keys_count: evicted,
      era_id: null,
      version_label: null,
    },
  ];
}

/** Hubble `history_ledgers` records (stellar-etl LedgerOutput, hubble-semantics §4.2). */
export function ledgersRecords(ctx: ChangeInput): Record<string, unknown>[] {
  const body = lcmBody(ctx.lcm);
  const entry = body.ledgerHeader;
  const header = entry.header;
  const txs = coreTransactions(ctx);
  const ok = txs.filter((t) => t.successful);
  let feeWrite1kb = 0n;
  let stateSize = 0n;
  if (ctx.lcm.type === "v1" || ctx.lcm.type === "v2") {
    const m = ctx.lcm.value;
    if (m.ext.type === "v1") feeWrite1kb = m.ext.v1.sorobanFeeWrite1Kb;
    stateSize = m.totalByteSizeOfLiveSorobanState;
  }
  const evicted = ctx.lcm.type === "v0" ? null : evictedKeysOf(ctx.lcm);
  const signed = closeValueSignature(header);
  const setOps = txSetEnvelopes(ctx.lcm).reduce((n, e) => n + txBody(e).operations.length, 0);
  return [
    {
      base_fee: header.baseFee,
      base_reserve: header.baseReserve,
      closed_at: rfc3339(ctx.closedAt),
      evicted_ledger_keys_hash: evicted ? evicted.map((k) => k.toXdr("base64")) : null,
      evicted_ledger_keys_type: evicted ? evicted.map((k) => entryTypeName(LedgerKeyArm[k.type])) : null,
      failed_transaction_count: txs.length - ok.length,
      fee_pool: header.feePool,
      id: BigInt(ctx.sequence) << 32n,
      ledger_hash: hex(entry.hash),
      ledger_header: xdrBase64(header),
      max_tx_set_size: header.maxTxSetSize,
      node_id: signed ? StrKey.encodeEd25519PublicKey(signed.nodeId.ed25519.value) : "",
      operation_count: ok.reduce((n, t) => n + t.operations.length, 0),
      previous_ledger_hash: hex(header.previousLedgerHash),
      protocol_version: header.ledgerVersion,
      sequence: ctx.sequence,
      signature: signed ? base64(signed.signature) : "",
      soroban_fee_write_1kb: feeWrite1kb,
      successful_transaction_count: ok.length,
      total_byte_size_of_bucket_list: stateSize,
      total_byte_size_of_live_soroban_state: stateSize,
      total_coins: header.totalCoins,
      transaction_count: ok.length,
      tx_set_operation_count: String(setOps),
    },
  ];
}

export type { xdr };
