/**
 * The SDK's XDR definitions seen as data. @stellar/stellar-sdk 17 describes every type twice: a js-xdr 5
 * schema (`struct`/`union`/`enumType`/`array`/…, the wire format) and a class per named type whose
 * `fromXdrObject` turns js-xdr's plain "wire" value into the class instance the SDK hands out. The fast
 * decoder reads the schemas (field order, union cases, enum members, length limits) and builds the class
 * instances directly; this module finds, for a schema, the class the SDK builds from it.
 */
import { xdr } from "@stellar/stellar-sdk/base";

/** A js-xdr 5 schema node (its fields are read reflectively: the package types them only loosely). */
export interface Schema {
  readonly kind: string;
  readonly name?: string;
  // biome-ignore lint/suspicious/noExplicitAny: schema metadata (entries, cases, element, …) read reflectively.
  readonly [k: string]: any;
}

/** A generated SDK class: its static schema and how it builds instances. */
export interface XdrClass {
  readonly name: string;
  readonly schema: Schema;
  readonly prototype: object;
  fromXdrObject(wire: unknown): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: static arm factories and enum singletons, looked up by name.
  readonly [k: string]: any;
}

let classes: Map<Schema, XdrClass> | null = null;

/** Schema → the class that owns it (arm subclasses inherit their union's schema and are skipped). */
export function classOfSchema(schema: Schema): XdrClass | undefined {
  if (!classes) {
    classes = new Map();
    for (const value of Object.values(xdr)) {
      if (typeof value !== "function" || !Object.hasOwn(value, "schema")) continue;
      const cls = value as unknown as XdrClass;
      // Hand-written classes reuse a generated schema (Int128 has Int128Parts's): the generated class, named
      // as its schema, is the one the generated code builds.
      const held = classes.get(cls.schema);
      if (!held || (held.name !== cls.schema.name && cls.name === cls.schema.name))
        classes.set(cls.schema, cls);
    }
  }
  return classes.get(schema);
}

/** A lazy schema's target (recursive types: ScVal, ClaimPredicate, …), else the schema itself. */
export function resolved(schema: Schema): Schema {
  let s = schema;
  while (s.kind === "lazy") s = s.getSchema();
  return s;
}

/** The SDK's string type (decodes to an XdrString), as opposed to js-xdr's own (raw bytes). */
export function isXdrString(schema: Schema): boolean {
  return schema.kind === "string" && schema.constructor?.name === "XdrStringType";
}
