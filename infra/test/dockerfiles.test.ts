/** Lints the service images' Dockerfiles for what a deployment relies on, and checks their health probe script. */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { API_NODE_OPTIONS } from "../../packages/query-api/src/node-options";
import { parseDockerfile, readDockerfile } from "./dockerfile";
import { lintServiceDockerfile, SERVICE_IMAGES } from "./service-images";
import { infraPath } from "./support";

const run = promisify(execFile);

describe("service Dockerfiles", () => {
  for (const [name, { command, ports }] of Object.entries(SERVICE_IMAGES)) {
    it(`${name}: multi-stage, Node 24, production deps only, non-root, HEALTHCHECK, CMD \`${command}\``, () => {
      const df = readDockerfile(infraPath(`docker/${name}.Dockerfile`));
      expect(lintServiceDockerfile(df, command, ports)).toEqual([]);
    });
  }

  it("query-api: NODE_OPTIONS is the API's node options (API_NODE_OPTIONS)", () => {
    const df = readDockerfile(infraPath("docker/query-api.Dockerfile"));
    expect(df.env.NODE_OPTIONS).toBe(API_NODE_OPTIONS);
  });

  it("the lint rejects a single-stage, root, probe-less image", () => {
    const bad = parseDockerfile(
      'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 8088\nCMD ["npx", "tsx", "src/main.ts", "ingest"]\n',
    );
    const problems = lintServiceDockerfile(bad, "ingest", ["8088"]);
    for (const p of [
      "multi-stage",
      "Node 24",
      "non-root USER",
      "HEALTHCHECK",
      "CMD runs",
      "no package installs",
    ]) {
      expect(problems.join("\n")).toContain(p);
    }
  });

  it("pgbouncer: non-root, HEALTHCHECK, CMD, the committed config", () => {
    const df = readDockerfile(infraPath("docker/pgbouncer.Dockerfile"));
    expect(df.user).toBe("postgres");
    expect(df.healthcheck?.cmd.length).toBeGreaterThan(0);
    expect(df.cmd).toEqual(["/usr/local/bin/pgbouncer-entrypoint.sh"]);
    expect(df.exposed).toEqual(["6432"]);
    const copies = df.final.instructions.filter((i) => i.keyword === "COPY").map((i) => i.args);
    expect(copies.some((c) => c.includes("infra/pgbouncer/pgbouncer.ini /etc/pgbouncer/pgbouncer.ini"))).toBe(
      true,
    );
  });
});

describe("healthcheck.mjs (the images' HEALTHCHECK probe)", () => {
  async function probe(url: string): Promise<number> {
    try {
      await run(process.execPath, [infraPath("docker/healthcheck.mjs"), url, "2000"]);
      return 0;
    } catch (e) {
      return (e as { code?: number }).code ?? -1;
    }
  }

  it("exits 0 on 2xx, 1 on an error status or a closed port", async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === "/ok" ? 200 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await probe(`http://127.0.0.1:${port}/ok`)).toBe(0);
      expect(await probe(`http://127.0.0.1:${port}/down`)).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await probe(`http://127.0.0.1:${port}/ok`)).toBe(1);
  });
});
