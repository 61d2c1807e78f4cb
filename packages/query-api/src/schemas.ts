/**
 * Response schemas for the OpenAPI document, derived from the schema catalog like the routes: a row's columns and
 * types, the list and item envelopes, `meta`, problem+json. The encoder stays hand-written (exact int64, one byte
 * buffer per page): a Buffer reply is not serialized by Fastify, so these describe the bytes, they do not make them.
 */
import type { ColumnDef } from "@stellar-lake/schema";
import type { Resource } from "./tables";

function columnSchema(c: ColumnDef): Record<string, unknown> {
  const t: Record<string, unknown> =
    c.pg === "BIGINT"
      ? { type: "integer", format: "int64" }
      : c.pg === "INTEGER"
        ? { type: "integer", format: "int32" }
        : c.pg === "BOOLEAN"
          ? { type: "boolean" }
          : c.pg === "TIMESTAMPTZ"
            ? { type: "string", format: "date-time" }
            : { type: "string" };
  return { ...t, ...(c.nullable ? { nullable: true } : {}), ...(c.note ? { description: c.note } : {}) };
}

const rowSchemas = new WeakMap<Resource, Record<string, unknown>>();

/** One row of `res` as the API writes it: every catalog column, in catalog order. */
export function rowSchema(res: Resource): Record<string, unknown> {
  let s = rowSchemas.get(res);
  if (!s) {
    s = {
      type: "object",
      description: `a row of ${res.table.name}`,
      required: res.table.columns.map((c) => c.name),
      properties: Object.fromEntries(res.table.columns.map((c) => [c.name, columnSchema(c)])),
    };
    rowSchemas.set(res, s);
  }
  return s;
}

const ledgerOrNull = { type: "integer", nullable: true };

export const metaSchema = {
  type: "object",
  description:
    "where the data stands: the ledgers the stores hold, the cold watermark and DuckLake snapshot read",
  required: ["oldest_ledger", "latest_ledger", "cold_watermark", "ducklake_snapshot"],
  properties: {
    oldest_ledger: ledgerOrNull,
    latest_ledger: ledgerOrNull,
    cold_watermark: ledgerOrNull,
    ducklake_snapshot: ledgerOrNull,
    hot_rows: { type: "integer" },
    cold_rows: { type: "integer" },
    cold_files: {
      type: "integer",
      description: "Parquet files scanned (after pruning by sequence stats and by key filters)",
    },
    cold_bytes: { type: "integer", description: "the size of those files in bytes" },
  },
};

/** A page of rows: `{"<key>": [...], "count", <range and filters>, "cursor", "next", "meta"}`. */
export function listSchema(res: Resource, key: string): Record<string, unknown> {
  return {
    type: "object",
    required: [key, "count", "cursor", "next", "meta"],
    properties: {
      [key]: { type: "array", items: rowSchema(res) },
      count: { type: "integer" },
      start: { type: "integer", description: "where the walk began" },
      end: { type: "integer", description: "where it stops" },
      order: { type: "string", enum: ["desc"], description: "present for newest-first walks" },
      as_of_ledger: ledgerOrNull,
      cursor: { type: "string", nullable: true, description: "the next page's cursor (null: last page)" },
      next: { type: "string", nullable: true, description: "the next page's URL (null: last page)" },
      meta: metaSchema,
    },
    // The filters of the request are echoed under their parameter names.
    additionalProperties: { type: "string" },
  };
}

/** One row: `{"<key>": {...}, "meta"}`. */
export function itemSchema(res: Resource, key: string): Record<string, unknown> {
  return {
    type: "object",
    required: [key, "meta"],
    properties: { [key]: rowSchema(res), meta: metaSchema },
    additionalProperties: false,
  };
}

export const problemSchema = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    parameter: { type: "string", description: "the parameter a 400 is about" },
    store: { type: "string", description: "the store a 503 is about (hot, cold-catalog, cold-data)" },
  },
};

const problems = (codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      c,
      {
        description: PROBLEM_TEXT[c] ?? "problem",
        content: { "application/problem+json": { schema: problemSchema } },
      },
    ]),
  );

const PROBLEM_TEXT: Record<number, string> = {
  400: "a parameter is invalid (named in `parameter`)",
  401: "an API key is required",
  404: "no such key",
  429: "rate limit exceeded",
  503: "a store is unavailable (named in `store`); never a partial answer",
};

/** The body of a range route asked for `text/event-stream`. */
const eventStream = {
  type: "string",
  description:
    "Server-Sent Events: one event per row (`id:` the row's cursor, `data:` the row as JSON), from the cursor or Last-Event-ID on, then each new row as it is committed; `: heartbeat` comments while idle; `event: end` once `end` is passed; `event: error` when a store fails (reconnect with Last-Event-ID)",
};

/** Fastify `response` schemas of a list route (`stream`: a range route, which also streams). */
export function listResponses(res: Resource, key: string, o: { stream?: boolean } = {}) {
  const page = json(listSchema(res, key));
  return {
    200: {
      description: o.stream ? "a page, or with Accept: text/event-stream a stream of rows" : "a page",
      content: {
        ...page.content,
        ...(o.stream ? { "text/event-stream": { schema: eventStream } } : {}),
      },
    },
    ...problems([400, 401, 429, 503]),
  };
}

/** Fastify `response` schemas of a single-row route. */
export function itemResponses(res: Resource, key: string) {
  return {
    200: { description: "the row", ...json(itemSchema(res, key)) },
    ...problems([400, 401, 404, 429, 503]),
  };
}

const json = (schema: Record<string, unknown>) => ({
  content: { "application/json": { schema } },
});

const healthSchema = {
  type: "object",
  required: ["status", "live", "ready", "reasons"],
  properties: {
    status: { type: "string", enum: ["healthy", "unhealthy"] },
    live: { type: "boolean" },
    ready: { type: "boolean" },
    reasons: {
      type: "array",
      items: {
        type: "object",
        required: ["reason", "detail"],
        properties: { reason: { type: "string" }, detail: { type: "string" } },
      },
    },
    node: { type: "string", description: "the Node.js version the API runs on" },
    hot: { type: "string", description: "the hot buffer: ok, or why not" },
    cold: { type: "string", description: "the DuckLake catalog: ok, not configured, or why not" },
  },
  additionalProperties: true,
};

/** `/health`, `/health/live`, `/health/ready`: the same body, 200 or 503. */
export const healthResponses = {
  200: { description: "healthy", ...json(healthSchema) },
  503: { description: "unhealthy (the reasons say why)", ...json(healthSchema) },
};
