/**
 * Shared pieces of the data routes: query-string schemas, filter parsing (with strkey checksums), the response
 * envelope (`{"<resource>": [...], "count", …, "next", "meta"}` plus X-… headers saying where the data stands).
 */
import { StrKey } from "@stellar/stellar-sdk/base";
import type { FastifyReply, FastifyRequest } from "fastify";
import { badParameter } from "./errors";
import type { Bounds, Filter, Page, View } from "./query";
import { filterSchema, type Resource, valueKind } from "./tables";
import { jsonBytes, type WireRow } from "./values";

export const ledgerParam = (description: string) => ({
  type: "integer",
  minimum: 0,
  maximum: 4294967295,
  description,
});

/** `start`, `end`, `order` of every range route. */
export const rangeParams = {
  start: ledgerParam(
    "where the walk begins (default: the oldest ledger available, or with order=desc the latest)",
  ),
  end: ledgerParam(
    "where it stops, inclusive (default: the latest ledger, or with order=desc the oldest); order=desc needs end ≤ start",
  ),
  order: {
    type: "string",
    enum: ["asc", "desc"],
    description: "asc (default): oldest first; desc: newest first",
  },
};

export function pageParams(maxLimit: number, defaultLimit: number) {
  return {
    limit: {
      type: "integer",
      minimum: 1,
      maximum: maxLimit,
      default: defaultLimit,
      description: `rows per page (1–${maxLimit})`,
    },
    cursor: {
      type: "string",
      minLength: 1,
      maxLength: 4096,
      pattern: "^[A-Za-z0-9_-]+$",
      description: "the `cursor` of the previous page",
    },
  };
}

/** Filter parameters of a resource (column name = parameter name, plus the original API's aliases). */
export function filterParams(res: Resource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of res.filters) out[c.name] = filterSchema(c);
  for (const [alias, col] of Object.entries(res.aliases)) {
    const c = res.filters.find((f) => f.name === col);
    if (c) out[alias] = { ...filterSchema(c), description: `alias of ${col} (the original API's name)` };
  }
  return out;
}

function checkStrkey(param: string, kind: string, v: string): void {
  const ok =
    kind === "account"
      ? StrKey.isValidEd25519PublicKey(v) || StrKey.isValidMed25519PublicKey(v)
      : kind === "contract"
        ? StrKey.isValidContract(v)
        : kind === "address"
          ? StrKey.isValidEd25519PublicKey(v) ||
            StrKey.isValidMed25519PublicKey(v) ||
            StrKey.isValidContract(v)
          : kind === "party"
            ? StrKey.isValidEd25519PublicKey(v) ||
              StrKey.isValidContract(v) ||
              StrKey.isValidClaimableBalance(v) ||
              StrKey.isValidLiquidityPool(v)
            : true;
  if (!ok) throw badParameter(param, `'${v}' is not a valid strkey (bad checksum or version byte)`);
}

/** The equality filters of a request, validated beyond the schema (strkey checksums). */
export function parseFilters(res: Resource, query: Record<string, unknown>): Filter[] {
  const out: Filter[] = [];
  for (const c of res.filters) {
    const alias = Object.entries(res.aliases).find(([, col]) => col === c.name)?.[0];
    const given = query[c.name] ?? (alias ? query[alias] : undefined);
    if (given === undefined) continue;
    if (alias && query[c.name] !== undefined && query[alias] !== undefined)
      throw badParameter(alias, `give either ${alias} or ${c.name}, not both`);
    const v = String(given);
    checkStrkey(query[c.name] !== undefined ? c.name : alias!, valueKind(c), v);
    out.push({ column: c, value: v });
  }
  return out;
}

export interface Meta {
  bounds: Bounds;
  view: View;
  page?: Page;
}

const num = (v: bigint | null) => (v === null ? null : Number(v));

function metaObject(m: Meta) {
  return {
    oldest_ledger: num(m.bounds.oldest),
    latest_ledger: num(m.bounds.latest),
    cold_watermark: num(m.view.state.watermark),
    ducklake_snapshot: m.view.state.snapshot,
    ...(m.page
      ? {
          hot_rows: m.page.hotRows,
          cold_rows: m.page.coldRows,
          cold_files: m.page.coldFiles,
          cold_bytes: m.page.coldBytes,
        }
      : {}),
  };
}

/** X-… headers with the same facts as `meta`, for clients that stream bodies. */
export function standHeaders(reply: FastifyReply, m: Meta): void {
  const o = metaObject(m);
  const h = (k: string, v: unknown) => {
    if (v !== null && v !== undefined) reply.header(k, String(v));
  };
  h("x-oldest-ledger", o.oldest_ledger);
  h("x-latest-ledger", o.latest_ledger);
  h("x-cold-watermark", o.cold_watermark);
  h("x-ducklake-snapshot", o.ducklake_snapshot);
}

/** The `next` link: this request's URL with the cursor replaced. */
export function nextLink(req: FastifyRequest, cursor: string): string {
  const u = new URL(req.url, "http://x");
  u.searchParams.set("cursor", cursor);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

/** A list envelope as JSON (rows encoded exactly; `extra` fields are plain JSON values), as UTF-8 bytes. */
export function listBody(
  res: Resource,
  key: string,
  page: Page,
  extra: Record<string, unknown>,
  next: { cursor: string; link: string } | null,
  m: Meta,
): Buffer {
  const fields = Object.entries(extra)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join("");
  return jsonBytes(
    `{${JSON.stringify(key)}:[`,
    res.table.columns,
    page.rows,
    `],"count":${page.rows.length}${fields},"cursor":${JSON.stringify(next?.cursor ?? null)},"next":${JSON.stringify(next?.link ?? null)},"meta":${JSON.stringify(metaObject(m))}}`,
  );
}

/** A single-row envelope as JSON, as UTF-8 bytes. */
export function itemBody(res: Resource, key: string, row: WireRow, m: Meta): Buffer {
  return jsonBytes(
    `{${JSON.stringify(key)}:`,
    res.table.columns,
    [row],
    `,"meta":${JSON.stringify(metaObject(m))}}`,
  );
}

export function sendJson(reply: FastifyReply, body: Buffer, m: Meta): FastifyReply {
  standHeaders(reply, m);
  // Bytes, not a string: a string body would be scanned for its byte length and then encoded again on write.
  return reply.type("application/json; charset=utf-8").send(body);
}
