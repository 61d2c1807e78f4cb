/**
 * Effect codes and names as stellar-etl emits them (internal/transform/schema.go), and the per-operation
 * builder every effect family appends to. Codes 23-25 exist in the enum but stellar-etl never emits them
 * (allow_trust gives two trustline_flags_updated rows instead).
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { accountIdString } from "../changes/format";
import type { EntryChange } from "../changes/reader";
import type { ChangeInput } from "../changes/snapshot";
import { accountStrkey } from "../changes/strkey-cache";
import type { CoreTx } from "../tables/core-common";
import { muxedAddress } from "../tables/core-common";
import { OperationBodyArm } from "../xdr-arms";

export const EffectType = {
  AccountCreated: 0,
  AccountRemoved: 1,
  AccountCredited: 2,
  AccountDebited: 3,
  AccountThresholdsUpdated: 4,
  AccountHomeDomainUpdated: 5,
  AccountFlagsUpdated: 6,
  AccountInflationDestinationUpdated: 7,
  SignerCreated: 10,
  SignerRemoved: 11,
  SignerUpdated: 12,
  TrustlineCreated: 20,
  TrustlineRemoved: 21,
  TrustlineUpdated: 22,
  TrustlineAuthorized: 23,
  TrustlineDeauthorized: 24,
  TrustlineAuthorizedToMaintainLiabilities: 25,
  TrustlineFlagsUpdated: 26,
  OfferCreated: 30,
  OfferRemoved: 31,
  OfferUpdated: 32,
  Trade: 33,
  DataCreated: 40,
  DataRemoved: 41,
  DataUpdated: 42,
  SequenceBumped: 43,
  ClaimableBalanceCreated: 50,
  ClaimableBalanceClaimantCreated: 51,
  ClaimableBalanceClaimed: 52,
  AccountSponsorshipCreated: 60,
  AccountSponsorshipUpdated: 61,
  AccountSponsorshipRemoved: 62,
  TrustlineSponsorshipCreated: 63,
  TrustlineSponsorshipUpdated: 64,
  TrustlineSponsorshipRemoved: 65,
  DataSponsorshipCreated: 66,
  DataSponsorshipUpdated: 67,
  DataSponsorshipRemoved: 68,
  ClaimableBalanceSponsorshipCreated: 69,
  ClaimableBalanceSponsorshipUpdated: 70,
  ClaimableBalanceSponsorshipRemoved: 71,
  SignerSponsorshipCreated: 72,
  SignerSponsorshipUpdated: 73,
  SignerSponsorshipRemoved: 74,
  ClaimableBalanceClawedBack: 80,
  LiquidityPoolDeposited: 90,
  LiquidityPoolWithdrew: 91,
  LiquidityPoolTrade: 92,
  LiquidityPoolCreated: 93,
  LiquidityPoolRemoved: 94,
  LiquidityPoolRevoked: 95,
  ContractCredited: 96,
  ContractDebited: 97,
  ExtendFootprintTtl: 98,
  RestoreFootprint: 99,
} as const;

export type EffectCode = (typeof EffectType)[keyof typeof EffectType];

/** `AccountCreated` → `account_created`, the type_string of every code. */
export const effectTypeNames: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(EffectType).map(([k, v]) => [
    v,
    k.replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase()),
  ]),
);

export type Details = Record<string, unknown>;

/** One effect before its index and id are assigned. */
export interface RawEffect {
  readonly address: string;
  /** M… strkey when the effect's account came from a muxed account, else null. */
  readonly addressMuxed: string | null;
  readonly type: EffectCode;
  readonly details: Details;
}

/** Everything an effect family reads about one operation of a successful transaction. */
export class OpEffects {
  readonly out: RawEffect[] = [];

  constructor(
    readonly ctx: ChangeInput,
    readonly tx: CoreTx,
    readonly opIndex: number,
    readonly op: xdr.Operation,
    /** The operation's result arm (OperationResult.tr). */
    readonly result: xdr.OperationResultTr | null,
    /** GetOperationChanges: this operation's paired changes, sorted by ledger key. */
    readonly changes: readonly EntryChange[],
    readonly operationId: bigint,
  ) {}

  /** The op source (its own, else the inner transaction's), possibly muxed. */
  get source(): xdr.MuxedAccount {
    return this.op.sourceAccount ?? this.tx.source;
  }

  get opType(): number {
    return OperationBodyArm[this.op.body.type];
  }

  /** The operation body's arm of the type this effect reader handles (an error for any other). */
  body<K extends xdr.OperationBody["type"]>(type: K): Extract<xdr.OperationBody, { type: K }> {
    return xdr.expectUnionVariant(this.op.body, type);
  }

  /** The result arm of the type this effect reader handles. */
  trArm<K extends xdr.OperationResultTr["type"]>(type: K): Extract<xdr.OperationResultTr, { type: K }> {
    return xdr.expectUnionVariant(this.tr(), type);
  }

  /** The result arm, or an error naming the operation (a successful tx always has one). */
  tr(): xdr.OperationResultTr {
    if (!this.result) throw new Error(`operation ${this.operationId}: no operation result`);
    return this.result;
  }

  add(address: string, addressMuxed: string | null, type: EffectCode, details: Details): void {
    this.out.push({ address, addressMuxed, type, details });
  }

  /** Effect on a plain account id (address_muxed null). */
  addUnmuxed(id: xdr.AccountId | string, type: EffectCode, details: Details): void {
    this.add(typeof id === "string" ? id : accountIdString(id), null, type, details);
  }

  /** Effect on a muxed account: the underlying G… plus the M… form when muxed. */
  addMuxed(m: xdr.MuxedAccount, type: EffectCode, details: Details): void {
    if (m.type === "keyTypeEd25519") this.add(accountStrkey(m.ed25519.value), null, type, details);
    else this.add(accountStrkey(m.med25519.ed25519.value), muxedAddress(m), type, details);
  }

  addSource(type: EffectCode, details: Details): void {
    this.addMuxed(this.source, type, details);
  }
}
