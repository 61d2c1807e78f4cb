/** Connecting to PostgreSQL with errors a person can act on — and never a password in them. */
import pg from "pg";

export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Host, port, database and user of a PostgreSQL URL (no password). */
export function pgTarget(url: string): PgTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseConnectionError(`not a PostgreSQL URL: '${redactUrl(url)}'`);
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new DatabaseConnectionError(`not a PostgreSQL URL (scheme '${u.protocol}'): '${redactUrl(url)}'`);
  }
  return {
    host: decodeURIComponent(u.hostname) || "localhost",
    port: u.port ? Number(u.port) : 5432,
    database:
      decodeURIComponent(u.pathname.replace(/^\//, "")) || decodeURIComponent(u.username) || "postgres",
    user: decodeURIComponent(u.username) || process.env.USER || "postgres",
  };
}

/** The URL with any password replaced by `***`; safe to log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    // Unparseable: strip anything between '://user:' and '@' by hand.
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
}

export class DatabaseConnectionError extends Error {
  override readonly name = "DatabaseConnectionError";
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused (is PostgreSQL running and listening there?)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  "28P01": "password authentication failed",
  "28000": "authentication rejected (pg_hba.conf or role)",
  "3D000": "database does not exist",
  "57P03": "the server is starting up or shutting down",
  "53300": "too many connections",
};

/** Turn a connection failure into one line naming host, port, database, user and the reason. */
export function describeConnectionError(url: string, err: unknown): DatabaseConnectionError {
  const t = pgTarget(url);
  const code = (err as { code?: string } | null)?.code ?? "";
  const raw = err instanceof Error ? err.message : String(err);
  const password = safePassword(url);
  const reason = REASONS[code] ?? (password ? raw.replaceAll(password, "***") : raw);
  return new DatabaseConnectionError(
    `cannot connect to PostgreSQL at ${t.host}:${t.port}, database '${t.database}', user '${t.user}': ${reason}`,
  );
}

function safePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return "";
  }
}

/** Open and immediately verify a connection, so failures surface as one clear error. */
export async function checkConnection(url: string, timeoutMs = 10_000): Promise<void> {
  pgTarget(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // Without a listener, a late socket error would crash the process instead of reaching the catch below.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    throw describeConnectionError(url, err);
  } finally {
    await client.end().catch(() => {});
  }
}
