/**
 * Opaque pagination cursors: the sort-key values of the last row a page returned, bound to the query that made
 * them (route and filters), so a cursor replayed against another query is refused instead of skipping rows.
 * Latest-state cursors also pin `as_of`, so every page of one walk describes the same ledger.
 */
import { createHash } from "node:crypto";
import type { ColumnDef } from "@stellar-lake/schema";
import { badParameter } from "./errors";

export interface CursorState {
  /** Sort-key values (text), as `sortValues` produces them. */
  key: string[];
  asOf?: string;
}

/** A fingerprint of the query a cursor belongs to: route plus every parameter except cursor and limit. */
export function queryFingerprint(route: string, params: Record<string, unknown>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== "cursor" && k !== "limit" && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join("&");
  return createHash("sha256").update(`${route}?${canonical}`).digest("base64url").slice(0, 12);
}

export function encodeCursor(fingerprint: string, state: CursorState): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, k: state.key, a: state.asOf })).toString("base64url");
}

export function decodeCursor(text: string, fingerprint: string, key: readonly ColumnDef[]): CursorState {
  let parsed: { f?: unknown; k?: unknown; a?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw badParameter("cursor", "not a cursor this API issued");
  }
  const k = parsed?.k;
  if (
    !Array.isArray(k) ||
    k.length !== key.length ||
    !k.every(
      (x, i) =>
        typeof x === "string" && x.length <= 1024 && (key[i]!.pg === "TEXT" || /^-?[0-9]{1,19}$/.test(x)),
    ) ||
    (parsed.a !== undefined && (typeof parsed.a !== "string" || !/^[0-9]{1,19}$/.test(parsed.a)))
  )
    throw badParameter("cursor", "not a cursor this API issued");
  if (parsed.f !== fingerprint)
    throw badParameter("cursor", "belongs to a different query (route or filters changed)");
  return { key: k as string[], ...(typeof parsed.a === "string" ? { asOf: parsed.a } : {}) };
}
