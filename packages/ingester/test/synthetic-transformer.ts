/** A transformer module for TransformPool tests: synthetic rows; ledgers in `config.poison` fail. */
import type { RawLedger } from "../src/index";
import { syntheticLedger } from "./synthetic";

export function createTransformer(config: { poison?: number[] }) {
  return (raw: RawLedger) => {
    if (config.poison?.includes(raw.sequence)) throw new Error(`synthetic poison at ${raw.sequence}`);
    if (raw.xdr.length !== 4) throw new Error(`expected 4 bytes of xdr, got ${raw.xdr.length}`);
    return syntheticLedger(raw.sequence);
  };
}
