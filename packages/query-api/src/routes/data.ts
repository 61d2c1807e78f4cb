/**
 * The table routes, one set per resource derived from the schema catalog:
 * - streams (`/ledgers`, `/transactions`, …): rows of a ledger range in (sequence, key) order, cursor-paginated;
 * - snapshot tables: `/<name>` the latest live state per key (optionally `as_of_ledger`), and `/<name>/history`
 *   every change in a ledger range.
 * Both read one consistent hot + cold view per request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiConfig } from "../config";
import { decodeCursor, encodeCursor, queryFingerprint } from "../cursor";
import { badParameter } from "../errors";
import {
  type Filter,
  isEither,
  latestRows,
  type RowFilter,
  rangeRows,
  type Stores,
  type View,
  viewBounds,
  withView,
} from "../query";
import {
  filterParams,
  ledgerParam,
  listBody,
  nextLink,
  pageParams,
  parseFilters,
  rangeParams,
  sendJson,
} from "../respond";
import { listResponses } from "../schemas";
import { type Resource, resource, resources } from "../tables";
import { sortValues } from "../values";
import { type Streams, streamRange, wantsStream } from "./stream";

export interface DataRouteOptions {
  stores: Stores;
  config: ApiConfig;
  /** Route config shared by data routes (auth + rate limit). */
  routeConfig: Record<string, unknown>;
  onPage?: (store: "hot" | "cold", rows: number) => void;
  /** The open Server-Sent Event streams (absent: streams are refused). */
  streams?: Streams;
}

/**
 * A range route's answer: a Server-Sent Event stream when the client asks for `text/event-stream`, else the
 * JSON page.
 */
export async function answerRange(
  o: DataRouteOptions,
  req: FastifyRequest,
  reply: FastifyReply,
  res: Resource,
  route: string,
  q: Query,
  opts: { fixedFilters?: readonly RowFilter[] } = {},
) {
  if (wantsStream(req)) return streamRange(o, req, reply, res, route, q, opts.fixedFilters ?? []);
  const r = await rangeAnswer(o, req, res, route, q, opts);
  return sendJson(reply, r.body, r.m);
}

type Query = Record<string, string | number | undefined>;

export const ledgers = resource("ledgers");

/**
 * The equality filters a request names (echoed in the envelope and bound into its cursors); a route's own
 * either/IN filters come from its path, which the cursor's route already binds.
 */
const plain = (filters: readonly RowFilter[]): Filter[] =>
  filters.filter((f): f is Filter => !isEither(f) && !f.values);

/** A request's filters, the fingerprint its cursors are bound to, and its decoded cursor (over `key`). */
export function requestKey(
  res: Resource,
  route: string,
  q: Query,
  fixed: readonly RowFilter[],
  key: Resource["sortKey"],
) {
  const filters = [...fixed, ...parseFilters(res, q)];
  const fp = queryFingerprint(route, {
    ...q,
    // order=asc is the default walk: its cursors are the same with or without it.
    order: q.order === "desc" ? "desc" : undefined,
    ...Object.fromEntries(plain(filters).map((f) => [f.column.name, f.value])),
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
  opts: { key?: string; fixedFilters?: readonly RowFilter[]; view?: View } = {},
) {
  const { filters, fp, cursor } = requestKey(res, route, q, opts.fixedFilters ?? [], res.sortKey);
  const desc = q.order === "desc";
  const answer = async (v: View) => {
    const bounds = await viewBounds(v, ledgers);
    // `start` is where the walk begins, `end` where it stops: ascending from the oldest ledger up to the latest,
    // descending from the latest down to the oldest.
    const oldest = bounds.oldest ?? 0n;
    const latest = bounds.latest ?? oldest;
    const start = q.start !== undefined ? BigInt(q.start) : desc ? latest : oldest;
    const end = q.end !== undefined ? BigInt(q.end) : desc ? min(oldest, start) : max(latest, start);
    if (q.end !== undefined && !desc && end < start)
      throw badParameter("end", `must be ≥ start (${start}), got ${end}`);
    if (q.end !== undefined && desc && end > start)
      throw badParameter("end", `with order=desc, must be ≤ start (${start}), got ${end}`);
    const from = desc ? end : start;
    const to = desc ? start : end;
    const limit = Number(q.limit);
    const page = await rangeRows(v, {
      res,
      from,
      to,
      filters,
      limit,
      ...(cursor ? { after: cursor.key } : {}),
      ...(desc ? { desc } : {}),
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
    const extra: Record<string, unknown> = {
      start: Number(start),
      end: Number(end),
      ...(desc ? { order: "desc" } : {}),
    };
    for (const f of plain(filters)) extra[f.column.name] = f.value;
    const m = { bounds, view: v, page };
    return { body: listBody(res, opts.key ?? res.name, page, extra, next, m), m };
  };
  if (opts.view) return answer(opts.view);
  // An explicit range is known before the view opens: its hot read can ride along with the snapshot's first read.
  const likely =
    q.start !== undefined && q.end !== undefined && (desc ? q.end <= q.start : q.end >= q.start)
      ? {
          res,
          from: BigInt(desc ? q.end : q.start),
          to: BigInt(desc ? q.start : q.end),
          filters,
          limit: Number(q.limit),
          ...(cursor ? { after: cursor.key } : {}),
          ...(desc ? { desc } : {}),
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
  fixedFilters: readonly RowFilter[] = [],
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
    for (const f of plain(filters)) extra[f.column.name] = f.value;
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
          description: `Ordered by (${res.sortKey.map((c) => c.name).join(", ")}), ascending or (order=desc) descending; hot and cold merged, each row once.`,
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: {
              ...rangeParams,
              ...page,
              ...filterParams(res),
            },
          },
          response: listResponses(res, res.name, { stream: true }),
        },
      },
      async (req, reply) => {
        return answerRange(o, req, reply, res, rangePath, req.query as Query);
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
          response: listResponses(res, res.name),
        },
      },
      async (req, reply) => {
        const r = await latestAnswer(o, req, res, `/${res.name}`, req.query as Query);
        return sendJson(reply, r.body, r.m);
      },
    );
  }
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
