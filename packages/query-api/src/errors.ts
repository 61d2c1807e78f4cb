/** The API's typed failures; the error handler turns each into an RFC 9457 problem+json response. */

export class ProblemError extends Error {
  override readonly name = "ProblemError";
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** A bad parameter: 400 naming it. */
export function badParameter(parameter: string, detail: string): ProblemError {
  return new ProblemError(400, "Invalid parameter", `${parameter}: ${detail}`, { parameter });
}

export function notFound(detail: string): ProblemError {
  return new ProblemError(404, "Not found", detail);
}

/** Which store could not answer: never a silent partial answer. */
export type StoreName = "hot" | "cold-catalog" | "cold-data";

const STORE_TITLE: Record<StoreName, string> = {
  hot: "hot buffer (PostgreSQL) unavailable",
  "cold-catalog": "DuckLake catalog unavailable",
  "cold-data": "DuckLake data files unavailable",
};

export class StoreUnavailableError extends ProblemError {
  constructor(
    readonly store: StoreName,
    detail: string,
  ) {
    // Clients learn which store is down and why, never where it lives on the network.
    super(503, STORE_TITLE[store], withoutAddresses(detail), { store });
  }
}

/**
 * `text` without network addresses or credentials: URL authorities (`postgres://user:pw@host:port` →
 * `postgres://…`), IP addresses with their ports, and the host names Node's resolver errors carry.
 */
export function withoutAddresses(text: string): string {
  return text
    .replace(/\b(https?|postgres(?:ql)?|wss?|tcp):\/\/[^/\s]*/gi, "$1://…")
    .replace(/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d+)?/gi, "…")
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "…")
    .replace(/\b(ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\s+\S+/g, "$1");
}

/** Node/PostgreSQL errors that mean the server is unreachable or going away rather than a bad query. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? "";
  return (
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EPIPE"].includes(code) ||
    code.startsWith("08") || // connection exceptions
    code === "57P01" || // admin shutdown
    code === "57P02" ||
    code === "57P03" || // cannot connect now (starting up / shutting down)
    // "not queryable": pg's word for a pooled client whose connection broke (a PostgreSQL restart) before this query.
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable/i.test(
      e?.message ?? "",
    )
  );
}
