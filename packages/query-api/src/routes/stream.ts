/**
 * Server-Sent Events on every range route (`Accept: text/event-stream`, Horizon's convention): the rows from the
 * cursor on, then each new row as the ingester commits it. Every event's `id:` is the row's cursor, so a client
 * reconnecting with `Last-Event-ID` resumes right after the last row it got — each page is read from one hot + cold
 * view, with the same cursor rule as the JSON pages, so a flush moving rows to cold between two reads (or while
 * the client was away) neither repeats nor skips a row.
 * Bounds: one page in memory per stream and a write that waits for the socket to drain (a slow client slows its
 * own reads, never the process); at most `streamMax` streams open; a heartbeat comment when idle.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { encodeCursor } from "../cursor";
import { badParameter, ProblemError } from "../errors";
import { type RowFilter, rangeRows, viewBounds, withView } from "../query";
import type { Resource } from "../tables";
import { encodeRow, sortValues } from "../values";
import { type DataRouteOptions, ledgers, requestKey } from "./data";

type Query = Record<string, string | number | undefined>;

/** The open streams: counted against the limit, and ended when the API closes. */
export class Streams {
  private readonly open = new Set<() => void>();
  constructor(readonly max: number) {}
  get count(): number {
    return this.open.size;
  }
  add(end: () => void): boolean {
    if (this.open.size >= this.max) return false;
    this.open.add(end);
    return true;
  }
  remove(end: () => void): void {
    this.open.delete(end);
  }
  endAll(): void {
    for (const end of [...this.open]) end();
  }
}

export function wantsStream(req: FastifyRequest): boolean {
  return /\btext\/event-stream\b/.test(req.headers.accept ?? "");
}

export async function streamRange(
  o: DataRouteOptions,
  req: FastifyRequest,
  reply: FastifyReply,
  res: Resource,
  route: string,
  q: Query,
  fixed: readonly RowFilter[],
): Promise<void> {
  if (q.order === "desc") throw badParameter("order", "a stream follows new rows: only order=asc");
  const streams = o.streams;
  if (!streams) throw new ProblemError(503, "Streams unavailable", "this API serves no streams");
  // Last-Event-ID (a reconnecting EventSource) takes the place of the cursor; both are validated before the
  // stream opens, so a bad one is a 400 like on the JSON route.
  const last = req.headers["last-event-id"];
  const query = typeof last === "string" && last !== "" ? { ...q, cursor: last } : q;
  const { filters, fp, cursor } = requestKey(res, route, query, fixed, res.sortKey);
  const limit = Number(q.limit);
  const raw = reply.raw;
  let closed = false;
  let wake: (() => void) | undefined;
  const end = () => {
    closed = true;
    wake?.();
  };
  if (!streams.add(end))
    throw new ProblemError(
      503,
      "Too many streams",
      `this API serves at most ${streams.max} streams at once`,
      {
        limit: streams.max,
      },
    );
  reply.hijack();
  raw.on("close", end);
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  const write = (chunk: string) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      if (raw.write(chunk)) return resolve();
      const done = () => {
        raw.off("drain", done);
        raw.off("close", done);
        resolve();
      };
      raw.once("drain", done);
      raw.once("close", done);
    });
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = undefined;
        resolve();
      };
    });
  let after = cursor?.key;
  let quietSince = Date.now();
  try {
    await write(`retry: ${o.config.streamPollMs}\n\n`);
    while (!closed) {
      const step = await withView(o.stores, async (v) => {
        const bounds = await viewBounds(v, ledgers);
        if (bounds.latest === null) return { rows: [], more: false, done: false };
        const from = q.start !== undefined ? BigInt(q.start) : (bounds.oldest ?? 0n);
        const endAt = q.end !== undefined ? BigInt(q.end) : undefined;
        const to = endAt !== undefined && endAt < bounds.latest ? endAt : bounds.latest;
        if (to < from) return { rows: [], more: false, done: endAt !== undefined && endAt < from };
        const page = await rangeRows(v, { res, from, to, filters, limit, ...(after ? { after } : {}) });
        o.onPage?.("hot", page.hotRows);
        o.onPage?.("cold", page.coldRows);
        return { rows: page.rows, more: page.more, done: !page.more && endAt !== undefined && to === endAt };
      });
      for (const row of step.rows) {
        if (closed) break;
        const key = sortValues(res.table.columns, res.sortKey, row);
        await write(`id: ${encodeCursor(fp, { key })}\ndata: ${encodeRow(res.table.columns, row)}\n\n`);
        after = key;
        quietSince = Date.now();
      }
      if (step.done) {
        await write("event: end\ndata: {}\n\n");
        break;
      }
      if (step.more) continue;
      await pause(o.config.streamPollMs);
      if (!closed && Date.now() - quietSince >= o.config.streamHeartbeatMs) {
        await write(": heartbeat\n\n");
        quietSince = Date.now();
      }
    }
  } catch (err) {
    // The status line is sent: the failure goes out as an event (a reconnect resumes from the last id).
    const e = err as Error & { status?: number; title?: string; store?: string };
    req.log.warn({ err: e.message, route }, "stream failed");
    await write(
      `event: error\ndata: ${JSON.stringify({ status: e.status ?? 500, title: e.title ?? "Internal error", ...(e.store ? { store: e.store } : {}) })}\n\n`,
    );
  } finally {
    streams.remove(end);
    raw.end();
  }
}
