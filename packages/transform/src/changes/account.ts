/** Reading an AccountEntry's optional extensions (liabilities v1, sponsorship v2, sequence info v3). */
import { SignerKey, type xdr } from "@stellar/stellar-sdk/base";
import { accountIdString } from "./format";

export interface AccountInfo {
  readonly buyingLiabilities: bigint;
  readonly sellingLiabilities: bigint;
  readonly numSponsored: number;
  readonly numSponsoring: number;
  /** Sponsor per signer, aligned with `signers()`. */
  readonly signerSponsors: readonly (string | null)[];
  readonly seqLedger: number;
  readonly seqTime: bigint;
}

export function accountInfo(a: xdr.AccountEntry): AccountInfo {
  const info = {
    buyingLiabilities: 0n,
    sellingLiabilities: 0n,
    numSponsored: 0,
    numSponsoring: 0,
    signerSponsors: [] as (string | null)[],
    seqLedger: 0,
    seqTime: 0n,
  };
  const ext = a.ext;
  if (ext.type !== "v1") return info;
  const v1 = ext.v1;
  info.buyingLiabilities = v1.liabilities.buying;
  info.sellingLiabilities = v1.liabilities.selling;
  const e2 = v1.ext;
  if (e2.type !== "v2") return info;
  const v2 = e2.v2;
  info.numSponsored = v2.numSponsored;
  info.numSponsoring = v2.numSponsoring;
  info.signerSponsors = v2.signerSponsoringIDs.map((id) => (id ? accountIdString(id) : null));
  const e3 = v2.ext;
  if (e3.type !== "v3") return info;
  const v3 = e3.v3;
  info.seqLedger = v3.seqLedger;
  info.seqTime = v3.seqTime;
  return info;
}

export interface SignerInfo {
  readonly signer: string;
  readonly weight: number;
  readonly sponsor: string | null;
}

/**
 * The SDK's SignerSummary: the master key (the account id) when its weight is above 0, then every signer,
 * with each signer's sponsor (the master key has none).
 */
export function signerSummary(a: xdr.AccountEntry, info: AccountInfo = accountInfo(a)): SignerInfo[] {
  const out: SignerInfo[] = [];
  const master = a.thresholds.value[0] ?? 0;
  if (master > 0) out.push({ signer: accountIdString(a.accountId), weight: master, sponsor: null });
  a.signers.forEach((s, i) => {
    out.push({
      signer: SignerKey.encodeSignerKey(s.key),
      weight: s.weight,
      sponsor: info.signerSponsors[i] ?? null,
    });
  });
  return out;
}

export const AUTH_REQUIRED = 1;
export const AUTH_REVOCABLE = 2;
export const AUTH_IMMUTABLE = 4;
export const AUTH_CLAWBACK_ENABLED = 8;
