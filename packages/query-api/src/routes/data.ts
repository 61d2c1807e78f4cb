/**
 * The table routes, one set per resource derived from the schema catalog:
 * - streams (`/ledgers`, `/transactions`, …): rows of a ledger range in (sequence, key) order, cursor-paginated;
 * - snapshot tables: `/<name>` the latest live state per key (optionally `as_of_ledger`), and `/<name>/history`
 *   every change in a ledger range.
 * Both read one consistent hot + cold view per request.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiConfig } from "../config";
import { decodeCursor, encodeCursor, queryFingerprint } from "../cursor";
import { badParameter } from "../errors";
import { latestRows, rangeRows, type Stores, type View, viewBounds, withView } from "../query";
import {
  filterParams,
  ledgerParam,
  listBody,
  nextLink,
  pageParams,
  parseFilters,
  sendJson,
} from "../respond";
import { type Resource, resource, resources } from "../tables";
import { sortValues } from "../values";

export interface DataRouteOptions {
  stores: Stores;
  config: ApiConfig;
  /** Route config shared by data routes (auth + rate limit). */
  routeConfig: Record<string, unknown>;
  onPage?: (store: "hot" | "cold", rows: number) => void;
}

type Query = Record<string, string | number | undefined>;

export const ledgers = resource("ledgers");

/** A request's filters, the fingerprint its cursors are bound to, and its decoded cursor (over `key`). */
function requestKey(
  res: Resource,
  route: string,
  q: Query,
  fixed: ReturnType<typeof parseFilters>,
  key: Resource["sortKey"],
) {
  const filters = [...fixed, ...parseFilters(res, q)];
  const fp = queryFingerprint(route, {
    ...q,
    ...Object.fromEntries(filters.map((f) => [f.column.name, f.value])),
  });
  const cursor = q.cursor !== undefined ? decodeCursor(String(q.cursor), fp, key) : undefined;
  return { filters, fp, cursor };
}

/**
 * Range answer for `res` (shared with the lookup routes), in its own view or in `opts.view` when the caller has
 * already opened one for the same request.
 */
export async function rangeAnswer(
  o: DataRouteOptions,
  req: FastifyRequest,
  res: Resource,
  route: string,
  q: Query,
  opts: { key?: string; fixedFilters?: ReturnType<typeof parseFilters>; view?: View } = {},
) {
  const { filters, fp, cursor } = requestKey(res, route, q, opts.fixedFilters ?? [], res.sortKey);
  const answer = async (v: View) => {
    const bounds = await viewBounds(v, ledgers);
    const from = q.start !== undefined ? BigInt(q.start) : (bounds.oldest ?? 0n);
    const to = q.end !== undefined ? BigInt(q.end) : (bounds.latest ?? from);
    if (q.end !== undefined && to < from) throw badParameter("end", `must be ≥ start (${from}), got ${to}`);
    const limit = Number(q.limit);
    const page = await rangeRows(v, {
      res,
      from,
      to,
      filters,
      limit,
      ...(cursor ? { after: cursor.key } : {}),
    });
    o.onPage?.("hot", page.hotRows);
    o.onPage?.("cold", page.coldRows);
    const last = page.rows.at(-1);
    const next =
      page.more && last
        ? (() => {
            const c = encodeCursor(fp, { key: sortValues(res.table.columns, res.sortKey, last) });
            return { cursor: c, link: nextLink(req, c) };
          })()
        : null;
    const extra: Record<string, unknown> = { start: Number(from), end: Number(to) };
    for (const f of filters) extra[f.column.name] = f.value;
    const m = { bounds, view: v, page };
    return { body: listBody(res, opts.key ?? res.name, page, extra, next, m), m };
  };
  if (opts.view) return answer(opts.view);
  // An explicit range is known before the view opens: its hot read can ride along with the snapshot's first read.
  const likely =
    q.start !== undefined && q.end !== undefined && q.end >= q.start
      ? {
          res,
          from: BigInt(q.start),
          to: BigInt(q.end),
          filters,
          limit: Number(q.limit),
          ...(cursor ? { after: cursor.key } : {}),
        }
      : undefined;
  return withView(o.stores, answer, likely);
}

/** Latest-state answer for a snapshot resource (shared with the lookup routes). */
export async function latestAnswer(
  o: DataRouteOptions,
  req: FastifyRequest,
  res: Resource,
  route: string,
  q: Query,
  fixedFilters: ReturnType<typeof parseFilters> = [],
) {
  const { filters, fp, cursor } = requestKey(res, route, q, fixedFilters, res.entityKey);
  return withView(o.stores, async (v) => {
    const bounds = await viewBounds(v, ledgers);
    const asOf =
      cursor?.asOf !== undefined
        ? BigInt(cursor.asOf)
        : q.as_of_ledger !== undefined
          ? BigInt(q.as_of_ledger)
          : bounds.latest;
    const limit = Number(q.limit);
    const page =
      asOf === null
        ? { rows: [], more: false, hotRows: 0, coldRows: 0, coldFiles: 0, coldBytes: 0 }
        : await latestRows(v, { res, asOf, filters, limit, ...(cursor ? { after: cursor.key } : {}) });
    o.onPage?.("hot", page.hotRows);
    o.onPage?.("cold", page.coldRows);
    const last = page.rows.at(-1);
    const next =
      page.more && last && asOf !== null
        ? (() => {
            const c = encodeCursor(fp, {
              key: sortValues(res.table.columns, res.entityKey, last),
              asOf: String(asOf),
            });
            return { cursor: c, link: nextLink(req, c) };
          })()
        : null;
    const extra: Record<string, unknown> = { as_of_ledger: asOf === null ? null : Number(asOf) };
    for (const f of filters) extra[f.column.name] = f.value;
    const m = { bounds, view: v, page };
    return { body: listBody(res, res.name, page, extra, next, m), m, page };
  });
}

export async function dataRoutes(app: FastifyInstance, o: DataRouteOptions): Promise<void> {
  const page = pageParams(o.config.maxLimit, o.config.defaultLimit);
  for (const res of resources) {
    const rangePath = res.snapshot ? `/${res.name}/history` : `/${res.name}`;
    app.get(
      rangePath,
      {
        config: o.routeConfig,
        schema: {
          tags: [res.snapshot ? "state" : "streams"],
          summary: res.snapshot
            ? `Every change of ${res.table.name} in a ledger range`
            : `${res.table.name} rows of a ledger range`,
          description: `Ordered by (${res.sortKey.map((c) => c.name).join(", ")}); hot and cold merged, each row once.`,
          querystring: {
            type: "object",
            additionalProperties: false,
            required: res.snapshot ? [] : ["start"],
            properties: {
              start: ledgerParam(
                res.snapshot ? "first ledger (default: the oldest available)" : "first ledger",
              ),
              end: ledgerParam("last ledger, inclusive (default: the latest)"),
              ...page,
              ...filterParams(res),
            },
          },
        },
      },
      async (req, reply) => {
        const r = await rangeAnswer(o, req, res, rangePath, req.query as Query, {});
        return sendJson(reply, r.body, r.m);
      },
    );
    if (!res.snapshot) continue;
    app.get(
      `/${res.name}`,
      {
        config: o.routeConfig,
        schema: {
          tags: ["state"],
          summary: `Latest live ${res.table.name} per (${res.entityKey.map((c) => c.name).join(", ")})`,
          description:
            "The newest row per key at or below as_of_ledger, hot and cold de-duplicated by key; keys whose newest row is a removal are not returned.",
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: {
              as_of_ledger: ledgerParam("state as of this ledger (default: the latest)"),
              ...page,
              ...filterParams(res),
            },
          },
        },
      },
      async (req, reply) => {
        const r = await latestAnswer(o, req, res, `/${res.name}`, req.query as Query);
        return sendJson(reply, r.body, r.m);
      },
    );
  }
}
