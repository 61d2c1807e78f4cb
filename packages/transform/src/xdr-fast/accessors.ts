/**
 * Field accessors for stellar-base's structs that V8 can make fast.
 *
 * js-xdr gives every struct field the same closure, `readOrWriteAttribute(value)`, reading
 * `this._attributes[name]` with `name` from the closure. All those closures share one function literal, so its
 * property lookup sees every field of every struct and is megamorphic: a hash lookup per `tx.fee()`, and the
 * transform makes hundreds of thousands of such calls per busy ledger (it showed as ~4% of all transform time,
 * the largest single JavaScript function). Compiled per field, each accessor reads one constant key of
 * `_attributes` objects of one shape.
 *
 * Behaviour is js-xdr's exactly: without an argument (or with `undefined`) it returns the attribute; with one
 * it stores it and returns it. Only accessors that are still js-xdr's own are replaced, so a method a library
 * defined on purpose under a field's name stays.
 */
import { kindOf, type XdrType } from "./runtime";

const ORIGINAL = "readOrWriteAttribute";

function accessor(field: string): (value?: unknown) => unknown {
  const key = JSON.stringify(field);
  return new Function(
    `return function ${ORIGINAL}_(value) {\n` +
      `  if (value !== undefined) this._attributes[${key}] = value;\n` +
      `  return this._attributes[${key}];\n` +
      "};",
  )() as (value?: unknown) => unknown;
}

/** Replaces the field accessors of every struct reachable from `root`; returns how many were replaced. */
export function specializeAccessors(root: XdrType): number {
  const seen = new Set<XdrType>();
  const todo: XdrType[] = [root];
  let replaced = 0;
  while (todo.length) {
    const t = todo.pop();
    if (!t || seen.has(t)) continue;
    seen.add(t);
    switch (kindOf(t)) {
      case "struct":
        for (const [field, ft] of t._fields as [string, XdrType][]) {
          todo.push(ft);
          const current = t.prototype[field] as { name?: string } | undefined;
          if (current?.name !== ORIGINAL) continue;
          t.prototype[field] = accessor(field);
          replaced++;
        }
        break;
      case "union":
        for (const arm of Object.values(t._arms as Record<string, XdrType>)) todo.push(arm);
        break;
      case "array":
      case "vararray":
      case "option":
        todo.push(t._childType);
        break;
    }
  }
  return replaced;
}
