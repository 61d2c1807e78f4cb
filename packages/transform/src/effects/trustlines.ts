/**
 * Trust line effects: change_trust (one trustline_created/removed/updated), allow_trust (a flag-less
 * trustline_flags_updated, then one with the flags) and set_trust_line_flags; both flag ops then report the
 * liquidity-pool revocations they caused.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { accountIdString, amountString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import { ENTRY_TRUSTLINE } from "../changes/snapshot";
import { addAssetDetails, addPoolShareDetails } from "./common";
import { liquidityPoolRevokedEffects } from "./liquidity-pools";
import { type Details, type EffectCode, EffectType, type OpEffects } from "./types";

export function changeTrustEffects(e: OpEffects): void {
  const op = e.body("changeTrust").changeTrustOp;
  const line = op.line;
  for (const c of e.changes) {
    if (c.entryType !== ENTRY_TRUSTLINE) continue;
    let type: EffectCode;
    if (!c.pre && c.post) type = EffectType.TrustlineCreated;
    else if (c.pre && !c.post) type = EffectType.TrustlineRemoved;
    else type = EffectType.TrustlineUpdated;
    const tl = dataOf((c.post ?? c.pre) as xdr.LedgerEntry, "trustline").trustLine;
    // One effect per change_trust: the first trust line of the op line's kind (credit asset or pool share).
    if (tl.asset.type !== line.type) continue;
    const d: Details = { limit: amountString(op.limit) };
    if (line.type === "assetTypePoolShare") addPoolShareDetails(d, line.liquidityPool);
    else addAssetDetails(d, changeTrustToAsset(line));
    e.addSource(type, d);
    break;
  }
}

function changeTrustToAsset(line: xdr.ChangeTrustAsset): xdr.Asset {
  switch (line.type) {
    case "assetTypeNative":
      return xdr.Asset.assetTypeNative();
    case "assetTypeCreditAlphanum4":
      return xdr.Asset.assetTypeCreditAlphanum4(line.alphaNum4);
    case "assetTypeCreditAlphanum12":
      return xdr.Asset.assetTypeCreditAlphanum12(line.alphaNum12);
    case "assetTypePoolShare":
      throw new Error("pool-share line has no asset");
  }
}

/** The asset an allow_trust names: its code, issued by the op source. */
function allowTrustAsset(e: OpEffects, op: xdr.AllowTrustOp): xdr.Asset {
  const issuer = xdr.PublicKey.publicKeyTypeEd25519(sourceEd25519(e));
  const a = op.asset;
  if (a.type === "assetTypeCreditAlphanum4")
    return xdr.Asset.assetTypeCreditAlphanum4(new xdr.AlphaNum4({ assetCode: a.assetCode4, issuer }));
  return xdr.Asset.assetTypeCreditAlphanum12(new xdr.AlphaNum12({ assetCode: a.assetCode12, issuer }));
}

function sourceEd25519(e: OpEffects): xdr.Uint256Bytes {
  const m = e.source;
  return m.type === "keyTypeEd25519" ? m.ed25519 : m.med25519.ed25519;
}

const AUTHORIZED = 1;
const MAINTAIN_LIABILITIES = 2;
const CLAWBACK_ENABLED = 4;

function trustLineFlagDetails(d: Details, flags: number, value: boolean): void {
  if (flags & AUTHORIZED) d.authorized_flag = value;
  // sic: stellar-etl's key is misspelled.
  if (flags & MAINTAIN_LIABILITIES) d.authorized_to_maintain_liabilites = value;
  if (flags & CLAWBACK_ENABLED) d.clawback_enabled_flag = value;
}

function trustLineFlagsEffect(
  e: OpEffects,
  trustor: xdr.AccountId,
  asset: xdr.Asset,
  set: number | null,
  clear: number | null,
): void {
  const d = addAssetDetails({ trustor: accountIdString(trustor) }, asset);
  if (set !== null) trustLineFlagDetails(d, set, true);
  if (clear !== null) trustLineFlagDetails(d, clear, false);
  if (set !== null || clear !== null) e.addSource(EffectType.TrustlineFlagsUpdated, d);
}

export function allowTrustEffects(e: OpEffects): void {
  const op = e.body("allowTrust").allowTrustOp;
  const asset = allowTrustAsset(e, op);
  const auth = op.authorize;
  e.addSource(
    EffectType.TrustlineFlagsUpdated,
    addAssetDetails({ trustor: accountIdString(op.trustor) }, asset),
  );
  if (auth & AUTHORIZED) trustLineFlagsEffect(e, op.trustor, asset, AUTHORIZED, null);
  else if (auth & MAINTAIN_LIABILITIES)
    trustLineFlagsEffect(e, op.trustor, asset, MAINTAIN_LIABILITIES, null);
  else trustLineFlagsEffect(e, op.trustor, asset, null, AUTHORIZED | MAINTAIN_LIABILITIES);
  liquidityPoolRevokedEffects(e);
}

export function setTrustLineFlagsEffects(e: OpEffects): void {
  const op = e.body("setTrustLineFlags").setTrustLineFlagsOp;
  trustLineFlagsEffect(e, op.trustor, op.asset, op.setFlags, op.clearFlags);
  liquidityPoolRevokedEffects(e);
}
