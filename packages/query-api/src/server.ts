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

export async function startApi(config: ApiConfig, logger?: Logger | boolean): Promise<ApiServer> {
  const hot = new HotStore({
    url: config.databaseUrl,
    max: config.hotPoolSize,
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
        memoryLimit: config.duckMemoryLimit,
      })
    : undefined;
  const app = await buildApp({
    config,
    stores: { hot, ...(cold ? { cold } : {}) },
    ...(logger !== undefined ? { logger } : {}),
  });
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
