/**
 * The local default database: when `DATABASE_URL` is unset, commands use an embedded PostgreSQL 16 on port
 * 5434 with its data under the git-ignored `.data/postgres`, started on demand (or reused when already running,
 * e.g. by `pnpm dev`).
 */
import { join } from "node:path";
import { ident } from "@stellar-lake/schema";
import pg from "pg";

export const DEV_PORT = 5434;
export const DEV_DATABASE = "stellar_hot";
export const DEV_CATALOG_DATABASE = "stellar_lake_catalog";
const DEV_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${DEV_PORT}/postgres`;

export interface LocalDatabase {
  url: string;
  /** True when this process started the embedded server (and so must stop it). */
  started: boolean;
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on("error", () => {});
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Create `name` on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE ${ident(name)}`);
  } finally {
    await c.end();
  }
}

/** `DATABASE_URL`, or the embedded dev server's `stellar_hot` database (started if needed). */
export async function resolveDatabase(log: (line: string) => void = () => {}): Promise<LocalDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) return { url: given, started: false, stop: async () => {} };
  // Loaded only here: container images deploy production dependencies, which do not include the dev server.
  const { repoRoot, startEmbeddedPostgres, withDatabase } = await import("@stellar-lake/test-support");
  let started = false;
  let stop = async () => {};
  if (!(await reachable(DEV_ADMIN_URL))) {
    const dataDir = join(repoRoot, ".data", "postgres");
    log(`starting embedded PostgreSQL 16 on 127.0.0.1:${DEV_PORT} (data: ${dataDir})`);
    const server = await startEmbeddedPostgres({ dataDir, port: DEV_PORT, persistent: true, fast: true });
    started = true;
    stop = () => server.stop();
  }
  await ensureDatabase(DEV_ADMIN_URL, DEV_DATABASE);
  return { url: withDatabase(DEV_ADMIN_URL, DEV_DATABASE), started, stop };
}

/**
 * `DUCKLAKE_CATALOG_URL`, or the default: database `stellar_lake_catalog` on the hot buffer's server, created
 * when the role may (a read-only role just gets the URL; the flusher creates it).
 */
export async function resolveCatalogUrl(hotUrl: string): Promise<string> {
  const given = process.env.DUCKLAKE_CATALOG_URL;
  if (given) return given;
  const admin = new URL(hotUrl);
  admin.pathname = "/postgres";
  await ensureDatabase(admin.toString(), DEV_CATALOG_DATABASE).catch(() => {});
  const u = new URL(hotUrl);
  u.pathname = `/${DEV_CATALOG_DATABASE}`;
  return u.toString();
}
