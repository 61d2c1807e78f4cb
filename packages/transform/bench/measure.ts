/**
 * The transform benchmark's inputs and its interleaved measurement, shared by the main thread (V8's default heap)
 * and the measuring worker (`_measure.ts`, run with the transform workers' heap limits).
 *
 * The load-test ledgers were signed under a network passphrase nobody knows, so their envelopes cannot be
 * matched to results by hash; the benchmark matches them by (source account, sequence number) instead — the
 * account entry each transaction bumps in its meta — and that matching is part of the measured time.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture } from "@stellar-lake/test-support";
import { txBody, txSetEnvelopes } from "../src/changes/envelopes";
import { txProcessingOf } from "../src/changes/ledger";
import { decodeFallbacks, decodeLedger, type HotLedger, hotRowsOf } from "../src/hot-rows";

const PUBNET = "Public Global Stellar Network ; September 2015";
const UNKNOWN = "unknown (load test)";

export interface Input {
  name: string;
  file: string;
  passphrase: string;
  /** Repeat the file until at least this many ledgers were processed per pass. */
  minLedgers: number;
  matchBySequence: boolean;
}

export const INPUTS: Input[] = [
  {
    name: "mainnet_53312000",
    file: "lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd",
    passphrase: PUBNET,
    minLedgers: 40,
    matchBySequence: false,
  },
  {
    name: "loadtest_p26_30ledgers",
    file: "lcm-synthetic/standalone-loadtest-p26-30ledgers.framed.xdr.zstd",
    passphrase: UNKNOWN,
    minLedgers: 30,
    matchBySequence: true,
  },
];

function sourceKey(env: xdr.TransactionEnvelope): string {
  const body = txBody(env);
  const src = body.source;
  const key = src.type === "keyTypeEd25519" ? src.ed25519 : src.med25519.ed25519;
  const seq =
    env.type === "envelopeTypeTxV0"
      ? env.v0.tx.seqNum
      : env.type === "envelopeTypeTx"
        ? env.v1.tx.seqNum
        : env.feeBump.tx.innerTx.v1.tx.seqNum;
  return `${key.toString()}:${seq.toString()}`;
}

/** Envelopes in apply order, matched by the (account, seqNum) the tx's meta bumps the source account to. */
export function envelopesBySequence(lcm: xdr.LedgerCloseMeta): (xdr.TransactionEnvelope | null)[] {
  const byKey = new Map<string, xdr.TransactionEnvelope>();
  for (const env of txSetEnvelopes(lcm)) byKey.set(sourceKey(env), env);
  return txProcessingOf(lcm).map((tx) => {
    const m = tx.meta;
    const before = m.type === "v4" ? m.v4.txChangesBefore : m.type === "v3" ? m.v3.txChangesBefore : [];
    for (const c of before) {
      if (c.type !== "ledgerEntryUpdated") continue;
      const d = c.updated.data;
      if (d.type !== "account") continue;
      const a = d.account;
      const env = byKey.get(`${a.accountId.ed25519.toString()}:${a.seqNum.toString()}`);
      if (env) return env;
    }
    return null;
  });
}

/**
 * The product path on one ledger: `decodeLedger` + `hotRowsOf`, with the load test's envelopes matched by
 * sequence (`envelopesBySequence`) where their hashes cannot be.
 */
export function productRows(
  input: Pick<Input, "passphrase" | "matchBySequence">,
  bytes: Uint8Array,
  sequence: number,
): HotLedger {
  const lcm = decodeLedger(bytes, sequence);
  return input.matchBySequence
    ? hotRowsOf(lcm, input.passphrase, envelopesBySequence(lcm))
    : hotRowsOf(lcm, input.passphrase);
}

export interface Loaded {
  blobs: { sequence: number; xdr: Buffer }[];
  /** Passes over the file per measured pass, so that at least `minLedgers` ledgers are processed. */
  reps: number;
  ledgers: number;
  bytes: number;
}

export async function loadInput(input: Input): Promise<Loaded> {
  const blobs = await readLedgerFile(fixture(input.file));
  const reps = Math.max(1, Math.ceil(input.minLedgers / blobs.length));
  return {
    blobs,
    reps,
    ledgers: reps * blobs.length,
    bytes: reps * blobs.reduce((n, b) => n + b.xdr.length, 0),
  };
}

/** The baseline: the SDK's decoder, nothing else. */
function decodeOnly(b: Loaded["blobs"][number]): xdr.LedgerCloseMeta {
  return xdr.LedgerCloseMeta.fromXDR(Buffer.from(b.xdr.buffer, b.xdr.byteOffset, b.xdr.byteLength));
}

/** One decode-only pass over the input (`reps` times over the file), in seconds. */
export function decodeOnlyPass(loaded: Loaded): number {
  const t0 = performance.now();
  for (let r = 0; r < loaded.reps; r++) for (const b of loaded.blobs) decodeOnly(b);
  return (performance.now() - t0) / 1000;
}

/** Best of 3 passes of each path, in seconds per pass, and the rows the product path made per pass. */
export interface Timings {
  decode: number;
  fast: number;
  transform: number;
  rows: number;
  fallbacks: number;
}

/**
 * The three paths timed ledger by ledger, back to back, so load from other processes on the machine hits all
 * alike; of 3 passes each path's fastest counts. Every path is warmed up first (JIT, strkey and asset-id caches).
 */
export function measureInterleaved(input: Input, loaded: Loaded): Timings {
  const { blobs, reps } = loaded;
  const decodeTransform = (b: (typeof blobs)[number]) => {
    const out = productRows(input, b.xdr, b.sequence);
    let rows = 0;
    for (const t of Object.values(out.rows)) rows += t.length;
    return rows;
  };
  const fastDecodeOnly = (b: (typeof blobs)[number]) => decodeLedger(b.xdr, b.sequence);
  for (const b of blobs) {
    decodeOnly(b);
    fastDecodeOnly(b);
    decodeTransform(b);
  }
  const fallbacksBefore = decodeFallbacks();
  const best = {
    decode: Number.POSITIVE_INFINITY,
    fast: Number.POSITIVE_INFINITY,
    transform: Number.POSITIVE_INFINITY,
    rows: 0,
  };
  for (let pass = 0; pass < 3; pass++) {
    let decode = 0;
    let fast = 0;
    let transform = 0;
    let rows = 0;
    for (let r = 0; r < reps; r++)
      for (const b of blobs) {
        const t0 = performance.now();
        decodeOnly(b);
        const t1 = performance.now();
        fastDecodeOnly(b);
        const t2 = performance.now();
        rows += decodeTransform(b);
        transform += performance.now() - t2;
        fast += t2 - t1;
        decode += t1 - t0;
      }
    best.decode = Math.min(best.decode, decode / 1000);
    best.fast = Math.min(best.fast, fast / 1000);
    best.transform = Math.min(best.transform, transform / 1000);
    best.rows = rows;
  }
  return { ...best, fallbacks: decodeFallbacks() - fallbacksBefore };
}
