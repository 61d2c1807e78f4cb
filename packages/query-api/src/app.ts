/**
 * The Fastify application: data routes from the schema catalog, key lookups, `/health`, `/metrics`, the status
 * page at `/`, OpenAPI at `/openapi.json` with Swagger UI at `/docs`; errors as RFC 9457 problem+json; optional
 * API keys and rate limiting on data routes; CORS when configured.
 */
import { timingSafeEqual } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { type HealthReason, type HealthReport, healthAnswer } from "@stellar-lake/runtime";
import { collectStatus, renderStatusPage } from "@stellar-lake/status";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Logger } from "pino";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { ApiConfig } from "./config";
import {
  badParameter,
  ProblemError,
  type StoreName,
  StoreUnavailableError,
  withoutAddresses,
} from "./errors";
import type { Stores } from "./query";
import { dataRoutes } from "./routes/data";
import { horizonRoutes } from "./routes/horizon";
import { lookupRoutes } from "./routes/lookups";
import { Streams } from "./routes/stream";
import { healthResponses } from "./schemas";

export interface AppOptions {
  config: ApiConfig;
  stores: Stores;
  logger?: Logger | boolean;
}

function problem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  title: string,
  detail: string,
  extra = {},
) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send(JSON.stringify({ type: "about:blank", title, status, detail, instance: req.url, ...extra }));
}

/** The parameter an Ajv validation error is about. */
function validationParameter(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const params = v.params as Record<string, unknown>;
  if (typeof params.missingProperty === "string") return params.missingProperty;
  if (typeof params.additionalProperty === "string") return params.additionalProperty;
  const path = v.instancePath.replace(/^\//, "").split("/")[0];
  return path || undefined;
}

/** A decimal integer as people write it in a URL: optional minus, digits only (no `1e3`, `0x10`, spaces, `Infinity`). */
const DECIMAL = /^-?[0-9]+$/;

/** The integer-typed properties of a route's querystring / params schema (checked strictly before Ajv coerces). */
function integerProperties(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, { type?: string }> } | undefined)?.properties ?? {};
  return Object.entries(props)
    .filter(([, p]) => p.type === "integer")
    .map(([name]) => name);
}

/** Rejects integer parameters that are not plain decimal digits (Ajv's coercion takes anything `Number()` does). */
function strictIntegers(query: string[], params: string[]) {
  return async (req: FastifyRequest) => {
    for (const [where, names] of [
      [req.query, query],
      [req.params, params],
    ] as const) {
      for (const name of names) {
        const v = (where as Record<string, unknown>)[name];
        if (typeof v === "string" && !DECIMAL.test(v))
          throw badParameter(name, `must be a decimal integer, got '${v}'`);
      }
    }
  };
}

/** Node's own answers to requests it cannot parse (no route runs), as problem+json like every other error. */
function clientErrorAnswer(err: NodeJS.ErrnoException & { code?: string }): {
  status: number;
  detail: string;
} {
  switch (err.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, detail: "the request's headers (or its URL) are too large" };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, detail: "the request did not arrive in time" };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, detail: "the request body is too large" };
    default:
      return { status: 400, detail: "the request could not be parsed" };
  }
}

function keyMatches(given: string, keys: readonly Buffer[]): boolean {
  const g = Buffer.from(given);
  let ok = false;
  for (const k of keys) if (k.length === g.length && timingSafeEqual(k, g)) ok = true;
  return ok;
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const common = {
    clientErrorHandler: (err: Error, socket: Socket) => {
      if (!socket.writable) return socket.destroy(err);
      const { status, detail } = clientErrorAnswer(err as NodeJS.ErrnoException);
      const body = JSON.stringify({ type: "about:blank", title: STATUS_CODES[status], status, detail });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false },
    },
    routerOptions: { ignoreTrailingSlash: true },
    // One line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  };
  const redact = ["req.headers.authorization", 'req.headers["x-api-key"]'];
  // A caller's pino logger (the CLI's) or Fastify's own; request logs either way, API keys redacted.
  const app = (o.logger && typeof o.logger === "object"
    ? Fastify({ ...common, loggerInstance: o.logger })
    : Fastify({
        ...common,
        logger: o.logger === false ? false : { level: process.env.LOG_LEVEL ?? "info", redact },
      })) as unknown as FastifyInstance;

  // ---- metrics ----
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "query_api_" });
  const requests = new Counter({
    name: "query_api_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["route", "method", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "query_api_request_duration_seconds",
    help: "Request latency by route",
    labelNames: ["route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rowsServed = new Counter({
    name: "query_api_rows_served_total",
    help: "Rows served, by the store they came from (hot/cold split)",
    labelNames: ["store"],
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: "query_api_store_unavailable_total",
    help: "Requests answered 503 because a store was down",
    labelNames: ["store"],
    registers: [registry],
  });
  // The metrics' label children per route (and method/status), looked up once instead of hashed per request.
  const requestsBy = new Map<string, ReturnType<typeof requests.labels>>();
  const latencyBy = new Map<string, ReturnType<typeof latency.labels>>();
  // A callback hook (no promise per request); the log line is built only when its level is on.
  app.addHook("onResponse", (req, reply, done) => {
    const route = req.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    const rk = `${route} ${req.method} ${status}`;
    let counted = requestsBy.get(rk);
    if (!counted) {
      counted = requests.labels({ route, method: req.method, status: String(status) });
      requestsBy.set(rk, counted);
    }
    counted.inc();
    let timed = latencyBy.get(route);
    if (!timed) {
      timed = latency.labels({ route });
      latencyBy.set(route, timed);
    }
    timed.observe(reply.elapsedTime / 1000);
    // Probes (health checks, scrapes, the status page's refresh) would drown the data requests.
    const level = route.startsWith("/health") || route === "/metrics" || route === "/" ? "debug" : "info";
    if ((req.log as { isLevelEnabled?: (l: string) => boolean }).isLevelEnabled?.(level) ?? true)
      req.log[level](
        { method: req.method, url: req.url, status, ms: +reply.elapsedTime.toFixed(1) },
        "request",
      );
    done();
  });

  // ---- errors: problem+json ----
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const parameter = validationParameter(err);
      const v = err.validation[0]!;
      const detail =
        (v.params as Record<string, unknown>).additionalProperty !== undefined
          ? `unknown parameter '${parameter}'`
          : `${parameter ?? err.validationContext}: ${v.message ?? "invalid"}`;
      return problem(reply, req, 400, "Invalid parameter", detail, parameter ? { parameter } : {});
    }
    if (err instanceof StoreUnavailableError) {
      storeErrors.inc({ store: err.store });
      req.log.warn({ store: err.store, error: err.message }, "store unavailable");
      return problem(reply, req, err.status, err.title, err.message, err.extra);
    }
    if (err instanceof ProblemError)
      return problem(reply, req, err.status, err.title, err.message, err.extra);
    if (err.statusCode === 429) return problem(reply, req, 429, "Too many requests", err.message, {});
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      return problem(reply, req, err.statusCode, STATUS_CODES[err.statusCode] ?? "Bad request", err.message);
    req.log.error({ err }, "request failed");
    return problem(reply, req, 500, "Internal error", "the request failed; see the API's logs");
  });
  app.setNotFoundHandler((req, reply) =>
    problem(reply, req, 404, "Not found", `no route ${req.method} ${req.url.split("?")[0]}`),
  );

  // Every data route: integers strictly decimal, and unknown query parameters refused even where a route takes
  // none (its querystring schema then allows nothing), the same way everywhere.
  app.addHook("onRoute", (route) => {
    if (!(route.config as { data?: boolean } | undefined)?.data) return;
    route.schema ??= {};
    const schema = route.schema;
    schema.querystring ??= { type: "object", additionalProperties: false, properties: {} };
    const query = integerProperties(schema.querystring);
    const params = integerProperties(schema.params);
    if (!query.length && !params.length) return;
    const check = strictIntegers(query, params);
    const existing = route.preValidation;
    route.preValidation = existing ? [check, ...(Array.isArray(existing) ? existing : [existing])] : check;
  });

  // ---- CORS, rate limit, auth ----
  if (o.config.corsOrigins.length)
    await app.register(cors, {
      origin: o.config.corsOrigins.includes("*") ? true : o.config.corsOrigins,
      methods: ["GET", "HEAD", "OPTIONS"],
    });
  const limited = o.config.rateLimitMax > 0;
  if (limited)
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => {
        const e = new Error(`rate limit of ${ctx.max} requests per ${ctx.after} exceeded`) as FastifyError;
        e.statusCode = 429;
        return e;
      },
    });
  const keys = o.config.apiKeys.map((k) => Buffer.from(k));
  // Without API keys, no hook at all (not one that returns at once on every request).
  if (keys.length)
    app.addHook("onRequest", async (req, reply) => {
      if (!(req.routeOptions.config as { data?: boolean } | undefined)?.data) return;
      const header = req.headers["x-api-key"];
      const auth = req.headers.authorization;
      const given =
        typeof header === "string" ? header : auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
      if (given === undefined || !keyMatches(given, keys)) {
        reply.header("www-authenticate", 'Bearer realm="stellar-lake"');
        return problem(
          reply,
          req,
          401,
          "Unauthorized",
          given === undefined
            ? "an API key is required (X-API-Key or Authorization: Bearer)"
            : "unknown API key",
        );
      }
    });
  const routeConfig: Record<string, unknown> = {
    data: true,
    ...(limited ? { rateLimit: { max: o.config.rateLimitMax, timeWindow: o.config.rateLimitWindow } } : {}),
  };

  // ---- OpenAPI + docs ----
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "stellar-lake query API",
        version: "0.1.0",
        description:
          "Stellar ledgers as Hubble-compatible rows, from the PostgreSQL hot buffer and DuckLake cold storage as one store. " +
          "Every answer states the ledgers available, the cold watermark and the DuckLake snapshot it read.",
      },
      ...(keys.length
        ? {
            components: { securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } } },
            security: [{ apiKey: [] }],
          }
        : {}),
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  // ---- service routes ----
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  // The shared health shape (@stellar-lake/runtime): the API is live while it serves (its pools replace broken
  // connections by themselves), ready while both stores answer.
  const storesHealth = async (): Promise<HealthReport> => {
    const reasons: HealthReason[] = [];
    const check = async (store: StoreName, f: (() => Promise<void>) | undefined) => {
      if (!f) return "not configured";
      try {
        await f();
        return "ok";
      } catch (err) {
        const detail = withoutAddresses((err as Error).message);
        reasons.push({ reason: "store_unreachable", detail: `${store}: ${detail}` });
        return `unavailable: ${detail}`;
      }
    };
    const [hot, cold] = await Promise.all([
      check("hot", () => o.stores.hot.ping()),
      check("cold-catalog", o.stores.cold ? () => o.stores.cold!.ping() : undefined),
    ]);
    return { live: true, ready: reasons.length === 0, reasons, hot, cold };
  };
  for (const [path, probe, summary] of [
    ["/health", "ready", "Readiness: both stores reachable (the reasons when not)"],
    ["/health/ready", "ready", "Readiness probe (as /health)"],
    ["/health/live", "live", "Liveness probe: the process serves requests"],
  ] as const) {
    app.get(
      path,
      { schema: { tags: ["service"], summary, response: healthResponses } },
      async (_req, reply) => {
        const a = healthAnswer(probe, probe === "live" ? { live: true, ready: true } : await storesHealth());
        return reply.code(a.status as 200 | 503).send(a.body);
      },
    );
  }
  app.get("/", { schema: { hide: true } }, async (_req, reply) => {
    const status = await collectStatus({
      hot: o.stores.hot.pool,
      ...(o.stores.cold
        ? { catalog: { pool: o.stores.cold.catalogPool, schema: o.stores.cold.metaSchema } }
        : {}),
      ...(o.config.sourceStatusUrl ? { sourceUrl: o.config.sourceStatusUrl } : {}),
    });
    return reply.type("text/html; charset=utf-8").send(renderStatusPage(status));
  });

  // Server-Sent Event streams end when the API closes (their connections would hold the close otherwise).
  const streams = new Streams(o.config.streamMax);
  app.addHook("preClose", (done) => {
    streams.endAll();
    done();
  });
  const dataOpts = {
    streams,
    stores: o.stores,
    config: o.config,
    routeConfig,
    onPage: (store: "hot" | "cold", n: number) => {
      if (n) rowsServed.inc({ store }, n);
    },
  };
  await app.register(async (scope) => {
    await dataRoutes(scope, dataOpts);
    await lookupRoutes(scope, dataOpts);
    await horizonRoutes(scope, dataOpts);
  });
  return app;
}
