/**
 * The small HTTP server every pipeline service exposes: `/health` (= readiness, as JSON with the reasons),
 * `/health/live`, `/health/ready` (see ./health), and Prometheus `/metrics`.
 */
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import { type HealthReport, healthAnswer } from "./health";

export interface StatusServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The address a service listens on: `HOST`, else every interface (what a container needs; `pnpm dev` sets
 * `HOST=127.0.0.1` for the services it starts, so a laptop's pipeline is not reachable from its network).
 */
export function listenHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST || "0.0.0.0";
}

function jsonReplacer(_k: string, v: unknown) {
  return typeof v === "bigint" ? v.toString() : v;
}

export async function startStatusServer(opts: {
  port: number;
  /** Default: `listenHost()`. */
  host?: string;
  registry: Registry;
  health: () => HealthReport | Promise<HealthReport>;
}): Promise<StatusServer> {
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    try {
      if (path === "/metrics") {
        res.writeHead(200, { "content-type": opts.registry.contentType });
        res.end(await opts.registry.metrics());
        return;
      }
      if (path === "/health" || path === "/health/live" || path === "/health/ready") {
        const a = healthAnswer(path === "/health/live" ? "live" : "ready", await opts.health());
        res.writeHead(a.status, { "content-type": "application/json" });
        res.end(JSON.stringify(a.body, jsonReplacer));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `no route ${path}` }));
    } catch (err) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? listenHost(), () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === "object" && addr ? addr.port : opts.port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
