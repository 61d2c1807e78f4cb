import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type EmbeddedServer, startEmbeddedPostgres } from "./embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the tests use (maintenance database). */
    pgAdminUrl: string;
  }
}

let server: EmbeddedServer | undefined;
let dataDir: string | undefined;

/**
 * One real PostgreSQL per test run: `TEST_DATABASE_URL` when set, else an embedded PostgreSQL 16 on a free
 * port. Test files then create their own fresh database (see `freshDatabase`).
 */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide("pgAdminUrl", given);
    return;
  }
  if (process.env.DOCKER_HOST || process.env.TESTCONTAINERS) {
    console.warn("[stellar-lake] testcontainers is not wired in this run; using embedded PostgreSQL");
  } else {
    console.warn("[stellar-lake] no Docker engine: testcontainers skipped, using embedded PostgreSQL 16");
  }
  dataDir = await mkdtemp(join(tmpdir(), "stellar-lake-pg-"));
  server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, fast: true });
  project.provide("pgAdminUrl", server.adminUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
