/**
 * The fast LedgerCloseMeta decoder the transform uses: compiled on first use, with span capture for the
 * CAPTURED types of `changes/raw-xdr.ts` (so a name added there is honoured here without further change).
 */
import { xdr } from "@stellar/stellar-base";
import { capturedTypes, spanStore } from "../changes/raw-xdr";
import { specializeAccessors } from "./accessors";
import { compileDecoder, type FastDecode } from "./index";

let decoder: FastDecode<xdr.LedgerCloseMeta> | null = null;
let unavailable: Error | null = null;

/**
 * The compiled decoder, or null when the generator cannot handle stellar-base's definitions (a type kind it
 * does not know, e.g. after a stellar-base upgrade); callers then decode with stellar-base.
 */
export function fastLedgerDecoder(): FastDecode<xdr.LedgerCloseMeta> | null {
  if (decoder || unavailable) return decoder;
  try {
    decoder = compileDecoder<xdr.LedgerCloseMeta>(xdr.LedgerCloseMeta, capturedTypes(), spanStore);
    // The transform reads what this decodes through the structs' accessors: make those monomorphic too.
    specializeAccessors(xdr.LedgerCloseMeta);
  } catch (err) {
    unavailable = err as Error;
  }
  return decoder;
}

/** Why the fast decoder is unavailable (null when it compiled). */
export function fastDecoderUnavailable(): Error | null {
  fastLedgerDecoder();
  return unavailable;
}
