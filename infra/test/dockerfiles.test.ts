/** Lints the service images' Dockerfiles for what a deployment relies on, and checks their health probe script. */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type Dockerfile, parseDockerfile, readDockerfile } from "./dockerfile";
import { infraPath } from "./support";

const run = promisify(execFile);

export const SERVICE_IMAGES = {
  "ledger-source": { command: "source", ports: ["50053", "8087"] },
  ingester: { command: "ingest", ports: ["8088"] },
  flusher: { command: "flush", ports: ["8089"] },
  "query-api": { command: "serve", ports: ["8092"] },
} as const;

/** Problems of a service Dockerfile (empty when it is fine). */
export function lintServiceDockerfile(df: Dockerfile, command: string, ports: readonly string[]): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(df.stages.length >= 2, "multi-stage build (a build stage and a runtime stage)");
  for (const s of df.stages) check(/^node:20([.-]|$)/.test(s.from), `Node 20 LTS base image, got ${s.from}`);
  const runs = df.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args));
  check(
    runs.some((r) => /\bpnpm\b.*--filter @stellar-lake\/cli\b.*\bdeploy\b.*--prod\b/.test(r)),
    "production dependencies via `pnpm --filter @stellar-lake/cli deploy --prod`",
  );
  const buildNames = df.stages.slice(0, -1).map((s) => s.name);
  check(
    df.final.instructions.some(
      (i) => i.keyword === "COPY" && buildNames.some((n) => n && i.args.includes(`--from=${n}`)),
    ),
    "runtime stage copies the deployed app from the build stage",
  );
  check(
    !df.final.instructions.some(
      (i) => i.keyword === "RUN" && /\b(npm|pnpm|yarn)\s+(i|install|add)\b/.test(i.args),
    ),
    "no package installs in the runtime stage",
  );
  const user = df.user?.split(":")[0];
  check(user !== undefined && user !== "root" && user !== "0", `non-root USER, got ${df.user ?? "none"}`);
  const userIdx = df.final.instructions.findIndex((i) => i.keyword === "USER");
  const cmdIdx = df.final.instructions.findIndex((i) => i.keyword === "CMD");
  check(userIdx >= 0 && userIdx < cmdIdx, "USER before CMD");
  check(df.env.NODE_ENV === "production", "NODE_ENV=production");
  check(
    JSON.stringify(df.cmd) === JSON.stringify(["node", "--import", "tsx", "src/main.ts", command]),
    `CMD runs \`stellar-lake ${command}\` through tsx in exec form, got ${JSON.stringify(df.cmd)}`,
  );
  check(
    JSON.stringify([...df.exposed].sort()) === JSON.stringify([...ports].sort()),
    `EXPOSE ${ports.join(" ")}`,
  );
  const hc = df.healthcheck;
  check(hc !== undefined, "HEALTHCHECK");
  if (hc) {
    for (const o of ["interval", "timeout", "retries", "start-period"])
      check(o in hc.options, `HEALTHCHECK --${o}`);
    const url = hc.cmd.find((a) => a.startsWith("http://"));
    check(url !== undefined && ports.includes(new URL(url).port), "HEALTHCHECK probes an exposed port");
    check(hc.cmd[0] === "node", "HEALTHCHECK in exec form with node (the slim image has no curl)");
  }
  return problems;
}

describe("service Dockerfiles", () => {
  for (const [name, { command, ports }] of Object.entries(SERVICE_IMAGES)) {
    it(`${name}: multi-stage, Node 20, production deps only, non-root, HEALTHCHECK, CMD \`${command}\``, () => {
      const df = readDockerfile(infraPath(`docker/${name}.Dockerfile`));
      expect(lintServiceDockerfile(df, command, ports)).toEqual([]);
    });
  }

  it("the lint rejects a single-stage, root, probe-less image", () => {
    const bad = parseDockerfile(
      'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 8088\nCMD ["npx", "tsx", "src/main.ts", "ingest"]\n',
    );
    const problems = lintServiceDockerfile(bad, "ingest", ["8088"]);
    for (const p of [
      "multi-stage",
      "Node 20",
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
