/** The API as a running service: stores opened from the configuration, the app listening on its port. */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { buildApp } from "./app";
import type { ApiConfig } from "./config";
import { ColdStore } from "./stores/cold";
import { HotStore } from "./stores/hot";

export interface ApiServer {
  readonly app: FastifyInstance;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** How long the start waits for the pools' connections at most. */
const WARM_WAIT_MS = 3_000;

export async function startApi(config: ApiConfig, logger?: Logger | boolean): Promise<ApiServer> {
  const hot = new HotStore({
    url: config.databaseUrl,
    max: config.hotPoolSize,
    min: config.poolKeep,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const cold = config.catalogUrl
    ? new ColdStore({
        catalogUrl: config.catalogUrl,
        metaSchema: config.metaSchema,
        lakeSchema: config.lakeSchema,
        ...(config.dataPath ? { dataPath: config.dataPath } : {}),
        storageFor: config.storageFor,
        connections: config.duckConnections,
        catalogMin: config.poolKeep,
        memoryLimit: config.duckMemoryLimit,
      })
    : undefined;
  // The pools' connections open while the routes compile: the first burst of requests finds them ready.
  const warming = Promise.all([hot.warm(), cold?.warm()]);
  const app = await buildApp({
    config,
    stores: { hot, ...(cold ? { cold } : {}) },
    ...(logger !== undefined ? { logger } : {}),
  });
  // Bounded: an unreachable store must not hold the start (its requests answer 503 meanwhile).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([warming, new Promise((r) => (timer = setTimeout(r, WARM_WAIT_MS)))]);
  clearTimeout(timer);
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await hot.close();
      await cold?.close();
    },
  };
}
