/**
 * A transformer module for TransformPool tests: synthetic rows; ledgers in `config.poison` fail;
 * `config.reportLimits` adds the worker's V8 resource limits to each result (as `limits`), and the Node.js
 * version it runs on (as `node`).
 */
import { resourceLimits } from "node:worker_threads";
import type { RawLedger } from "../src/index";
import { syntheticLedger } from "./synthetic";

export function createTransformer(config: { poison?: number[]; reportLimits?: boolean }) {
  return (raw: RawLedger) => {
    if (config.poison?.includes(raw.sequence)) throw new Error(`synthetic poison at ${raw.sequence}`);
    if (raw.xdr.length !== 4) throw new Error(`expected 4 bytes of xdr, got ${raw.xdr.length}`);
    const ledger = syntheticLedger(raw.sequence);
    return config.reportLimits ? { ...ledger, limits: resourceLimits, node: process.versions.node } : ledger;
  };
}
