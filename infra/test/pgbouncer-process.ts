/**
 * A real PgBouncer (Debian's package) for tests, configured from the committed infra/pgbouncer/pgbouncer.ini with
 * only the addresses, files and databases replaced, and its userlist written by the committed write-userlist.sh.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@stellar-lake/test-support";
import pg from "pg";
import { type Ini, infraPath, parseIni, renderIni } from "./support";

export function findPgbouncer(): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"]) {
    const p = join(dir, "pgbouncer");
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export interface PgBouncer {
  readonly port: number;
  readonly ini: Ini;
  /** A URL for `database` through PgBouncer as `user`. */
  url(user: string, database: string): string;
  log(): string;
  stop(): Promise<void>;
}

export async function startPgBouncer(opts: {
  /** PgBouncer database name -> libpq-style connection string of the real database (e.g. with pool_size=1). */
  databases: Record<string, string>;
  users: Record<string, string>;
}): Promise<PgBouncer> {
  const binary = findPgbouncer();
  if (!binary) throw new Error("pgbouncer is not installed (infra/scripts/ensure-pgbouncer.sh)");
  const dir = mkdtempSync(join(tmpdir(), "pgbouncer-"));
  // PgBouncer refuses to run as root; as root it drops to `nobody`, which must read these files.
  chmodSync(dir, 0o755);
  const userlist = join(dir, "userlist.txt");
  execFileSync(infraPath("pgbouncer/write-userlist.sh"), [userlist], {
    env: {
      ...process.env,
      PGBOUNCER_USERS: Object.keys(opts.users).join(" "),
      ...Object.fromEntries(Object.entries(opts.users).map(([u, p]) => [`PGBOUNCER_PASSWORD_${u}`, p])),
    },
  });
  chmodSync(userlist, 0o644);
  const ini = parseIni(readFileSync(infraPath("pgbouncer/pgbouncer.ini"), "utf8"));
  const port = await freePort();
  ini.databases = { ...opts.databases };
  Object.assign(ini.pgbouncer!, {
    listen_addr: "127.0.0.1",
    listen_port: String(port),
    auth_file: userlist,
    pidfile: "",
    unix_socket_dir: "",
    server_tls_sslmode: "disable",
  });
  writeFileSync(join(dir, "pgbouncer.ini"), renderIni(ini), { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const proc: ChildProcess = spawn(
    binary,
    [...(asRoot ? ["-u", "nobody"] : []), join(dir, "pgbouncer.ini")],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  proc.stdout!.on("data", (d) => {
    log += d;
  });
  proc.stderr!.on("data", (d) => {
    log += d;
  });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready once it accepts a login for the first user and database.
  const [user, password] = Object.entries(opts.users)[0]!;
  const database = Object.keys(opts.databases)[0]!;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const c = new pg.Client({ host: "127.0.0.1", port, user, password, database });
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      if (Date.now() > deadline || proc.exitCode !== null) {
        await stop();
        throw new Error(`pgbouncer did not start: ${(e as Error).message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    ini,
    url: (u, db) =>
      `postgres://${encodeURIComponent(u)}:${encodeURIComponent(opts.users[u] ?? "")}@127.0.0.1:${port}/${db}`,
    log: () => log,
    stop,
  };
}
