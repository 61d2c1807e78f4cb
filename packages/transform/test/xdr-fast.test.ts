import { xdr } from "@stellar/stellar-sdk/base";
import { type LedgerBlob, readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures, seededRandom } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { CAPTURED, decodeWithSpans } from "../src/changes/raw-xdr";
import { decodeFallbacks, decodeLedger, LedgerDecodeError } from "../src/hot-rows";
import { UnsupportedProtocolError } from "../src/protocol";
import { compileDecoder, XdrReadError } from "../src/xdr-fast/index";
import { fastDecoderUnavailable, fastLedgerDecoder } from "../src/xdr-fast/ledger";
import type { Schema } from "../src/xdr-fast/runtime";
import { LEDGER_FIXTURES, P27_DEVELOPMENT } from "./changes-fixtures";
import { compareDecoded } from "./xdr-equal";

function sdkDecode(buf: Uint8Array): xdr.LedgerCloseMeta {
  return decodeWithSpans(() => xdr.LedgerCloseMeta.fromXDR(buf));
}

function view(b: LedgerBlob): Buffer {
  return Buffer.from(b.xdr.buffer, b.xdr.byteOffset, b.xdr.byteLength);
}

const schemaOf = (t: { schema: unknown }) => t.schema as Schema;

describe.skipIf(!haveFixtures())("fast LedgerCloseMeta decoder on every fixture", () => {
  it("compiles from the SDK's definitions", () => {
    expect(fastDecoderUnavailable()).toBeNull();
    expect(fastLedgerDecoder()).toBeTypeOf("function");
  });

  it.each([...LEDGER_FIXTURES.map((f) => f.path), ...P27_DEVELOPMENT].map((p) => [p]))(
    "%s: same objects, fields and spans as the SDK's decoder; re-encodes to the input",
    async (path) => {
      const before = decodeFallbacks();
      let spans = 0;
      for (const blob of await readLedgerFile(fixture(path))) {
        const buf = view(blob);
        const fast = decodeLedger(blob.xdr, blob.sequence);
        const sdk = sdkDecode(buf);
        const c = compareDecoded(fast, sdk, { spans: true });
        expect(c.difference, `ledger ${blob.sequence}`).toBeNull();
        spans += c.spans;
        expect(Buffer.from(fast.toXdr()).equals(buf)).toBe(true);
      }
      expect(spans).toBeGreaterThan(0);
      // Decoded by the fast decoder itself, not by the SDK fallback.
      expect(decodeFallbacks()).toBe(before);
    },
    300_000,
  );

  it("records spans for any schema in a CAPTURED-style list (e.g. ScVal, LedgerEntry, a typedef'd Hash)", async () => {
    const names = [
      ...CAPTURED,
      "ScVal",
      "LedgerEntry",
      "ContractEvent",
      "Hash",
      "ScAddress",
      "OperationMeta",
    ];
    const types = new Set(
      names.map((n) => schemaOf((xdr as unknown as Record<string, { schema: unknown }>)[n]!)),
    );
    const spans = new WeakMap<object, { buffer: Buffer; start: number; end: number }>();
    const fast = compileDecoder<xdr.LedgerCloseMeta>(schemaOf(xdr.LedgerCloseMeta), types, spans);
    const blobs = await readLedgerFile(
      fixture("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/48c781bbceb21112.xdr"),
    );
    let checked = 0;
    for (const blob of blobs) {
      const buf = view(blob);
      const got = fast(buf);
      expect(compareDecoded(got, xdr.LedgerCloseMeta.fromXDR(buf)).difference).toBeNull();
      // Every recorded span re-encodes to exactly its bytes.
      const walk = (a: unknown) => {
        if (a === null || typeof a !== "object" || a instanceof Uint8Array) return;
        const s = spans.get(a);
        if (s && "toXdr" in a) {
          expect(
            Buffer.from((a as { toXdr(): Uint8Array }).toXdr()).equals(s.buffer.subarray(s.start, s.end)),
          ).toBe(true);
          checked++;
        }
        for (const k of Reflect.ownKeys(a)) walk((a as Record<string | symbol, unknown>)[k]);
      };
      walk(got);
    }
    expect(checked).toBeGreaterThan(100);
  });
});

/** One to three random mutations: a byte set, a 32-bit word set to a small/edge value, or a truncation. */
function mutate(src: Buffer, rnd: () => number): Buffer {
  let b = Buffer.from(src);
  const edits = 1 + Math.floor(rnd() * 3);
  for (let e = 0; e < edits && b.length > 0; e++) {
    const r = rnd();
    const at = Math.floor(rnd() * b.length);
    if (r < 0.45) b[at] = Math.floor(rnd() * 256);
    else if (r < 0.85) {
      const word = [0, 1, 2, 3, 4, 0x7fffffff, 0xffffffff, 100, 201][Math.floor(rnd() * 9)]!;
      const w = at & ~3;
      if (w + 4 <= b.length) b.writeUInt32BE(word >>> 0, w);
    } else b = b.subarray(0, at);
  }
  return b;
}

describe.skipIf(!haveFixtures())("fast decoder under mutation (seeded fuzz)", () => {
  const inputs = [
    "lcm-real/testnet-997.FFFFFC1A--997.xdr.zst",
    "lcm-real/testnet-999.FFFFFC18--999.xdr.zst",
    "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/48c781bbceb21112.xdr",
    "lcm-synthetic/core-test-lcms/PathPaymentTests/6b8dd7030be55252.xdr",
    "lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst",
    // Protocol 27/28 arms (CAP-71 credentials, CAP-85 executables).
    "lcm-synthetic/core-test-lcms-p27/InvokeHostFunctionTests/6452cb6f030f5835.xdr",
    "lcm-synthetic/core-test-lcms-p27/InvokeHostFunctionTests/9de1ea718b77ffa2.xdr",
  ];
  it.each(inputs.map((p, i) => [p, 1000 + i]))(
    "%s: throws whenever the SDK throws, else decodes the same value (seed %i)",
    async (path, seed) => {
      const fast = fastLedgerDecoder()!;
      const blobs = (await readLedgerFile(fixture(path))).filter((b) => b.xdr.length < 400_000);
      const rnd = seededRandom(seed);
      let thrown = 0;
      let decoded = 0;
      const deadline = Date.now() + 15_000;
      for (let i = 0; i < 250 && Date.now() < deadline; i++) {
        const blob = blobs[Math.floor(rnd() * blobs.length)]!;
        const bytes = mutate(view(blob), rnd);
        let sdk: xdr.LedgerCloseMeta | null = null;
        let sdkErr: Error | null = null;
        try {
          sdk = xdr.LedgerCloseMeta.fromXDR(bytes);
        } catch (err) {
          sdkErr = err as Error;
        }
        let got: xdr.LedgerCloseMeta | null = null;
        let gotErr: unknown = null;
        try {
          got = fast(bytes);
        } catch (err) {
          gotErr = err;
        }
        const where = `seed ${seed} case ${i}`;
        if (sdkErr) {
          expect(gotErr, `${where}: the SDK said ${sdkErr.message}`).toBeInstanceOf(XdrReadError);
          thrown++;
        } else {
          expect(gotErr, where).toBeNull();
          expect(compareDecoded(got, sdk).difference, where).toBeNull();
          decoded++;
        }
      }
      expect(thrown).toBeGreaterThan(0);
      expect(thrown + decoded).toBeGreaterThan(10);
    },
    60_000,
  );
});

function u32s(...words: number[]): Buffer {
  const b = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) b.writeUInt32BE(words[i]! >>> 0, i * 4);
  return b;
}

/** Decodes with the SDK and with the fast decoder: the same value, or both reject. */
function same(
  type: { schema: unknown; fromXDR(b: Uint8Array): unknown },
  bytes: Buffer,
): { value?: unknown; error?: string } {
  const fast = compileDecoder(schemaOf(type));
  let sdk: { value?: unknown; error?: string };
  try {
    sdk = { value: type.fromXDR(bytes) };
  } catch (err) {
    sdk = { error: (err as Error).message };
  }
  let got: { value?: unknown; error?: string };
  try {
    got = { value: fast(bytes) };
  } catch (err) {
    expect(err).toBeInstanceOf(XdrReadError);
    got = { error: (err as Error).message };
  }
  expect(got.error === undefined, `fast: ${got.error}; SDK: ${sdk.error}`).toBe(sdk.error === undefined);
  if (!sdk.error) expect(compareDecoded(got.value, sdk.value).difference).toBeNull();
  return got;
}

const str = (s: string | Buffer, pad = 0) => {
  const body = Buffer.from(s);
  const p = (4 - (body.length % 4)) % 4;
  return Buffer.concat([u32s(body.length), body, Buffer.alloc(p, pad)]);
};
const SCV_SYMBOL = 15;
const SCV_VEC = 16;
const SCV_BOOL = 0;

describe("fast decoder validity checks (each against the SDK's own verdict)", () => {
  it("decodes a valid value of every construct", () => {
    expect(same(xdr.Price, u32s(3, 4)).value).toBeInstanceOf(xdr.Price);
    expect(same(xdr.ScVal, Buffer.concat([u32s(SCV_SYMBOL), str("hello")])).error).toBeUndefined();
    expect(same(xdr.ScVal, u32s(SCV_VEC, 1, 2, SCV_BOOL, 1, SCV_BOOL, 0)).error).toBeUndefined();
    expect(same(xdr.ScVal, u32s(SCV_VEC, 0)).error).toBeUndefined();
    expect(same(xdr.ScVal, Buffer.concat([u32s(22), str("wasm")])).error).toBeUndefined();
    expect(same(xdr.ContractExecutable, u32s(1)).error).toBeUndefined();
  });

  it("a payload-free arm is one shared instance per union and case (not for a captured union)", () => {
    const fast = compileDecoder<object>(schemaOf(xdr.ExtensionPoint));
    expect(fast(u32s(0))).toBe(fast(u32s(0)));
    const spans = new WeakMap<object, { start: number; end: number }>();
    const captured = compileDecoder<object>(
      schemaOf(xdr.ExtensionPoint),
      new Set([schemaOf(xdr.ExtensionPoint)]),
      spans,
    );
    const c = captured(u32s(0));
    expect(captured(u32s(0))).not.toBe(c);
    expect(spans.get(c)).toMatchObject({ start: 0, end: 4 });
  });

  it("bounds: truncated input", () => {
    expect(same(xdr.Price, u32s(3, 4).subarray(0, 6)).error).toMatch(/incomplete/);
    expect(same(xdr.ScVal, Buffer.concat([u32s(SCV_SYMBOL), str("hello")]).subarray(0, 10)).error).toMatch(
      /incomplete/,
    );
  });

  it("padding bytes must be zero (and present)", () => {
    expect(same(xdr.ScVal, Buffer.concat([u32s(SCV_SYMBOL), str("abc", 1)])).error).toMatch(/padding/);
    expect(
      same(xdr.ScVal, Buffer.concat([u32s(SCV_SYMBOL), str("abc")]).subarray(0, 11)).error,
    ).toBeDefined();
  });

  it("maximum lengths of strings and var arrays", () => {
    // SCSymbol is string<32>.
    expect(same(xdr.ScVal, Buffer.concat([u32s(SCV_SYMBOL), str("x".repeat(33))])).error).toMatch(
      /exceeds maximum 32/,
    );
    expect(same(xdr.ScVal, Buffer.concat([u32s(SCV_SYMBOL), str("x".repeat(32))])).error).toBeUndefined();
  });

  it("an array longer than the remaining bytes fails fast", () => {
    expect(same(xdr.ScVal, u32s(SCV_VEC, 1, 900, SCV_BOOL)).error).toMatch(/exceeds remaining/);
  });

  it("bool must be 0 or 1; option flags likewise", () => {
    expect(same(xdr.ScVal, u32s(SCV_BOOL, 2)).error).toMatch(/bool/);
    expect(same(xdr.ScVal, u32s(SCV_VEC, 2)).error).toMatch(/bool/);
  });

  it("enum values must be members; union discriminants must have a case", () => {
    expect(same(xdr.ContractDataDurability, u32s(2)).error).toMatch(/unknown enum value 2/);
    expect(same(xdr.ScVal, u32s(23)).error).toMatch(/no case for union discriminator 23/);
    expect(same(xdr.ContractExecutable, u32s(3)).error).toMatch(/no case/);
    expect(same(xdr.SorobanCredentials, u32s(4)).error).toMatch(/no case/);
  });

  it("the depth budget: nesting the SDK accepts is accepted, one level more is rejected", () => {
    // ScVal vec → option → array → lazy ScVal → union: each level of nesting enters 4 js-xdr frames.
    const nested = (k: number) => u32s(...Array(k).fill([SCV_VEC, 1, 1]).flat(), SCV_BOOL, 1);
    let ok = 0;
    let k = 300;
    for (; k < 400; k++) {
      const r = same(xdr.ScVal, nested(k));
      if (r.error) {
        expect(r.error).toMatch(/depth/);
        break;
      }
      ok = k;
    }
    expect(ok).toBeGreaterThan(300);
    expect(k).toBeLessThan(400);
  });

  it("the input must be consumed entirely", () => {
    expect(same(xdr.Price, u32s(1, 2, 0)).error).toMatch(/trailing/);
  });

  it("bad ledgers fail with decodeLedger's typed error (sequence, XDR type and the SDK's message)", () => {
    expect(() => decodeLedger(u32s(0, 1, 2), 42)).toThrow(LedgerDecodeError);
    expect(() => decodeLedger(u32s(0, 1, 2), 42)).toThrow(
      /^ledger 42: cannot decode LedgerCloseMeta: .*incomplete/,
    );
    expect(() => decodeLedger(Buffer.alloc(0))).toThrow(/^cannot decode LedgerCloseMeta: .*incomplete/);
    // An unknown LedgerCloseMeta version is a later protocol's arm, not a bad ledger.
    expect(() => decodeLedger(u32s(9), 42)).toThrow(UnsupportedProtocolError);
    expect(() => decodeLedger(u32s(9), 42)).toThrow(
      /^ledger 42 is of an unknown protocol; this build reads ≤ 28: upgrade stellar-lake \(LedgerCloseMeta: /,
    );
  });
});
