import { createRequire } from "node:module";
import { xdr } from "@stellar/stellar-base";
import { type LedgerBlob, readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures, seededRandom } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { CAPTURED, decodeWithSpans } from "../src/changes/raw-xdr";
import { decodeFallbacks, decodeLedger, LedgerDecodeError } from "../src/hot-rows";
import { specializeAccessors } from "../src/xdr-fast/accessors";
import { compileDecoder, XdrReadError } from "../src/xdr-fast/index";
import { fastDecoderUnavailable, fastLedgerDecoder } from "../src/xdr-fast/ledger";
import { jsXdr } from "../src/xdr-fast/runtime";
import { LEDGER_FIXTURES } from "./changes-fixtures";
import { compareDecoded } from "./xdr-equal";

const P27 = "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/090b6171bc887479.xdr";

function baseDecode(buf: Buffer): xdr.LedgerCloseMeta {
  return decodeWithSpans(() => xdr.LedgerCloseMeta.fromXDR(buf));
}

function view(b: LedgerBlob): Buffer {
  return Buffer.from(b.xdr.buffer, b.xdr.byteOffset, b.xdr.byteLength);
}

describe.skipIf(!haveFixtures())("fast LedgerCloseMeta decoder on every fixture", () => {
  it("compiles from stellar-base's definitions", () => {
    expect(fastDecoderUnavailable()).toBeNull();
    expect(fastLedgerDecoder()).toBeTypeOf("function");
  });

  it.each(LEDGER_FIXTURES.map((f) => [f.path]))(
    "%s: same objects, fields and spans as stellar-base; re-encodes to the input",
    async (path) => {
      const before = decodeFallbacks();
      let spans = 0;
      for (const blob of await readLedgerFile(fixture(path))) {
        const buf = view(blob);
        const fast = decodeLedger(blob.xdr, blob.sequence);
        const base = baseDecode(buf);
        const c = compareDecoded(fast, base, { spans: true });
        expect(c.difference, `ledger ${blob.sequence}`).toBeNull();
        spans += c.spans;
        expect(fast.toXDR().equals(buf)).toBe(true);
      }
      expect(spans).toBeGreaterThan(0);
      // Decoded by the fast decoder itself, not by the stellar-base fallback.
      expect(decodeFallbacks()).toBe(before);
    },
    300_000,
  );

  it("the protocol-27 ledger: the fast decoder rejects it as stellar-base does; decodeLedger's typed error", async () => {
    const fast = fastLedgerDecoder()!;
    let rejected = 0;
    for (const blob of await readLedgerFile(fixture(P27))) {
      let baseError: Error | null = null;
      try {
        xdr.LedgerCloseMeta.fromXDR(view(blob));
      } catch (err) {
        baseError = err as Error;
      }
      if (!baseError) {
        expect(
          compareDecoded(fast(view(blob)), xdr.LedgerCloseMeta.fromXDR(view(blob))).difference,
        ).toBeNull();
        continue;
      }
      rejected++;
      expect(() => fast(view(blob))).toThrow(baseError.message);
      expect(baseError.message).toMatch(/SorobanCredentialsType/);
      expect(() => decodeLedger(blob.xdr, blob.sequence)).toThrow(LedgerDecodeError);
      expect(() => decodeLedger(blob.xdr, blob.sequence)).toThrow(
        new RegExp(`^ledger ${blob.sequence}: cannot decode LedgerCloseMeta: .*SorobanCredentialsType`),
      );
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it("records spans for any type name in CAPTURED-style lists (e.g. ScVal, LedgerEntry, a typedef'd Hash)", async () => {
    const names = [
      ...CAPTURED,
      "ScVal",
      "LedgerEntry",
      "ContractEvent",
      "Hash",
      "ScAddress",
      "OperationMeta",
    ];
    const types = new Set(names.map((n) => (xdr as unknown as Record<string, object>)[n]!));
    const spans = new WeakMap<object, { buffer: Buffer; start: number; end: number }>();
    const fast = compileDecoder<xdr.LedgerCloseMeta>(xdr.LedgerCloseMeta, types, spans);
    const baseSpans = new WeakMap<object, { start: number; end: number }>();
    const blobs = await readLedgerFile(
      fixture("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/48c781bbceb21112.xdr"),
    );
    let compared = 0;
    for (const blob of blobs) {
      const buf = view(blob);
      const base = withWrappedReads(names, baseSpans, () => xdr.LedgerCloseMeta.fromXDR(buf));
      const got = fast(buf);
      expect(compareDecoded(got, base).difference).toBeNull();
      // Walk both graphs in step and compare every recorded span.
      const walk = (a: unknown, b: unknown) => {
        if (a === null || typeof a !== "object" || b === null || typeof b !== "object") return;
        const sa = spans.get(a);
        const sb = baseSpans.get(b);
        expect(!!sa).toBe(!!sb);
        if (sa && sb && !(a as object as { enumName?: string }).enumName) {
          expect([sa.start, sa.end]).toEqual([sb.start, sb.end]);
          compared++;
        }
        if (Buffer.isBuffer(a)) return;
        for (const k of Reflect.ownKeys(a)) {
          if (k === "_armType") continue;
          walk((a as Record<string | symbol, unknown>)[k], (b as Record<string | symbol, unknown>)[k]);
        }
      };
      walk(got, base);
    }
    expect(compared).toBeGreaterThan(100);
  });
});

/** stellar-base's reads of the named types wrapped to record spans (as raw-xdr's decodeWithSpans does). */
function withWrappedReads<T>(
  names: string[],
  into: WeakMap<object, { start: number; end: number }>,
  decode: () => T,
): T {
  type Readable = { read(reader: { _index: number }, depth?: number): unknown };
  const undo: (() => void)[] = [];
  for (const name of new Set(names)) {
    const cls = (xdr as unknown as Record<string, Readable>)[name]!;
    const own = Object.hasOwn(cls, "read");
    const read = cls.read;
    cls.read = function (this: Readable, reader, depth) {
      const start = reader._index;
      const v = read.call(this, reader, depth);
      if (v !== null && typeof v === "object") into.set(v, { start, end: reader._index });
      return v;
    };
    undo.push(() => {
      // Leave no own `read` behind where the type only inherited one (e.g. the typedef'd Hash opaque).
      if (own) cls.read = read;
      else delete (cls as Partial<Readable>).read;
    });
  }
  try {
    return decode();
  } finally {
    for (const u of undo) u();
  }
}

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
  ];
  it.each(inputs.map((p, i) => [p, 1000 + i]))(
    "%s: throws whenever stellar-base throws, else decodes the same value (seed %i)",
    async (path, seed) => {
      const fast = fastLedgerDecoder()!;
      const blobs = (await readLedgerFile(fixture(path))).filter((b) => b.xdr.length < 400_000);
      const rnd = seededRandom(seed);
      let thrown = 0;
      let decoded = 0;
      const deadline = Date.now() + 5_000;
      for (let i = 0; i < 250 && Date.now() < deadline; i++) {
        const blob = blobs[Math.floor(rnd() * blobs.length)]!;
        const bytes = mutate(view(blob), rnd);
        let base: xdr.LedgerCloseMeta | null = null;
        let baseErr: Error | null = null;
        try {
          base = xdr.LedgerCloseMeta.fromXDR(bytes);
        } catch (err) {
          baseErr = err as Error;
        }
        let got: xdr.LedgerCloseMeta | null = null;
        let gotErr: unknown = null;
        try {
          got = fast(bytes);
        } catch (err) {
          gotErr = err;
        }
        const where = `seed ${seed} case ${i}`;
        if (baseErr) {
          expect(gotErr, where).toBeInstanceOf(Error);
          // Same verdict and, for the reader's own checks, the same message.
          if (baseErr.message.startsWith("XDR Read Error"))
            expect((gotErr as Error).message, where).toBe(baseErr.message);
          thrown++;
        } else {
          expect(gotErr, where).toBeNull();
          expect(compareDecoded(got, base).difference, where).toBeNull();
          decoded++;
        }
      }
      expect(thrown).toBeGreaterThan(0);
      expect(thrown + decoded).toBeGreaterThan(20);
    },
    60_000,
  );
});

// js-xdr itself, to define small test types for each check (the same module instance stellar-base uses).
const jsxdr = createRequire(createRequire(import.meta.url).resolve("@stellar/stellar-base"))(
  "@stellar/js-xdr",
);

// biome-ignore lint/suspicious/noExplicitAny: js-xdr's definition DSL is untyped.
const T: Record<string, any> = jsxdr.config((d: any) => {
  d.enum("Color", { red: 0, green: 1, blue: 5 });
  d.struct("Flags", [
    ["ok", d.bool()],
    ["color", d.lookup("Color")],
  ]);
  d.union("Shape", {
    switchOn: d.lookup("Color"),
    switchName: "color",
    switches: [
      ["red", "radius"],
      ["green", d.void()],
    ],
    arms: { radius: d.uint() },
  });
  d.union("Versioned", {
    switchOn: d.int(),
    switchName: "v",
    switches: [[0, d.void()]],
    arms: {},
    defaultArm: d.void(),
  });
  d.union("Strict", {
    switchOn: d.int(),
    switchName: "v",
    switches: [
      [0, d.void()],
      [1, "n"],
    ],
    arms: { n: d.hyper() },
  });
  d.struct("Limits", [
    ["tag", d.string(5)],
    ["blob", d.varOpaque(6)],
    ["fixed", d.opaque(3)],
    ["list", d.varArray(d.uint(), 2)],
    ["pair", d.array(d.int(), 2)],
    ["maybe", d.option(d.uhyper())],
  ]);
  d.struct("Node", [["next", d.option(d.lookup("Node"))]]);
});

function u32s(...words: number[]): Buffer {
  const b = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) b.writeUInt32BE(words[i]! >>> 0, i * 4);
  return b;
}

/** Decodes with js-xdr and with the fast decoder: the same value, or the same error message. */
function same(type: unknown, bytes: Buffer): { value?: unknown; error?: string } {
  const fast = compileDecoder(type);
  // biome-ignore lint/suspicious/noExplicitAny: js-xdr type objects.
  const t = type as any;
  let base: { value?: unknown; error?: string };
  try {
    base = { value: t.fromXDR(bytes) };
  } catch (err) {
    base = { error: (err as Error).message };
  }
  let got: { value?: unknown; error?: string };
  try {
    got = { value: fast(bytes) };
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    got = { error: (err as Error).message };
  }
  expect(got.error).toBe(base.error);
  if (!base.error) expect(compareDecoded(got.value, base.value).difference).toBeNull();
  return got;
}

const limits = (tag: Buffer, blob: Buffer, list: number[], maybe: Buffer = u32s(0)) =>
  Buffer.concat([tag, blob, Buffer.from([7, 8, 9, 0]), u32s(list.length, ...list), u32s(3, 4), maybe]);
const str = (s: string, pad = 0) => {
  const body = Buffer.from(s);
  const p = (4 - (body.length % 4)) % 4;
  return Buffer.concat([u32s(body.length), body, Buffer.alloc(p, pad)]);
};

describe("fast decoder validity checks (each against js-xdr's own verdict and message)", () => {
  it("decodes a valid value of every construct", () => {
    expect(same(T.Flags, u32s(1, 5)).value).toBeInstanceOf(T.Flags);
    expect(same(T.Shape, u32s(0, 7)).value).toBeInstanceOf(T.Shape);
    expect(same(T.Shape, u32s(1)).error).toBeUndefined();
    const ok = same(T.Limits, limits(str("abc"), str("xy"), [1, 2], u32s(1, 0, 9)));
    expect(ok.error).toBeUndefined();
    expect((ok.value as { maybe(): { _value: bigint } }).maybe()._value).toBe(9n);
    expect(same(T.Strict, u32s(1, 0xffffffff, 0xfffffffe)).value).toBeDefined();
  });

  it("a void arm is one shared instance per union and switch value (not a default arm, nor a captured union)", () => {
    const fast = compileDecoder<{ _value: unknown }>(T.Versioned);
    const a = fast(u32s(0));
    expect(fast(u32s(0))).toBe(a);
    // The default arm (also void) covers every other switch value: a new instance each, with its own switch.
    const d7 = fast(u32s(7));
    const d9 = fast(u32s(9));
    expect(d7).not.toBe(a);
    expect(d9).not.toBe(d7);
    expect(compareDecoded(d7, T.Versioned.fromXDR(u32s(7))).difference).toBeNull();
    expect(compareDecoded(d9, T.Versioned.fromXDR(u32s(9))).difference).toBeNull();
    // A union with a value arm builds a new instance for it; its void arm is shared.
    const strict = compileDecoder(T.Strict);
    expect(strict(u32s(1, 0, 5))).not.toBe(strict(u32s(1, 0, 5)));
    expect(strict(u32s(0))).toBe(strict(u32s(0)));
    const spans = new WeakMap<object, { start: number; end: number }>();
    const captured = compileDecoder<object>(T.Versioned, new Set([T.Versioned]), spans);
    const c = captured(u32s(0));
    expect(captured(u32s(0))).not.toBe(c);
    expect(spans.get(c)).toMatchObject({ start: 0, end: 4 });
  });

  it("bounds: truncated input", () => {
    expect(same(T.Flags, u32s(1, 5).subarray(0, 6)).error).toMatch(/outside the boundary/);
    expect(same(T.Strict, u32s(1, 0)).error).toMatch(/outside the boundary/);
    expect(same(T.Limits, limits(str("abc"), str("xy"), [1]).subarray(0, 10)).error).toMatch(/boundary/);
  });

  it("padding bytes must be zero (and present)", () => {
    expect(same(T.Limits, limits(str("abc", 1), str("xy"), [1])).error).toMatch(/invalid padding/);
    expect(same(T.Limits, limits(str("abc"), str("xy", 9), [1])).error).toMatch(/invalid padding/);
    // Fixed opaque<3>: its pad byte is nonzero.
    const b = limits(str("abc"), str("xy"), [1]);
    b[str("abc").length + str("xy").length + 3] = 1;
    expect(same(T.Limits, b).error).toMatch(/invalid padding/);
    expect(same(T.Limits, limits(str("abc"), str("xy"), [1]).subarray(0, 7)).error).toMatch(
      /invalid padding/,
    );
  });

  it("maximum lengths of strings, var opaques and var arrays", () => {
    expect(same(T.Limits, limits(str("abcdef"), str("xy"), [1])).error).toMatch(/saw 6 length String/);
    expect(same(T.Limits, limits(str("abc"), str("1234567"), [1])).error).toMatch(/saw 7 length VarOpaque/);
    expect(same(T.Limits, limits(str("abc"), str("xy"), [1, 2, 3])).error).toMatch(/saw 3 length VarArray/);
  });

  it("a var array longer than the remaining bytes fails fast", () => {
    expect(same(T.Node, Buffer.alloc(0)).error).toMatch(/boundary/);
    const arr = compileDecoder(new jsxdr.VarArray(jsxdr.Int, 1000));
    expect(() => arr(u32s(900, 1))).toThrow(/VarArray length 900 exceeds remaining 4 bytes/);
    expect(same(new jsxdr.VarArray(jsxdr.Int, 1000), u32s(900, 1)).error).toMatch(/exceeds remaining/);
  });

  it("bool must be 0 or 1; option flags likewise", () => {
    expect(same(T.Flags, u32s(2, 0)).error).toMatch(/got 2 when trying to read a bool/);
    expect(same(T.Limits, limits(str("a"), str("b"), [], u32s(2))).error).toMatch(/got 2 when trying/);
  });

  it("enum values must be members", () => {
    expect(same(T.Flags, u32s(0, 2)).error).toMatch(/unknown Color member for value 2/);
    expect(same(T.Flags, u32s(0, 0xffffffff)).error).toMatch(/unknown Color member for value -1/);
  });

  it("union switches must be known (or take the default arm)", () => {
    // blue is a Color but has no Shape arm; 3 is not a Color at all.
    expect(same(T.Shape, u32s(5)).error).toMatch(/Bad union switch/);
    expect(same(T.Shape, u32s(3)).error).toMatch(/unknown Color member for value 3/);
    expect(same(T.Strict, u32s(2)).error).toMatch(/Bad union switch: 2/);
    const v = same(T.Versioned, u32s(7)).value as { switch(): number; arm(): unknown };
    expect(v.switch()).toBe(7);
  });

  it("the depth budget: nesting js-xdr accepts is accepted, one level more is rejected", () => {
    // Node (depth d) → Option (d - 1) → Node (d - 2) …: a chain of k present links nests 2k + 1 levels.
    const chain = (k: number) => u32s(...Array(k).fill(1), 0);
    expect(same(T.Node, chain(99)).error).toBeUndefined();
    expect(same(T.Node, chain(100)).error).toMatch(/exceeded max decoding depth/);
    expect(same(T.Node, chain(5000)).error).toMatch(/exceeded max decoding depth/);
  });

  it("the input must be consumed entirely", () => {
    expect(same(T.Flags, u32s(1, 0, 0)).error).toMatch(/not entirely consumed/);
  });

  it("bad ledgers still fail with decodeLedger's typed error (sequence and XDR type named)", () => {
    expect(() => decodeLedger(u32s(0, 1, 2), 42)).toThrow(LedgerDecodeError);
    expect(() => decodeLedger(u32s(9), 42)).toThrow(/^ledger 42: cannot decode LedgerCloseMeta: /);
    expect(() => decodeLedger(Buffer.alloc(0))).toThrow(/^cannot decode LedgerCloseMeta: .*boundary/);
  });

  it("errors are js-xdr-style read errors", () => {
    expect(() => compileDecoder(T.Flags)(u32s(3, 0))).toThrow(XdrReadError);
  });
});

describe("specialised struct accessors", () => {
  it("replace js-xdr's shared accessor on every struct reachable from LedgerCloseMeta, once, reading and writing alike", () => {
    expect(fastLedgerDecoder()).not.toBeNull();
    const proto = xdr.LedgerHeader.prototype as unknown as Record<string, { name: string }>;
    expect(proto.ledgerSeq!.name).toBe("readOrWriteAttribute_");
    expect((xdr.ContractDataEntry.prototype as unknown as Record<string, { name: string }>).key!.name).toBe(
      "readOrWriteAttribute_",
    );
    // Already specialised: a second pass replaces nothing.
    expect(specializeAccessors(xdr.LedgerCloseMeta)).toBe(0);
    const price = new xdr.Price({ n: 3, d: 4 });
    expect(price.n()).toBe(3);
    expect(price.n(undefined)).toBe(3);
    expect(price.d(9)).toBe(9);
    expect(price.d()).toBe(9);
    expect(xdr.Price.fromXDR(price.toXDR()).d()).toBe(9);
  });

  it("leave a method defined under a field's name alone", () => {
    const X = jsXdr() as unknown as {
      config(f: (x: Record<string, (...a: unknown[]) => unknown>) => void): Record<string, XdrClass>;
    };
    type XdrClass = { prototype: Record<string, (v?: unknown) => unknown>; new (a: object): object };
    const types = X.config((x) => {
      x.struct!("Pair", [
        ["a", x.int!()],
        ["b", x.int!()],
      ]);
    });
    const Pair = types.Pair!;
    const custom = () => "mine";
    Pair.prototype.a = custom;
    expect(specializeAccessors(Pair)).toBe(1);
    expect(Pair.prototype.a).toBe(custom);
    const p = new Pair({ a: 1, b: 2 }) as unknown as Record<string, (v?: unknown) => unknown>;
    expect(p.b!()).toBe(2);
    expect(p.b!(5)).toBe(5);
    expect(p.b!()).toBe(5);
  });
});
