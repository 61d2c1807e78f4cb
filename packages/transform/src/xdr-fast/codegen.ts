/**
 * Generates, from stellar-base's type definitions, one specialised reader function per XDR type reachable from
 * a root type, as JavaScript source compiled once with `new Function`.
 *
 * Why generated code: js-xdr reads generically (per field a dynamic `type.read(reader)`, a `for…of` over the
 * field list, `new this(attributes)` through a constructor chain, a Map lookup per union arm, BigInt assembly
 * through `encodeBigIntFromBits`). The generated readers are monomorphic straight-line code over one Buffer
 * and one position variable; V8 inlines the small primitive readers into them.
 *
 * What they build is what js-xdr builds: objects are allocated by "shadow" constructors whose `prototype` is
 * the stellar-base class's prototype (so `instanceof`, `.constructor`, accessors and `toXDR()` are unchanged)
 * and which assign exactly the fields js-xdr's constructors assign, in the same order (structs: `_maxDepth`,
 * `_attributes`; unions: `_maxDepth`, `_switch`, `_arm`, `_armType`, `_value`; Hyper: `_value`). Enums are
 * the classes' own singletons; opaques and strings are `subarray`s of the input, as `XdrReader.read` returns.
 * One difference, invisible to readers: a union value whose arm is void (an extension point, a `v0` ext) is
 * one shared instance per union type and switch value (never for a default arm, whose case covers many switch
 * values, nor for captured types, whose values each have a span).
 * Decoded values are never mutated (`changes/raw-xdr.ts`), so sharing them is safe.
 *
 * Every check js-xdr makes is kept, with its message: bounds, zero padding, var-array/opaque/string maximum
 * lengths, the "length exceeds remaining bytes" fast fail, bool 0/1, option flag 0/1, enum membership, known
 * union switch (or default arm), the remaining-depth budget (checked where js-xdr checks it, so deep input is
 * accepted or rejected exactly as stellar-base does), and full consumption of the input.
 */
import { jsXdr, kindOf, typeName, type XdrType } from "./runtime";

/** Kinds read by a generated function of their own (which records the span itself when captured). */
const COMPOSITE = new Set(["struct", "union", "array", "vararray", "option"]);

export interface Generated {
  /** JavaScript source of a function body taking (K, SPANS, Err, TypeErr) and returning `decode(buf)`. */
  source: string;
  /** The constants the source refers to as K0, K1, … (classes, prototypes, enum singletons). */
  constants: unknown[];
}

/**
 * `captured`: type objects whose decoded values get their byte span recorded in SPANS (as
 * `{ buffer, start, end }`), wherever in the graph they are read.
 */
export function generate(root: XdrType, captured: ReadonlySet<XdrType>): Generated {
  const X = jsXdr();
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
  const fnNames = new Map<XdrType, string>();
  const pending: XdrType[] = [];
  const out: string[] = [];
  /** Declarations of the shared void-arm instances (`V0`, `V1`, …), made on first use. */
  const voidDecls: string[] = [];
  let voids = 0;
  let next = 0;

  /** The reader function of a composite type (generated on demand). */
  const fn = (t: XdrType): string => {
    let name = fnNames.get(t);
    if (!name) {
      name = `r${next++}_${typeName(t).replace(/\W/g, "")}`;
      fnNames.set(t, name);
      pending.push(t);
    }
    return name;
  };

  /** The span-recording wrapper of a captured leaf type (its own name: the enum reader keeps `fn`'s). */
  const capNames = new Map<XdrType, string>();
  const capFn = (t: XdrType): string => {
    let name = capNames.get(t);
    if (!name) {
      name = `c${next++}_${typeName(t).replace(/\W/g, "")}`;
      capNames.set(t, name);
      emitCapturedLeaf(t, name);
    }
    return name;
  };

  /** An expression reading one value of `t`; `d` is the expression for the remaining depth passed to it. */
  const read = (t: XdrType, d: string, uncaptured = false): string => {
    const k = kindOf(t);
    if (!uncaptured && captured.has(t) && !COMPOSITE.has(k)) return `${capFn(t)}(${d})`;
    switch (k) {
      case "int":
        return "i32()";
      case "uint":
        return "(i32() >>> 0)";
      case "bool":
        return "bool()";
      case "hyper":
        return "hyper()";
      case "uhyper":
        return "uhyper()";
      case "float":
        return "f32()";
      case "double":
        return "f64()";
      case "void":
        return "undefined";
      case "opaque":
        return `opq(${lengthOf(t._length)})`;
      case "varopaque":
        return `vopq(${lengthOf(t._maxLength)}, "VarOpaque")`;
      case "string":
        return `vopq(${lengthOf(t._maxLength)}, "String")`;
      case "enum":
        return `${fn(t)}()`;
      default:
        return `${fn(t)}(${d})`;
    }
  };

  const spanOpen = (t: XdrType) => (captured.has(t) ? "const s = p;\n" : "");
  const spanClose = (t: XdrType, v: string) =>
    captured.has(t) ? `SPANS.set(${v}, { buffer: b, start: s, end: p });\n` : "";

  const emitStruct = (t: XdrType, name: string) => {
    const shadow = `${name}_new`;
    const fields = t._fields as [string, XdrType][];
    const attrs = fields.map(([f, ft]) => {
      // A quoted "__proto__" key in a literal would set the prototype instead of a field.
      if (f === "__proto__") throw new Error(`fast XDR decoder: field name __proto__ in ${typeName(t)}`);
      return `${JSON.stringify(f)}: ${read(ft, "e")}`;
    });
    out.push(
      `function ${shadow}(a) { this._maxDepth = ${maxDepthOf(t)}; this._attributes = a; }\n` +
        `${shadow}.prototype = ${K(t)}.prototype;\n` +
        `function ${name}(d) {\nif (d < 0) depth();\nconst e = d - 1;\n${spanOpen(t)}` +
        `const o = new ${shadow}({ ${attrs.join(", ")} });\n${spanClose(t, "o")}return o;\n}\n`,
    );
  };

  const emitUnion = (t: XdrType, name: string) => {
    const shadow = `${name}_new`;
    const on = t._switchOn;
    const onKind = kindOf(on);
    const arms = t._arms as Record<string, XdrType>;
    // The js-xdr rule (Union.read/set): arm = switches.get(switch) ?? defaultArm; armType = Void or arms[arm].
    // `fixed`: the case is one switch value (the default arm's case covers many: its switch is read at run time).
    const armCase = (arm: unknown, switchExpr: string, fixed: boolean): string => {
      const armType = arm === X.Void ? X.Void : arms[arm as string];
      const valueType = armType !== undefined ? armType : arm;
      if (!valueType || (typeof valueType !== "function" && typeof valueType !== "object"))
        return `throw new TypeErr(${JSON.stringify(`${typeName(t)}: arm ${String(arm)} has no type`)});`;
      const armExpr = typeof arm === "string" ? JSON.stringify(arm) : K(arm);
      const typeExpr = armType === undefined ? "undefined" : K(armType);
      if (valueType === X.Void && fixed && !captured.has(t)) {
        // A void arm carries nothing but its switch: one shared instance per (union, switch) instead of one
        // per occurrence (extension points and `v0` exts are thousands of objects per ledger that all stay
        // alive until the ledger is done). Captured unions keep their own: each has a span of its own.
        const v = `V${voids++}`;
        voidDecls.push(`let ${v};`);
        return `o = ${v} !== undefined ? ${v} : (${v} = new ${shadow}(${switchExpr}, ${armExpr}, ${typeExpr}, undefined)); break;`;
      }
      return `o = new ${shadow}(${switchExpr}, ${armExpr}, ${typeExpr}, ${read(valueType, "d - 1")}); break;`;
    };
    const cases: string[] = [];
    let readSwitch: string;
    let unknown: string;
    if (onKind === "enum") {
      readSwitch = "i32()";
      for (const [member, arm] of t._switches as Map<{ value: number }, unknown>)
        cases.push(`case ${member.value}: ${armCase(arm, K(member), true)}`);
      // Enum.read rejects a non-member first; then armForSwitch rejects a member without an arm.
      unknown =
        `const m = ${K(on._byValue)}[w];\n` +
        `if (m === undefined) throw new Err(${JSON.stringify(`unknown ${on.enumName} member for value `)} + w);\n` +
        (t._defaultArm ? armCase(t._defaultArm, "m", false) : 'throw new TypeErr("Bad union switch: " + m);');
    } else if (onKind === "int" || onKind === "uint" || onKind === "bool") {
      readSwitch = onKind === "int" ? "i32()" : onKind === "uint" ? "(i32() >>> 0)" : "bool()";
      for (const [key, arm] of t._switches as Map<number | boolean, unknown>)
        cases.push(`case ${JSON.stringify(key)}: ${armCase(arm, JSON.stringify(key), true)}`);
      unknown = t._defaultArm
        ? armCase(t._defaultArm, "w", false)
        : 'throw new TypeErr("Bad union switch: " + w);';
    } else {
      throw new Error(`fast XDR decoder: ${typeName(t)} switches on a ${onKind}`);
    }
    out.push(
      `function ${shadow}(s, a, t, v) { this._maxDepth = ${maxDepthOf(t)}; ` +
        `this._switch = s; this._arm = a; this._armType = t; this._value = v; }\n` +
        `${shadow}.prototype = ${K(t)}.prototype;\n` +
        `function ${name}(d) {\nif (d < 0) depth();\n${spanOpen(t)}const w = ${readSwitch};\nlet o;\n` +
        `switch (w) {\n${cases.join("\n")}\ndefault: {\n${unknown}\n}\n}\n${spanClose(t, "o")}return o;\n}\n`,
    );
  };

  const emitEnum = (t: XdrType, name: string) => {
    const cases = Object.entries(t._byValue as Record<string, object>).map(
      ([v, member]) => `case ${Number(v)}: return ${K(member)};`,
    );
    out.push(
      `function ${name}() {\nconst v = i32();\nswitch (v) {\n${cases.join("\n")}\n` +
        `default: throw new Err(${JSON.stringify(`unknown ${t.enumName} member for value `)} + v);\n}\n}\n`,
    );
  };

  const emitArray = (t: XdrType, name: string, variable: boolean) => {
    const child = read(t._childType, "e");
    const head = variable
      ? // VarArray.read: depth, length, maximum, remaining-bytes fast fail.
        `if (d < 0) depth();\nconst len = i32() >>> 0;\n` +
        `if (len > ${lengthOf(t._maxLength)}) throw new Err("saw " + len + " length VarArray, max allowed is ${lengthOf(t._maxLength)}");\n` +
        `if (len > n - p) throw new Err("VarArray length " + len + " exceeds remaining " + (n - p) + " bytes");\n`
      : // Array.read: remaining-bytes fast fail before the depth check.
        `const len = ${lengthOf(t._length)};\n` +
        `if (len > n - p) throw new Err("Array length " + len + " exceeds remaining " + (n - p) + " bytes");\n` +
        `if (d < 0) depth();\n`;
    out.push(
      // Sized up front (len is bounded by the remaining bytes): no regrowth while pushing.
      `function ${name}(d) {\n${head}const e = d - 1;\n${spanOpen(t)}const a = new Array(len);\n` +
        `for (let i = 0; i < len; i++) a[i] = ${child};\n${spanClose(t, "a")}return a;\n}\n`,
    );
  };

  const emitOption = (t: XdrType, name: string) => {
    const child = read(t._childType, "d - 1");
    out.push(
      `function ${name}(d) {\nif (d < 0) depth();\n${spanOpen(t)}const v = bool() ? ${child} : undefined;\n` +
        (captured.has(t) ? `if (v !== undefined) ${spanClose(t, "v")}` : "") +
        "return v;\n}\n",
    );
  };

  /** A captured non-composite type (e.g. a typedef'd opaque): the plain read, then its span if an object. */
  const emitCapturedLeaf = (t: XdrType, name: string) => {
    out.push(
      `function ${name}(d) {\nconst s = p;\nconst v = ${read(t, "d", true)};\n` +
        `if (typeof v === "object" && v !== null) ${spanClose(t, "v")}return v;\n}\n`,
    );
  };

  const rootName = fn(root);
  while (pending.length) {
    const t = pending.shift();
    const name = fnNames.get(t) as string;
    switch (kindOf(t)) {
      case "struct":
        emitStruct(t, name);
        break;
      case "union":
        emitUnion(t, name);
        break;
      case "enum":
        emitEnum(t, name);
        break;
      case "array":
        emitArray(t, name, false);
        break;
      case "vararray":
        emitArray(t, name, true);
        break;
      case "option":
        emitOption(t, name);
        break;
      default:
        throw new Error(`fast XDR decoder: no reader function for ${typeName(t)}`);
    }
  }

  const hyperK = K(X.Hyper);
  const uhyperK = K(X.UnsignedHyper);
  // Node's Buffer species is its internal FastBuffer, the class Buffer#subarray constructs.
  const species = (Buffer as unknown as Record<symbol, unknown>)[Symbol.species];
  const fbK = K(
    typeof species === "function" && species.prototype === Buffer.prototype ? species : undefined,
  );
  const constDecls = constants.map((_, i) => `const K${i} = K[${i}];`).join("\n");
  const source = `"use strict";
${constDecls}
const Hyper = ${hyperK};
const UnsignedHyper = ${uhyperK};
const FB = ${fbK};
${voidDecls.join("\n")}
let b = null;
let dv = null;
let ab = null;
let bo = 0;
let p = 0;
let n = 0;
function oob() { throw new Err("attempt to read outside the boundary of the buffer"); }
function depth() { throw new Err("exceeded max decoding depth"); }
function i32() {
  const i = p;
  if (i + 4 > n) oob();
  p = i + 4;
  return (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
}
function bool() {
  const v = i32();
  if (v === 0) return false;
  if (v === 1) return true;
  throw new Err("got " + v + " when trying to read a bool");
}
function Hyper_new(v) { this._value = v; }
Hyper_new.prototype = Hyper.prototype;
function UnsignedHyper_new(v) { this._value = v; }
UnsignedHyper_new.prototype = UnsignedHyper.prototype;
// 64-bit integers through a DataView: V8 builds the BigInt in one step (Buffer.readBigInt64BE makes two and
// combines them), about 3x faster; the value is the same.
function hyper() {
  const i = p;
  if (i + 8 > n) oob();
  p = i + 8;
  return new Hyper_new(dv.getBigInt64(i));
}
function uhyper() {
  const i = p;
  if (i + 8 > n) oob();
  p = i + 8;
  return new UnsignedHyper_new(dv.getBigUint64(i));
}
function f32() { const i = p; if (i + 4 > n) oob(); p = i + 4; return dv.getFloat32(i); }
function f64() { const i = p; if (i + 8 > n) oob(); p = i + 8; return dv.getFloat64(i); }
function opq(k) {
  const i = p;
  const e = i + k;
  if (e > n) oob();
  p = e;
  const r = k & 3;
  if (r !== 0) {
    // XdrReader.advance: the padding must be zero (and present: a byte past the end is not zero).
    for (let j = 0; j < 4 - r; j++) if (b[e + j] !== 0) throw new Err("invalid padding");
    p = e + 4 - r;
  }
  // What Buffer#subarray does, without its argument normalisation: a Buffer over the same memory.
  return FB !== undefined ? new FB(ab, bo + i, k) : b.subarray(i, e);
}
function vopq(max, what) {
  const k = i32() >>> 0;
  if (k > max) throw new Err("saw " + k + " length " + what + ", max allowed is " + max);
  return opq(k);
}
${out.join("")}
return function decode(buf) {
  // XdrReader's input rule: a Buffer is read in place, other byte arrays are copied into one.
  if (!Buffer.isBuffer(buf)) {
    if (Array.isArray(buf) || ArrayBuffer.isView(buf)) buf = Buffer.from(buf);
    else throw new Err("source invalid: " + buf);
  }
  b = buf;
  ab = buf.buffer;
  bo = buf.byteOffset;
  dv = new DataView(ab, bo, buf.length);
  p = 0;
  n = buf.length;
  try {
    const v = ${rootName}(${maxDepthOf(root)});
    if (p !== n) throw new Err("invalid XDR contract typecast - source buffer not entirely consumed");
    return v;
  } finally {
    b = dv = ab = null;
  }
};
`;
  return { source, constants };
}

/** The depth a type's own `read` starts from and its constructors store: `_maxDepth`, else js-xdr's 200. */
function maxDepthOf(t: XdrType): number {
  const d = t._maxDepth ?? 200;
  if (!Number.isInteger(d)) throw new Error(`fast XDR decoder: ${typeName(t)} has _maxDepth ${d}`);
  return d;
}

function lengthOf(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
    throw new Error(`fast XDR decoder: length ${v}`);
  return v;
}
