/**
 * stellar-etl's asset_id: FarmHash Fingerprint64 of code + issuer + type as a signed int64
 * (hubble-semantics §6). Native is fp64("native").
 */
import { fingerprint64 } from "farmhash-modern";

const cache = new Map<string, bigint>();

export function assetIdOf(code: string, issuer: string, type: string): bigint {
  const s = code + issuer + type;
  let id = cache.get(s);
  if (id === undefined) {
    id = BigInt.asIntN(64, fingerprint64(s));
    if (cache.size > 100_000) cache.clear();
    cache.set(s, id);
  }
  return id;
}
