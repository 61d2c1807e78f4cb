/**
 * ScVal → JSON in the stellar-xdr-json form Hubble's *_decoded columns hold ({"vec":[{"symbol":"Token"}]}).
 * The WASM module is initialised on first use; integers beyond 2^53 come back as exact bigints.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as xdrJson from "@stellar/stellar-xdr-json";
import { isInteger, parse } from "lossless-json";

let ready = false;

function init(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const js = require.resolve("@stellar/stellar-xdr-json");
  xdrJson.initSync(readFileSync(js.replace(/stellar_xdr_json\.js$/, "stellar_xdr_json_bg.wasm")));
  ready = true;
}

/** The JSON text stellar-xdr-json gives for a base64 XDR value of `type`. */
export function xdrJsonText(type: string, base64: string): string {
  init();
  return xdrJson.decode(type, base64);
}

function parseNumber(text: string): number | bigint {
  if (isInteger(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

/** The decoded value as a JSON-ready object (exact integers). */
export function xdrJsonValue(type: string, base64: string): unknown {
  return parse(xdrJsonText(type, base64), null, parseNumber);
}
