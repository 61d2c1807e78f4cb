/**
 * Each service run the way its image would (see image-harness.ts): `pnpm deploy --prod` output, the Dockerfile's
 * CMD and ENV, the HEALTHCHECK command probed until healthy, then `docker stop` (SIGTERM) and a clean exit.
 * Services whose CLI command does not exist yet are skipped with a message naming them.
 */

import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  catalogGrantStatements,
  loginUserStatements,
  migrateUp,
  migrationStatus,
  migrations,
} from "@stellar-lake/schema";
import { createDatabase, freePort, type TestDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CATALOG_DATABASE, composeLogins } from "../scripts/init-sql";
import { loadCompose } from "./compose";
import { parseDockerfile, readDockerfile } from "./dockerfile";
import { assembleImage, type Image, runToCompletion, startService } from "./image-harness";
import { findPgbouncer, type PgBouncer, startPgBouncer } from "./pgbouncer-process";
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

async function exec(url: string, statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const q of statements) await c.query(q);
  } finally {
    await c.end();
  }
}

describe("images run without a container engine", () => {
  // The compose deployment on the test server: its two databases, its service logins (tagged: roles are
  // cluster-wide) and, when installed, a real PgBouncer in front of them for the query API.
  const tag = randomBytes(3).toString("hex");
  const password = `pw-${randomBytes(6).toString("hex")}`;
  const { services } = loadCompose();
  let hot: TestDatabase;
  let catalog: TestDatabase;
  let bouncer: PgBouncer | undefined;
  const server = new URL(inject("pgAdminUrl"));

  /** A compose connection URL pointed at the test deployment. */
  function rewrite(value: string): string {
    const u = new URL(value);
    const db = { stellar_hot: hot.name, [CATALOG_DATABASE]: catalog.name }[u.pathname.slice(1)];
    if (!db) throw new Error(`compose URL names an unknown database: ${u.pathname}`);
    u.username = `${u.username}_${tag}`;
    u.password = password;
    if (u.host === "pgbouncer:6432" && bouncer) {
      u.host = `127.0.0.1:${bouncer.port}`;
    } else if (u.host === "postgres:5434" || u.host === "pgbouncer:6432") {
      u.host = server.host;
      u.pathname = `/${db}`;
    } else {
      throw new Error(`compose URL names an unknown host: ${u.host}`);
    }
    return u.toString();
  }

  /** The service's compose environment, pointed at the test deployment and local directories. */
  async function serviceEnv(name: string): Promise<Record<string, string>> {
    const env: Record<string, string> = { ...(services[name]!.environment ?? {}) };
    for (const [k, v] of Object.entries(env)) if (/^postgres(ql)?:\/\//.test(v)) env[k] = rewrite(v);
    if (env.DUCKLAKE_DATA_PATH) env.DUCKLAKE_DATA_PATH = mkdtempSync(join(root, "lake-"));
    if (env.LEDGER_DATASTORE) env.LEDGER_DATASTORE = mkdtempSync(join(root, "datastore-"));
    if (env.LEDGER_SOURCE) env.LEDGER_SOURCE = `127.0.0.1:${await freePort()}`;
    return env;
  }

  beforeAll(async () => {
    hot = await createDatabase(inject("pgAdminUrl"), "img_hot");
    catalog = await createDatabase(inject("pgAdminUrl"), "img_catalog");
    await migrateUp(hot.url);
    for (const l of composeLogins) {
      await exec(
        hot.url,
        loginUserStatements({
          user: `${l.user}_${tag}`,
          password,
          role: l.role,
          catalogDatabase: catalog.name,
        }),
      );
    }
    await exec(catalog.url, catalogGrantStatements());
    if (findPgbouncer()) {
      const db = (name: string) => `host=${server.hostname} port=${server.port} dbname=${name}`;
      bouncer = await startPgBouncer({
        databases: { stellar_hot: db(hot.name), [CATALOG_DATABASE]: db(catalog.name) },
        users: { [`svc_api_${tag}`]: password },
      });
    } else {
      console.warn("[infra] pgbouncer is not installed: the query API's image run connects directly");
    }
  });

  afterAll(async () => {
    await bouncer?.stop();
    await hot?.drop();
    await catalog?.drop();
    await exec(
      inject("pgAdminUrl"),
      composeLogins.map((l) => `DROP ROLE IF EXISTS "${l.user}_${tag}"`),
    );
  });

  it("each service's compose connection URLs log in with exactly its role's rights", async () => {
    const tryAs = async (url: string, sql: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query("BEGIN");
        await c.query(sql);
        return "ok";
      } catch (e) {
        return (e as { code?: string }).code;
      } finally {
        await c.query("ROLLBACK").catch(() => {});
        await c.end();
      }
    };
    const env = async (n: string) => await serviceEnv(n);
    const ingester = await env("ingester");
    const flusher = await env("flusher");
    const api = await env("query-api");
    const checkpoint =
      "INSERT INTO stellar_lake.ingest_checkpoint (pipeline, last_ledger, last_ledger_hash) VALUES ('x', 1, 'h')";
    expect(await tryAs(ingester.DATABASE_URL!, checkpoint)).toBe("ok");
    expect(await tryAs(flusher.DATABASE_URL!, "DELETE FROM public.ledgers_row_v2")).toBe("ok");
    expect(await tryAs(flusher.DATABASE_URL!, checkpoint)).toBe("42501");
    expect(await tryAs(flusher.DUCKLAKE_CATALOG_URL!, "CREATE TABLE ducklake_probe (a int)")).toBe("ok");
    expect(await tryAs(api.DATABASE_URL!, "SELECT * FROM get_high_watermark()")).toBe("ok");
    expect(await tryAs(api.DATABASE_URL!, "DELETE FROM public.ledgers_row_v2")).toBe("42501");
    expect(await tryAs(api.DUCKLAKE_CATALOG_URL!, "CREATE TABLE y (a int)")).toBe("42501");
    expect(await tryAs(ingester.DUCKLAKE_CATALOG_URL!, "SELECT 1")).toBe("ok");
    if (bouncer) expect(new URL(api.DATABASE_URL!).port).toBe(String(bouncer.port));
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
    const fresh = await createDatabase(inject("pgAdminUrl"), "img_migrate");
    const r = await runToCompletion(df, await image("ingester"), { DATABASE_URL: fresh.url }, [
      "node",
      "--import",
      "tsx",
      "src/main.ts",
      "migrate",
      "up",
    ]);
    try {
      expect(r.code, r.output).toBe(0);
      expect((await migrationStatus(fresh.url)).pending).toEqual([]);
      expect((await migrationStatus(fresh.url)).applied).toEqual(Object.keys(migrations).sort());
    } finally {
      await fresh.drop();
    }
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
        const df = readDockerfile(infraPath(`docker/${name}.Dockerfile`));
        const svc = startService(df, await image(name), await serviceEnv(name));
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
