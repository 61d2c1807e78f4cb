/**
 * Generates, from the SDK's XDR definitions (js-xdr 5 schemas plus the class owning each named schema), one
 * specialised reader function per schema node reachable from a root type, as JavaScript source compiled once
 * with `new Function`.
 *
 * Why generated code: the SDK decodes in two passes. js-xdr walks the schema generically (per field a
 * dynamic `schema._read(reader, path)`, a path string built for every value, a plain "wire" object per struct
 * and union), then every class's `fromXdrObject` walks that wire tree again to build the class instances.
 * The generated readers are monomorphic straight-line code over one byte array and one position, building
 * the final instances in the one pass, with no path strings.
 *
 * What they build is what the SDK builds: instances are allocated by "shadow" constructors whose `prototype`
 * is the SDK class's prototype (so `instanceof`, getters such as a union's `value`, and `toXdr()` are
 * unchanged) and which assign the same own fields in the same order (a struct's fields in schema order; a
 * union arm's `type` then its payload field; a BytesValue's `value`; an XdrString's `bytes`). Enums are the
 * classes' own singletons, opaques plain Uint8Arrays over the input's memory (js-xdr copies them; the
 * transform never mutates decoded values). A union arm without payload (an extension point, a `v0` ext) is
 * one shared instance per union type and case (never for captured types: each value there has a span).
 *
 * Every check js-xdr makes is kept, so the fast decoder rejects exactly the inputs the SDK rejects: bounds,
 * zero padding, array/opaque/string maximum lengths, "length exceeds remaining bytes", bool and option flags
 * 0/1, enum membership, a known union case, an array element consuming input, the 1500-level depth budget
 * (entered where js-xdr's Reader enters it: structs, unions, arrays, options, lazy references) and full
 * consumption of the input. Its messages are its own: `decodeLedger` re-decodes a rejected ledger with the
 * SDK, whose message (with js-xdr's path) is the one reported.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { classOfSchema, isXdrString, resolved, type Schema } from "./runtime";

/** js-xdr's Reader default (`XdrValue.fromXDR` passes no options). */
export const MAX_DEPTH = 1500;

export interface Generated {
  /** JavaScript source of a function body taking (K, SPANS, Err) and returning `decode(bytes)`. */
  source: string;
  /** The constants the source refers to as K0, K1, … (prototypes, enum singletons). */
  constants: unknown[];
}

const ident = (s: string) => s.replace(/\W/g, "");

/**
 * `captured`: schemas whose decoded values get their byte span recorded in SPANS (as
 * `{ buffer, start, end }`, `buffer` a Buffer over the input), wherever in the graph they are read.
 */
export function generate(root: Schema, captured: ReadonlySet<object>): Generated {
  const constants: unknown[] = [];
  const constIndex = new Map<unknown, number>();
  const K = (v: unknown): string => {
    let i = constIndex.get(v);
    if (i === undefined) {
      i = constants.length;
      constants.push(v);
      constIndex.set(v, i);
    }
    return `K${i}`;
  };
  const fnNames = new Map<Schema, string>();
  const pending: Schema[] = [];
  const out: string[] = [];
  let next = 0;

  /** The reader function of a schema node (generated on demand). */
  const fn = (s: Schema): string => {
    let name = fnNames.get(s);
    if (!name) {
      name = `r${next++}_${ident(s.name ?? classOfSchema(s)?.name ?? s.kind)}`;
      fnNames.set(s, name);
      pending.push(s);
    }
    return name;
  };

  const spanOpen = (s: Schema) => (captured.has(s) ? "const s0 = p;\n" : "");
  const spanClose = (s: Schema, v: string) =>
    captured.has(s) ? `SPANS.set(${v}, { buffer: B, start: s0, end: p });\n` : "";

  /** An expression reading one value of `s` (inline for scalars, a call for everything else). */
  const read = (s: Schema): string => {
    switch (s.kind) {
      case "int32":
        return "i32()";
      case "uint32":
        return "u32()";
      case "int64":
        return "i64()";
      case "uint64":
        return "u64()";
      case "bool":
        return "bool()";
      case "float":
        return "f32()";
      case "double":
        return "f64()";
      case "void":
        return "undefined";
      default:
        return `${fn(s)}()`;
    }
  };

  /** A shadow constructor assigning `fields` in order onto instances of `proto`. */
  const shadow = (
    name: string,
    proto: object,
    fields: readonly string[],
    fixed: Record<string, string> = {},
  ) => {
    for (const f of fields)
      if (f === "__proto__") throw new Error(`fast XDR decoder: field name __proto__ in ${name}`);
    const params = fields.filter((f) => !(f in fixed));
    const body = fields.map((f) => `this[${JSON.stringify(f)}] = ${fixed[f] ?? `a${params.indexOf(f)}`};`);
    out.push(
      `function ${name}(${params.map((_, i) => `a${i}`).join(", ")}) { ${body.join(" ")} }\n` +
        `${name}.prototype = ${K(proto)};\n`,
    );
    return name;
  };

  const emitStruct = (s: Schema, name: string) => {
    const cls = classOfSchema(s);
    if (!cls) throw new Error(`fast XDR decoder: struct ${s.name} has no SDK class`);
    const entries = s.entries as [string, Schema][];
    const ctor = shadow(
      `${name}_new`,
      cls.prototype,
      entries.map(([f]) => f),
    );
    out.push(
      `function ${name}() {\nif (++d > ${MAX_DEPTH}) deep();\n${spanOpen(s)}` +
        `const o = new ${ctor}(${entries.map(([, fs]) => read(fs)).join(", ")});\nd--;\n${spanClose(s, "o")}return o;\n}\n`,
    );
  };

  const emitUnion = (s: Schema, name: string) => {
    const cls = classOfSchema(s);
    if (!cls) throw new Error(`fast XDR decoder: union ${s.name} has no SDK class`);
    if (s.defaultArm !== undefined) throw new Error(`fast XDR decoder: union ${s.name} has a default arm`);
    const on = resolved(s.switchOn);
    const readSwitch = on.kind === "uint32" ? "u32()" : on.kind === "bool" ? "bool()" : "i32()";
    const cases: string[] = [];
    for (const c of s.cases as {
      name: string;
      discriminant: number | boolean;
      arm: Schema | { kind: "field"; name: string; schema: Schema };
    }[]) {
      const proto = armPrototype(cls, c.name);
      const type = JSON.stringify(c.name);
      const label = `case ${JSON.stringify(c.discriminant)}:`;
      if (c.arm.kind === "field") {
        const arm = c.arm as { name: string; schema: Schema };
        const ctor = shadow(`${name}_${ident(c.name)}`, proto, ["type", arm.name], { type });
        cases.push(`${label} o = new ${ctor}(${read(arm.schema)}); break;`);
      } else {
        const ctor = shadow(`${name}_${ident(c.name)}`, proto, ["type"], { type });
        if (captured.has(s)) cases.push(`${label} o = new ${ctor}(); break;`);
        else {
          // Payload-free arms: one shared instance (decoded values are never mutated).
          const v = `${name}_${ident(c.name)}_v`;
          out.push(`let ${v};\n`);
          cases.push(`${label} o = ${v} !== undefined ? ${v} : (${v} = new ${ctor}()); break;`);
        }
      }
    }
    out.push(
      `function ${name}() {\nif (++d > ${MAX_DEPTH}) deep();\n${spanOpen(s)}const w = ${readSwitch};\nlet o;\n` +
        `switch (w) {\n${cases.join("\n")}\ndefault: throw new Err(${JSON.stringify(`${s.name}: no case for union discriminator `)} + w);\n}\n` +
        `d--;\n${spanClose(s, "o")}return o;\n}\n`,
    );
  };

  const emitEnum = (s: Schema, name: string) => {
    const cls = classOfSchema(s);
    if (!cls) throw new Error(`fast XDR decoder: enum ${s.name} has no SDK class`);
    const cases: string[] = [];
    for (const [value] of s.nameByValue as Map<number, string>)
      cases.push(`case ${value}: return ${K(cls.fromValue(value))};`);
    out.push(
      `function ${name}() {\nconst v = i32();\nswitch (v) {\n${cases.join("\n")}\n` +
        `default: throw new Err(${JSON.stringify(`${s.name}: unknown enum value `)} + v);\n}\n}\n`,
    );
  };

  /** opaque[n] / opaque<max> / string<max>: the bytes, wrapped as the SDK wraps them (a class, XdrString). */
  const emitBytes = (s: Schema, name: string) => {
    const head =
      s.kind === "opaque"
        ? `const n = ${s.length};\n`
        : `const n = u32();\nif (n > ${s.maxLength}) throw new Err("length " + n + " exceeds maximum ${s.maxLength}");\n`;
    const cls = classOfSchema(s);
    let wrap = "v";
    if (cls) wrap = `new ${shadow(`${name}_new`, cls.prototype, ["value"])}(v)`;
    else if (isXdrString(s)) wrap = `new ${shadow(`${name}_new`, xdr.XdrString.prototype, ["bytes"])}(v)`;
    out.push(
      `function ${name}() {\n${spanOpen(s)}${head}const v = bytes(n);\nconst o = ${wrap};\n${spanClose(s, "o")}return o;\n}\n`,
    );
  };

  const emitArray = (s: Schema, name: string) => {
    const fixed = s.kind === "fixedArray";
    const head = fixed
      ? `const n = ${s.length};\n`
      : `const n = u32();\nif (n > ${s.maxLength}) throw new Err("array length " + n + " exceeds maximum ${s.maxLength}");\n`;
    out.push(
      `function ${name}() {\nif (++d > ${MAX_DEPTH}) deep();\n${spanOpen(s)}${head}` +
        `if (n > end - p) throw new Err("array length " + n + " exceeds remaining " + (end - p) + " byte(s)");\n` +
        `const a = [];\nfor (let i = 0; i < n; i++) {\nconst q = p;\na.push(${read(s.element)});\n` +
        `if (p === q) throw new Err("array element consumed no input");\n}\nd--;\n${spanClose(s, "a")}return a;\n}\n`,
    );
  };

  const emitOption = (s: Schema, name: string) => {
    out.push(
      `function ${name}() {\nif (++d > ${MAX_DEPTH}) deep();\nconst f = bool();\n` +
        `const v = f ? ${read(s.element)} : null;\nif (f && v === null) throw new Err("present option decoded to null");\n` +
        `d--;\nreturn v;\n}\n`,
    );
  };

  const emitLazy = (s: Schema, name: string) => {
    out.push(
      `function ${name}() {\nif (++d > ${MAX_DEPTH}) deep();\nconst v = ${read(s.getSchema())};\nd--;\nreturn v;\n}\n`,
    );
  };

  const emit = (s: Schema, name: string) => {
    switch (s.kind) {
      case "struct":
        return emitStruct(s, name);
      case "union":
        return emitUnion(s, name);
      case "enum":
        return emitEnum(s, name);
      case "opaque":
      case "varOpaque":
      case "string":
        return emitBytes(s, name);
      case "array":
      case "fixedArray":
        return emitArray(s, name);
      case "option":
        return emitOption(s, name);
      case "lazy":
        return emitLazy(s, name);
      default:
        throw new Error(`fast XDR decoder: unsupported schema kind ${s.kind} (${s.name ?? "inline"})`);
    }
  };

  const rootFn = read(root);
  while (pending.length) {
    const s = pending.shift() as Schema;
    emit(s, fnNames.get(s) as string);
  }

  const prelude = `"use strict";
let b, dv, p = 0, end = 0, d = 0, B;
function deep() { throw new Err("max recursion depth ${MAX_DEPTH} exceeded"); }
function need(n) { if (end - p < n) throw new Err("incomplete XDR data at offset " + p + ", expected " + n + " byte(s)"); }
function i32() { need(4); const v = dv.getInt32(p); p += 4; return v; }
function u32() { need(4); const v = dv.getUint32(p); p += 4; return v; }
function i64() { need(8); const v = dv.getBigInt64(p); p += 8; return v; }
function u64() { need(8); const v = dv.getBigUint64(p); p += 8; return v; }
function f32() { need(4); const v = dv.getFloat32(p); p += 4; return v; }
function f64() { need(8); const v = dv.getFloat64(p); p += 8; return v; }
function bool() { const v = u32(); if (v === 0) return false; if (v === 1) return true; throw new Err("invalid bool discriminant " + v); }
function bytes(n) {
  need(n);
  const v = new Uint8Array(b.buffer, b.byteOffset + p, n);
  p += n;
  const pad = (4 - (n % 4)) % 4;
  if (pad) { need(pad); for (let i = 0; i < pad; i++) if (b[p + i] !== 0) throw new Err("non-zero XDR padding"); p += pad; }
  return v;
}
`;
  const entry = `return function decode(input) {
b = input; dv = new DataView(input.buffer, input.byteOffset, input.byteLength); p = 0; end = input.byteLength; d = 0;
B = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
try {
  const v = ${rootFn};
  if (p !== end) throw new Err("trailing " + (end - p) + " byte(s) after XDR value");
  return v;
} finally { b = dv = B = undefined; }
};
`;
  const kDecls = constants.map((_, i) => `const K${i} = K[${i}];`).join("\n");
  return { source: `${prelude}${kDecls}\n${out.join("")}${entry}`, constants };
}

let armClasses: Map<object, Map<string, object>> | null = null;

/**
 * The prototype of a union case's arm class. The SDK exports one subclass of the union per case; the case
 * it stands for is its `type` class field, which only an instance (or the class's source) shows, and arm
 * constructors validate or convert their payload, so no instance can be made without one: the field is read
 * from the class source (`type = "…"`), and a case without a matching class makes the decoder unavailable.
 */
function armPrototype(union: object, caseName: string): object {
  if (!armClasses) {
    armClasses = new Map();
    for (const value of Object.values(xdr)) {
      if (typeof value !== "function") continue;
      const parent = Object.getPrototypeOf(value) as object;
      const m = /\btype = "([^"]+)"/.exec(Function.prototype.toString.call(value));
      if (!m) continue;
      let byCase = armClasses.get(parent);
      if (!byCase) {
        byCase = new Map();
        armClasses.set(parent, byCase);
      }
      byCase.set(m[1] as string, (value as { prototype: object }).prototype);
    }
  }
  const proto = armClasses.get(union)?.get(caseName);
  if (!proto) throw new Error(`fast XDR decoder: no arm class for case ${caseName}`);
  return proto;
}
