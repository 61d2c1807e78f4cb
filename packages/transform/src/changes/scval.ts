/** ScVal helpers: Go enum names, SAC asset-info and balance detection (go-stellar-sdk ingest/sac rules). */
import { Address, Asset, StrKey, xdr } from "@stellar/stellar-sdk/base";
import { ScValArm } from "../xdr-arms";
import { view } from "./format";
import { accountStrkey, contractStrkey } from "./strkey-cache";

/** Go's name of an ScValType, e.g. scvLedgerKeyContractInstance → "ScValTypeScvLedgerKeyContractInstance". */
export function scValTypeName(v: xdr.ScVal): string {
  const n: string = v.type;
  return `ScValType${n.charAt(0).toUpperCase()}${n.slice(1)}`;
}

/** Go's ScVal arm name (hubble-semantics §3): "" for the armless Void and LedgerKeyContractInstance. */
const GO_ARMS = [
  "B",
  "",
  "Error",
  "U32",
  "I32",
  "U64",
  "I64",
  "Timepoint",
  "Duration",
  "U128",
  "I128",
  "U256",
  "I256",
  "Bytes",
  "Str",
  "Sym",
  "Vec",
  "Map",
  "Address",
  "Instance",
  "",
  "NonceKey",
  "ExecutableTag",
];

export function goScValArm(v: xdr.ScVal): string {
  return GO_ARMS[ScValArm[v.type]] ?? "";
}

export function durabilityName(d: xdr.ContractDataDurability): string {
  return d.value === 0 ? "ContractDataDurabilityTemporary" : "ContractDataDurabilityPersistent";
}

export function addressString(a: xdr.ScAddress): string {
  if (a.type === "scAddressTypeAccount") return accountStrkey(a.accountId.ed25519.value);
  if (a.type === "scAddressTypeContract") return contractStrkey(a.contractId.value);
  return Address.fromScAddress(a).toString();
}

function symbolIs(v: xdr.ScVal | undefined, s: string): boolean {
  if (v?.type !== "scvSymbol") return false;
  return v.sym.toString() === s;
}

const nativeIds = new Map<string, string>();
export function nativeContractId(passphrase: string): string {
  let id = nativeIds.get(passphrase);
  if (!id) {
    id = Asset.native().contractId(passphrase);
    nativeIds.set(passphrase, id);
  }
  return id;
}

const sacIds = new Map<string, string>();
export function sacContractId(code: string, issuer: string, passphrase: string): string | null {
  const k = `${code}:${issuer}:${passphrase}`;
  let id = sacIds.get(k);
  if (id === undefined) {
    try {
      id = new Asset(code, issuer).contractId(passphrase);
    } catch {
      id = "";
    }
    if (sacIds.size > 50_000) sacIds.clear();
    sacIds.set(k, id);
  }
  return id === "" ? null : id;
}

export interface SacAsset {
  readonly type: "credit_alphanum4" | "credit_alphanum12";
  readonly code: string;
  readonly issuer: string;
}

/**
 * The asset of a Stellar Asset Contract instance entry: persistent instance storage holding
 * AssetInfo = [AlphaNum4|AlphaNum12, {asset_code, issuer}], accepted only when the contract id equals that
 * asset's SAC id under the network passphrase (forged entries are ignored). Native is not reported.
 */
export function sacAssetOf(cd: xdr.ContractDataEntry, passphrase: string): SacAsset | null {
  if (cd.key.type !== "scvLedgerKeyContractInstance") return null;
  if (cd.durability !== xdr.ContractDataDurability.persistent) return null;
  const val = cd.val;
  if (val.type !== "scvContractInstance") return null;
  const storage = val.instance.storage;
  if (!storage) return null;
  const contractId = addressString(cd.contract);
  if (contractId === nativeContractId(passphrase)) return null;
  let info: xdr.ScVal | undefined;
  for (const e of storage) {
    const k = e.key;
    if (k.type !== "scvVec") continue;
    const vec = k.vec;
    if (vec && vec.length === 1 && symbolIs(vec[0], "AssetInfo")) {
      info = e.val;
      break;
    }
  }
  if (info?.type !== "scvVec") return null;
  const vec = info.vec;
  if (vec?.length !== 2) return null;
  const kind = symbolIs(vec[0], "AlphaNum4") ? 4 : symbolIs(vec[0], "AlphaNum12") ? 12 : 0;
  if (kind === 0) return null;
  const m = vec[1] as xdr.ScVal;
  if (m.type !== "scvMap") return null;
  const map = m.map;
  if (map?.length !== 2) return null;
  const [codeEntry, issuerEntry] = map as [xdr.ScMapEntry, xdr.ScMapEntry];
  if (!symbolIs(codeEntry.key, "asset_code")) return null;
  if (codeEntry.val.type !== "scvString") return null;
  // The SAC stores the code as written in the asset, NUL padding included ("IDR\0").
  const rawCode = view(codeEntry.val.str.bytes).toString("latin1");
  if (rawCode === "") return null;
  const code = rawCode.replace(/\0+$/, "");
  if (!symbolIs(issuerEntry.key, "issuer")) return null;
  if (issuerEntry.val.type !== "scvBytes") return null;
  const issuerBytes = issuerEntry.val.bytes.value;
  if (issuerBytes.length !== 32) return null;
  const issuer = StrKey.encodeEd25519PublicKey(issuerBytes);
  if (code === "" || rawCode.length > 12) return null;
  if (sacContractId(code, issuer, passphrase) !== contractId) return null;
  return { type: rawCode.length <= 4 ? "credit_alphanum4" : "credit_alphanum12", code, issuer };
}

export interface ContractBalance {
  /** C… strkey of the holding contract. */
  readonly holder: string;
  /** Decimal string of the i128 amount. */
  readonly amount: string;
}

/**
 * A SAC balance entry held by a contract: persistent key [Balance, <contract address>] and value
 * {amount: i128 ≥ 0, authorized: bool, clawback: bool}. Like the SDK this does not check that the contract is
 * a SAC (the instance is not at hand); native balances are excluded.
 */
export function contractBalanceOf(cd: xdr.ContractDataEntry, passphrase: string): ContractBalance | null {
  if (cd.durability !== xdr.ContractDataDurability.persistent) return null;
  const key = cd.key;
  if (key.type !== "scvVec") return null;
  const vec = key.vec;
  if (vec?.length !== 2 || !symbolIs(vec[0], "Balance")) return null;
  const holderVal = vec[1] as xdr.ScVal;
  if (holderVal.type !== "scvAddress") return null;
  const holderAddr = holderVal.address;
  if (holderAddr.type !== "scAddressTypeContract") return null;
  if (addressString(cd.contract) === nativeContractId(passphrase)) return null;
  const val = cd.val;
  if (val.type !== "scvMap") return null;
  const map = val.map;
  if (map?.length !== 3) return null;
  const [amount, authorized, clawback] = map as [xdr.ScMapEntry, xdr.ScMapEntry, xdr.ScMapEntry];
  if (!symbolIs(amount.key, "amount")) return null;
  if (!symbolIs(authorized.key, "authorized") || authorized.val.type !== "scvBool") return null;
  if (!symbolIs(clawback.key, "clawback") || clawback.val.type !== "scvBool") return null;
  if (amount.val.type !== "scvI128") return null;
  const parts = amount.val.i128;
  const hi = parts.hi;
  if (hi < 0n) return null;
  const value = (hi << 64n) + parts.lo;
  return {
    holder: StrKey.encodeContract(holderAddr.contractId.value),
    amount: value.toString(),
  };
}
