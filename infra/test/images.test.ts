/**
 * Each service run the way its image would (see image-harness.ts): `pnpm deploy --prod` output, the Dockerfile's
 * CMD and ENV, the HEALTHCHECK command probed until healthy, then `docker stop` (SIGTERM) and a clean exit.
 * Services whose CLI command does not exist yet are skipped with a message naming them.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateUp, migrationStatus, migrations } from "@stellar-lake/schema";
import { freePort, freshDatabase } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDockerfile, readDockerfile } from "./dockerfile";
import { assembleImage, type Image, runToCompletion, startService } from "./image-harness";
import { SERVICE_IMAGES } from "./service-images";
import { infraPath, repoDir } from "./support";

const root = mkdtempSync(join(tmpdir(), "stellar-lake-images-"));
const commandExists = (c: string) => existsSync(join(repoDir, "packages/cli/src/commands", `${c}.ts`));
const missing = Object.entries(SERVICE_IMAGES).filter(([, s]) => !commandExists(s.command));
if (missing.length > 0) {
  console.warn(
    `[infra] image run SKIPPED for ${missing.map(([n, s]) => `${n} (no \`${s.command}\` command yet)`).join(", ")}`,
  );
}

async function portFree(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "0.0.0.0", () => s.close(() => resolve(true)));
  });
}

const STAND_IN = `
const http = require("node:http");
const s = http.createServer((req, res) => res.writeHead(req.url === "/health/live" ? 200 : 404).end());
s.listen(Number(process.env.INGESTER_HEALTH_PORT), "127.0.0.1");
process.on("SIGTERM", () => s.close(() => process.exit(0)));
`;

const images = new Map<string, Image>();
async function image(name: string): Promise<Image> {
  let i = images.get(name);
  if (!i) {
    i = await assembleImage(readDockerfile(infraPath(`docker/${name}.Dockerfile`)), root);
    images.set(name, i);
  }
  return i;
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("images run without a container engine", () => {
  let hotUrl: string;
  let catalogUrl: string;

  beforeAll(async () => {
    hotUrl = (await freshDatabase("img_hot")).url;
    catalogUrl = (await freshDatabase("img_catalog")).url;
  });

  it("the deploy output holds production dependencies only", async () => {
    const app = (await image("ingester")).workdir;
    const top = readdirSync(join(app, "node_modules"));
    expect(top).toContain("tsx");
    for (const dev of ["vitest", "typescript", "@biomejs", "turbo"]) expect(top, dev).not.toContain(dev);
    const own = readdirSync(join(app, "node_modules/@stellar-lake"));
    expect(own).not.toContain("test-support");
  });

  it("the compose `migrate` job (ingester image) migrates a database", async () => {
    const df = readDockerfile(infraPath("docker/ingester.Dockerfile"));
    const r = await runToCompletion(df, await image("ingester"), { DATABASE_URL: hotUrl }, [
      "node",
      "--import",
      "tsx",
      "src/main.ts",
      "migrate",
      "up",
    ]);
    expect(r.code, r.output).toBe(0);
    expect((await migrationStatus(hotUrl)).pending).toEqual([]);
    expect((await migrationStatus(hotUrl)).applied).toEqual(Object.keys(migrations).sort());
  });

  it("harness self-check: ENV reaches the CMD, the HEALTHCHECK probe runs from its image path, SIGTERM stops it", async () => {
    // The ingester's Dockerfile with a stand-in CMD (a health server on the image's INGESTER_HEALTH_PORT).
    const port = String(await freePort());
    const text = readFileSync(infraPath("docker/ingester.Dockerfile"), "utf8")
      .replaceAll("8088", port)
      .replace(/^CMD .*$/m, `CMD ["node", "-e", ${JSON.stringify(STAND_IN)}]`);
    const df = parseDockerfile(text, "stand-in.Dockerfile");
    expect(df.env.INGESTER_HEALTH_PORT).toBe(port);
    const svc = startService(df, await image("ingester"), {});
    try {
      expect(await svc.waitHealthy(20_000), svc.output()).toBe(true);
    } finally {
      expect(await svc.stop()).toBe(0);
    }
  });

  for (const [name, { command, ports }] of Object.entries(SERVICE_IMAGES)) {
    it.skipIf(!commandExists(command))(
      `${name}: CMD \`${command}\` with the image's ENV becomes healthy and stops cleanly on SIGTERM`,
      async (ctx) => {
        for (const p of ports) {
          if (!(await portFree(Number(p)))) {
            console.warn(`[infra] ${name}: port ${p} is in use on this machine: image run skipped`);
            ctx.skip();
          }
        }
        await migrateUp(hotUrl);
        const df = readDockerfile(infraPath(`docker/${name}.Dockerfile`));
        const lake = mkdtempSync(join(root, "lake-"));
        const svc = startService(df, await image(name), {
          DATABASE_URL: hotUrl,
          DUCKLAKE_CATALOG_URL: catalogUrl,
          DUCKLAKE_DATA_PATH: lake,
          LEDGER_DATASTORE: mkdtempSync(join(root, "datastore-")),
          LEDGER_SOURCE: `127.0.0.1:${await freePort()}`,
        });
        try {
          expect(await svc.waitHealthy(60_000), svc.output()).toBe(true);
        } finally {
          const code = await svc.stop();
          expect(code, svc.output()).toBe(0);
        }
      },
      120_000,
    );
  }
});
