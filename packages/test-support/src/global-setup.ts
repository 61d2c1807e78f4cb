import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "./embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the tests use (maintenance database). */
    pgAdminUrl: string;
  }
}

let stopServer: (() => Promise<void>) | undefined;

function dockerEngineLikely(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync("/var/run/docker.sock");
}

/** PostgreSQL 16 in a container via testcontainers; undefined (with the reason printed) when no engine runs. */
async function startContainer(): Promise<string | undefined> {
  if (!dockerEngineLikely()) {
    console.warn("[stellar-lake] no Docker engine: testcontainers skipped, using embedded PostgreSQL 16");
    return undefined;
  }
  try {
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const container = await new PostgreSqlContainer("postgres:16-alpine").start();
    stopServer = async () => {
      await container.stop();
    };
    console.warn("[stellar-lake] tests use PostgreSQL 16 from testcontainers");
    const url = new URL(container.getConnectionUri());
    url.pathname = "/postgres";
    return url.toString();
  } catch (e) {
    console.warn(
      `[stellar-lake] testcontainers could not start (${(e as Error).message}); using embedded PostgreSQL 16`,
    );
    return undefined;
  }
}

/**
 * One real PostgreSQL per test run: `TEST_DATABASE_URL` when set; else, with `STELLAR_LAKE_TESTCONTAINERS=1`
 * and a Docker engine, a testcontainers PostgreSQL 16; else an embedded PostgreSQL 16 on a free port.
 * Each test file then creates its own fresh database (see `freshDatabase`).
 */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide("pgAdminUrl", given);
    return;
  }
  if (process.env.STELLAR_LAKE_TESTCONTAINERS === "1") {
    const url = await startContainer();
    if (url) {
      project.provide("pgAdminUrl", url);
      return;
    }
  } else if (!dockerEngineLikely()) {
    console.warn("[stellar-lake] no Docker engine: testcontainers skipped, using embedded PostgreSQL 16");
  }
  const dataDir = await mkdtemp(join(tmpdir(), "stellar-lake-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, fast: true });
  stopServer = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  project.provide("pgAdminUrl", server.adminUrl);
}

export async function teardown(): Promise<void> {
  await stopServer?.();
}
