/**
 * What the ledgers, transactions and operations tables share: each transaction of the ledger in apply order
 * with its envelope, result, meta and the body fields those tables read.
 */
import { StrKey, type xdr } from "@stellar/stellar-sdk/base";
import { envelopesInApplyOrder, txBody } from "../changes/envelopes";
import { accountIdString, hex, muxedBaseAddress } from "../changes/format";
import { type TxProcessing, txProcessingOf } from "../changes/ledger";
import type { ChangeInput } from "../changes/snapshot";
import { toid } from "../changes/trades";

export interface CoreTx {
  readonly proc: TxProcessing;
  readonly envelope: xdr.TransactionEnvelope;
  readonly hash: string;
  readonly successful: boolean;
  readonly operations: xdr.Operation[];
  readonly source: xdr.MuxedAccount;
  readonly sorobanData: xdr.SorobanTransactionData | null;
  readonly transactionId: bigint;
}

/** txSUCCESS or txFEE_BUMP_INNER_SUCCESS. */
export function isSuccess(result: xdr.TransactionResult): boolean {
  const code = result.result.type;
  return code === "txSuccess" || code === "txFeeBumpInnerSuccess";
}

const cache = new WeakMap<xdr.LedgerCloseMeta, CoreTx[]>();

export class MissingEnvelopeError extends Error {
  override readonly name = "MissingEnvelopeError";
}

/** The ledger's transactions in apply order, each matched to its envelope (by network hash). */
export function coreTransactions(ctx: ChangeInput): CoreTx[] {
  const hit = cache.get(ctx.lcm);
  if (hit) return hit;
  const envelopes = ctx.envelopes ?? envelopesInApplyOrder(ctx.lcm, ctx.networkPassphrase);
  const out = txProcessingOf(ctx.lcm).map((proc, i) => {
    const envelope = envelopes[i];
    const hash = hex(proc.result.transactionHash);
    if (!envelope) {
      throw new MissingEnvelopeError(
        `ledger ${ctx.sequence}: no envelope in the tx set hashes to ${hash} under the network passphrase '${ctx.networkPassphrase}' (wrong network?)`,
      );
    }
    const body = txBody(envelope);
    return {
      proc,
      envelope,
      hash,
      successful: isSuccess(proc.result.result),
      operations: body.operations,
      source: body.source,
      sorobanData: body.sorobanData,
      transactionId: toid(ctx.sequence, proc.index, 0),
    };
  });
  cache.set(ctx.lcm, out);
  return out;
}

/** G… address of a muxed account's underlying account. */
export function baseAccount(m: xdr.MuxedAccount): string {
  return muxedBaseAddress(m);
}

/** M… address when the account is muxed, else null. */
export function muxedAddress(m: xdr.MuxedAccount): string | null {
  if (m.type === "keyTypeEd25519") return null;
  const med = m.med25519;
  const raw = Buffer.alloc(40);
  raw.set(med.ed25519.value, 0);
  raw.writeBigUInt64BE(med.id, 32);
  return StrKey.encodeMed25519PublicKey(raw);
}

/** Go-style enum name as stellar-etl prints result codes: `txSuccess` → `TransactionResultCodeTxSuccess`. */
export function goEnumName(prefix: string, name: string): string {
  return prefix + name.charAt(0).toUpperCase() + name.slice(1);
}

export { accountIdString };
