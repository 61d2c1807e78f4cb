/**
 * Transaction envelopes in apply order, matched to TxProcessing results by hash (the SDK's
 * LedgerTransactionReader does the same). Interim helper for the trade/event tables until the shared
 * LedgerContext provides matched envelopes; hashes are computed without building SDK Transaction objects.
 */
import { createHash } from "node:crypto";
import { xdr } from "@stellar/stellar-sdk/base";
import { hex } from "./format";
import { txProcessingOf } from "./ledger";
import { xdrBytes } from "./raw-xdr";

const ENVELOPE_TYPE_TX = Buffer.from([0, 0, 0, 2]);
const ENVELOPE_TYPE_TX_FEE_BUMP = Buffer.from([0, 0, 0, 5]);
const KEY_TYPE_ED25519 = Buffer.from([0, 0, 0, 0]);

/** All envelopes of the ledger's tx set (legacy set, or every phase and component of a generalized set). */
export function txSetEnvelopes(lcm: xdr.LedgerCloseMeta): xdr.TransactionEnvelope[] {
  if (lcm.type === "v0") return lcm.v0.txSet.txs;
  const set = lcm.value.txSet;
  const out: xdr.TransactionEnvelope[] = [];
  for (const phase of set.v1TxSet.phases) {
    if (phase.type === "v0Components") {
      for (const comp of phase.v0Components) out.push(...comp.txsMaybeDiscountedFee.txs);
    } else {
      for (const stage of phase.parallelTxsComponent.executionStages)
        for (const cluster of stage) out.push(...cluster);
    }
  }
  return out;
}

/** The network hash of an envelope (what the result pair's transactionHash holds). */
export function envelopeHash(env: xdr.TransactionEnvelope, networkId: Buffer): Buffer {
  const h = createHash("sha256").update(networkId);
  switch (env.type) {
    case "envelopeTypeTxV0":
      // A V0 transaction hashes as the V1 transaction it converts to: the same bytes behind an ed25519
      // muxed-account tag (the optional time bounds encode like PRECOND_NONE/PRECOND_TIME).
      h.update(ENVELOPE_TYPE_TX).update(KEY_TYPE_ED25519).update(xdrBytes(env.v0.tx));
      break;
    case "envelopeTypeTx":
      h.update(ENVELOPE_TYPE_TX).update(xdrBytes(env.v1.tx));
      break;
    case "envelopeTypeTxFeeBump":
      h.update(ENVELOPE_TYPE_TX_FEE_BUMP).update(xdrBytes(env.feeBump.tx));
      break;
  }
  return h.digest();
}

const cache = new WeakMap<
  xdr.LedgerCloseMeta,
  { passphrase: string; envelopes: (xdr.TransactionEnvelope | null)[] }
>();

/** Envelopes aligned with TxProcessing (index = tx index − 1); null where no envelope has the result's hash. */
export function envelopesInApplyOrder(
  lcm: xdr.LedgerCloseMeta,
  networkPassphrase: string,
): (xdr.TransactionEnvelope | null)[] {
  const hit = cache.get(lcm);
  if (hit && hit.passphrase === networkPassphrase) return hit.envelopes;
  const networkId = createHash("sha256").update(networkPassphrase).digest();
  const byHash = new Map<string, xdr.TransactionEnvelope>();
  for (const env of txSetEnvelopes(lcm)) byHash.set(envelopeHash(env, networkId).toString("hex"), env);
  const out = txProcessingOf(lcm).map((tx) => byHash.get(hex(tx.result.transactionHash)) ?? null);
  cache.set(lcm, { passphrase: networkPassphrase, envelopes: out });
  return out;
}

export interface TxBody {
  readonly source: xdr.MuxedAccount;
  readonly operations: xdr.Operation[];
  readonly sorobanData: xdr.SorobanTransactionData | null;
}

/** The (inner, for fee bumps) transaction's source, operations and Soroban data. */
export function txBody(env: xdr.TransactionEnvelope): TxBody {
  switch (env.type) {
    case "envelopeTypeTxV0": {
      const tx = env.v0.tx;
      return {
        source: xdr.MuxedAccount.keyTypeEd25519(tx.sourceAccountEd25519),
        operations: tx.operations,
        sorobanData: null,
      };
    }
    case "envelopeTypeTx": {
      const tx = env.v1.tx;
      return {
        source: tx.sourceAccount,
        operations: tx.operations,
        sorobanData: tx.ext.type === "sorobanData" ? tx.ext.sorobanData : null,
      };
    }
    case "envelopeTypeTxFeeBump":
      return txBody(xdr.TransactionEnvelope.envelopeTypeTx(env.feeBump.tx.innerTx.v1));
  }
}
