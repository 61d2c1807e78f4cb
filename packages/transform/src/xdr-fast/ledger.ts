/**
 * The fast LedgerCloseMeta decoder the transform uses: compiled on first use, with span capture for the
 * CAPTURED types of `changes/raw-xdr.ts` (so a name added there is honoured here without further change).
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { capturedTypes, spanStore } from "../changes/raw-xdr";
import { compileDecoder, type FastDecode } from "./index";
import type { Schema } from "./runtime";

let decoder: FastDecode<xdr.LedgerCloseMeta> | null = null;
let unavailable: Error | null = null;

/**
 * The compiled decoder, or null when the generator cannot handle the SDK's definitions (a schema kind it
 * does not know, e.g. after an SDK upgrade); callers then decode with the SDK.
 */
export function fastLedgerDecoder(): FastDecode<xdr.LedgerCloseMeta> | null {
  if (decoder || unavailable) return decoder;
  try {
    decoder = compileDecoder<xdr.LedgerCloseMeta>(
      xdr.LedgerCloseMeta.schema as unknown as Schema,
      capturedTypes(),
      spanStore,
    );
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
