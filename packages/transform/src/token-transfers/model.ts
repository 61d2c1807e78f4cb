/**
 * One token movement as go-stellar-sdk's token transfer processor (processors/token_transfer) models it: a
 * fee, transfer, mint, burn or clawback of an amount of one token, with the transaction and operation it
 * belongs to and the token's contract. Built either from CAP-67 unified events (`unified.ts`) or derived from
 * operations, results and ledger changes (`derived.ts`).
 */
import type { xdr } from "@stellar/stellar-sdk/base";
import { type AssetParts, assetParts } from "../changes/format";
import { nativeContractId, sacContractId } from "../changes/scval";
import { encodeStrkey } from "../changes/strkey-cache";

export const TransferTopic = {
  Fee: "fee",
  Transfer: "transfer",
  Mint: "mint",
  Burn: "burn",
  Clawback: "clawback",
} as const;
export type TransferTopic = (typeof TransferTopic)[keyof typeof TransferTopic];

/** The destination's muxed information (CAP-67 `to_muxed_id`: an id, a text or a hash memo). */
export type MuxedInfo =
  | { readonly kind: "id"; readonly id: bigint }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "hash"; readonly hash: Buffer };

export interface TokenTransfer {
  readonly topic: TransferTopic;
  /** 1-based apply-order index of the transaction. */
  readonly txIndex: number;
  readonly txHash: string;
  /** 0-based operation index; null for fee events. */
  readonly opIndex: number | null;
  /** C… strkey of the token contract (the asset's SAC for classic assets). */
  readonly contractId: string;
  /** G…, C…, B… (claimable balance) or L… (liquidity pool) strkey; null for mints and fees' `to`. */
  readonly from: string | null;
  readonly to: string | null;
  /** Raw amount (i128; negative for a fee refund). */
  readonly amount: bigint;
  /** The classic asset, when the token is a Stellar Asset Contract (or a classic operation); null otherwise. */
  readonly asset: AssetParts | null;
  readonly toMuxed: MuxedInfo | null;
}

/** Strkey version bytes (SEP-23) of the two address kinds only token transfers use. */
const VERSION_CLAIMABLE_BALANCE = 1 << 3;
const VERSION_LIQUIDITY_POOL = 11 << 3;
const CLAIMABLE_BALANCE_ID_V0 = 0;

/** B… strkey of a claimable balance id (type byte, then the hash). */
export function claimableBalanceStrkey(id: xdr.ClaimableBalanceId): string {
  const payload = Buffer.alloc(33);
  payload[0] = CLAIMABLE_BALANCE_ID_V0;
  payload.set(id.v0.value, 1);
  return encodeStrkey(VERSION_CLAIMABLE_BALANCE, payload);
}

/** L… strkey of a liquidity pool id. */
export function liquidityPoolStrkey(id: Uint8Array): string {
  return encodeStrkey(VERSION_LIQUIDITY_POOL, id);
}

/** The C… id of a classic asset's Stellar Asset Contract under the network passphrase. */
export function assetContractId(a: AssetParts, passphrase: string): string {
  if (a.type === "native") return nativeContractId(passphrase);
  const id = sacContractId(a.code, a.issuer, passphrase);
  if (!id) throw new Error(`no Stellar Asset Contract id for asset ${a.code}:${a.issuer}`);
  return id;
}

export function classicAsset(a: xdr.Asset): AssetParts {
  return assetParts(a);
}

/**
 * Hubble's asset columns (stellar-etl getAssetFromEvent): the type follows the code's length (more than 4
 * characters: alphanum12), `asset` is "native" or "<type>:<code>:<issuer>"; a token that is not a Stellar
 * Asset Contract has "" for both and null code / issuer.
 */
export function hubbleAsset(a: AssetParts | null): {
  asset: string;
  asset_type: string;
  asset_code: string | null;
  asset_issuer: string | null;
} {
  if (!a) return { asset: "", asset_type: "", asset_code: null, asset_issuer: null };
  if (a.type === "native")
    return { asset: "native", asset_type: "native", asset_code: null, asset_issuer: null };
  const type = a.code.length > 4 ? "credit_alphanum12" : "credit_alphanum4";
  return {
    asset: `${type}:${a.code}:${a.issuer}`,
    asset_type: type,
    asset_code: a.code,
    asset_issuer: a.issuer,
  };
}

/** "native" or "CODE:ISSUER": the balance key of the reconciliation (the SDK's StringCanonical). */
export function canonicalOf(a: AssetParts): string {
  return a.type === "native" ? "native" : `${a.code}:${a.issuer}`;
}
