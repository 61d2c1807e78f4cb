/**
 * The XDR runtime stellar-base decodes with (@stellar/js-xdr), seen as data: the fast decoder reads the type
 * definitions stellar-base built (struct fields, union arms, enum members, length limits) and the js-xdr
 * classes they are made of, so it can tell a Struct from a VarArray without hard-coding any Stellar type.
 *
 * js-xdr is loaded from stellar-base's own dependency path so that it is the very module instance whose
 * classes stellar-base's types extend (`instanceof` against a second copy would fail).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

type Ctor = new (...args: never[]) => object;

/** The js-xdr exports the decoder needs (the package ships no types). */
export interface JsXdr {
  Struct: Ctor;
  Union: Ctor;
  Enum: Ctor;
  Int: Ctor;
  UnsignedInt: Ctor;
  Hyper: Ctor;
  UnsignedHyper: Ctor;
  Bool: Ctor;
  Void: Ctor;
  Float: Ctor;
  Double: Ctor;
  Opaque: Ctor;
  VarOpaque: Ctor;
  String: Ctor;
  Array: Ctor;
  VarArray: Ctor;
  Option: Ctor;
}

let loaded: JsXdr | null = null;

export function jsXdr(): JsXdr {
  if (!loaded) {
    const baseRequire = createRequire(require.resolve("@stellar/stellar-base"));
    loaded = baseRequire("@stellar/js-xdr") as JsXdr;
  }
  return loaded;
}

/** An XDR type as js-xdr represents it: a class (structs, unions, enums, primitives) or an instance. */
// biome-ignore lint/suspicious/noExplicitAny: js-xdr's type objects are untyped metadata read reflectively.
export type XdrType = any;

export type Kind =
  | "struct"
  | "union"
  | "enum"
  | "int"
  | "uint"
  | "hyper"
  | "uhyper"
  | "bool"
  | "void"
  | "float"
  | "double"
  | "opaque"
  | "varopaque"
  | "string"
  | "array"
  | "vararray"
  | "option";

/** What kind of js-xdr type `t` is; throws for anything the generator does not know (e.g. Quadruple). */
export function kindOf(t: XdrType): Kind {
  const X = jsXdr();
  if (typeof t === "function") {
    if (t.prototype instanceof X.Struct) return "struct";
    if (t.prototype instanceof X.Union) return "union";
    if (t.prototype instanceof X.Enum) return "enum";
    if (t === X.Int) return "int";
    if (t === X.UnsignedInt) return "uint";
    if (t === X.Hyper) return "hyper";
    if (t === X.UnsignedHyper) return "uhyper";
    if (t === X.Bool) return "bool";
    if (t === X.Void) return "void";
    if (t === X.Float) return "float";
    if (t === X.Double) return "double";
  } else if (t && typeof t === "object") {
    // VarArray/VarOpaque are not subclasses of Array/Opaque in js-xdr, but check the specific ones first anyway.
    if (t instanceof X.VarArray) return "vararray";
    if (t instanceof X.Array) return "array";
    if (t instanceof X.Option) return "option";
    if (t instanceof X.VarOpaque) return "varopaque";
    if (t instanceof X.Opaque) return "opaque";
    if (t instanceof X.String) return "string";
  }
  throw new Error(`fast XDR decoder: unsupported type ${t?.name ?? t?.constructor?.name ?? String(t)}`);
}

/** A type's name for messages and generated identifiers. */
export function typeName(t: XdrType): string {
  return t.structName ?? t.unionName ?? t.enumName ?? t.name ?? t.constructor?.name ?? "type";
}
