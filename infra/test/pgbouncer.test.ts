/**
 * The committed PgBouncer configuration, run with Debian's pgbouncer against the test PostgreSQL: queries work in
 * transaction pooling, and session advisory locks do not behave as locks there (why the ingester and the flusher
 * connect directly). Skips with a message when pgbouncer is not installed (infra/scripts/ensure-pgbouncer.sh).
 */
import { randomBytes } from "node:crypto";
import { loginUserStatements, migrateUp } from "@stellar-lake/schema";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findPgbouncer, type PgBouncer, startPgBouncer } from "./pgbouncer-process";

const binary = findPgbouncer();
if (!binary) {
  console.warn(
    "[infra] pgbouncer is not installed: PgBouncer tests SKIPPED (run infra/scripts/ensure-pgbouncer.sh)",
  );
}

describe.skipIf(!binary)("PgBouncer in transaction pooling (infra/pgbouncer/pgbouncer.ini)", () => {
  const user = `it_api_${randomBytes(3).toString("hex")}`;
  const password = `pw"${randomBytes(6).toString("hex")}`;
  const key = 4242;
  let bouncer: PgBouncer;
  let port: number;
  let dbUrl: string;
  let directUrl: string;
  const clients: pg.Client[] = [];

  const viaBouncer = async () => {
    const c = new pg.Client({ host: "127.0.0.1", port, user, password, database: "stellar_hot" });
    await c.connect();
    clients.push(c);
    return c;
  };
  const direct = async () => {
    const c = new pg.Client({ connectionString: directUrl });
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const db = await freshDatabase("bouncer");
    dbUrl = db.url;
    await migrateUp(db.url);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      for (const s of loginUserStatements({ user, password, role: "reader" })) await admin.query(s);
    } finally {
      await admin.end();
    }
    const u = new URL(db.url);
    u.username = user;
    u.password = password;
    directUrl = u.toString();
    const server = new URL(inject("pgAdminUrl"));
    bouncer = await startPgBouncer({
      // One server connection: every client shares the same PostgreSQL session, which makes the effect certain.
      databases: { stellar_hot: `host=${server.hostname} port=${server.port} dbname=${db.name} pool_size=1` },
      users: { [user]: password },
    });
    port = bouncer.port;
    expect(bouncer.ini.pgbouncer!.pool_mode).toBe("transaction");
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await bouncer?.stop();
    if (dbUrl) {
      // Login roles are cluster-wide; drop the database first (it holds the role's grants).
      const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${new URL(dbUrl).pathname.slice(1)}" WITH (FORCE)`);
        await admin.query(`DROP ROLE IF EXISTS "${user}"`);
      } finally {
        await admin.end();
      }
    }
  });

  it("authenticates with SCRAM and runs parameterized queries and transactions as the read-only role", async () => {
    const c = await viaBouncer();
    const r = await c.query("SELECT COUNT(*)::int AS n FROM public.ledgers_row_v2 WHERE sequence > $1", [0]);
    expect(r.rows[0].n).toBe(0);
    await c.query("BEGIN");
    const w = await c.query("SELECT * FROM get_high_watermark()");
    expect(w.rowCount).toBe(20);
    await c.query("COMMIT");
    await expect(c.query("DELETE FROM public.ledgers_row_v2")).rejects.toMatchObject({ code: "42501" });
    const wrong = new pg.Client({
      host: "127.0.0.1",
      port,
      user,
      password: "wrong",
      database: "stellar_hot",
    });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed|SASL/);
    await wrong.end().catch(() => {});
  });

  it("a session advisory lock taken through PgBouncer is not the client's: others share it and it outlives the client", async () => {
    const a = await viaBouncer();
    expect((await a.query("SELECT pg_try_advisory_lock($1) AS ok", [key])).rows[0].ok).toBe(true);
    // Another client gets the same pooled server session: the "exclusive" lock is granted to it as well.
    const b = await viaBouncer();
    expect((await b.query("SELECT pg_try_advisory_lock($1) AS ok", [key])).rows[0].ok).toBe(true);
    // The lock holder goes away, yet the lock stays with the pooled connection: a standby would wait forever.
    await a.end();
    await b.end();
    const standby = await direct();
    expect((await standby.query("SELECT pg_try_advisory_lock($1) AS ok", [key])).rows[0].ok).toBe(false);
    const c = await viaBouncer();
    await c.query("SELECT pg_advisory_unlock_all()");
  });

  it("connected directly, the lock belongs to the session and is released when the holder disconnects", async () => {
    const a = await direct();
    const b = await direct();
    expect((await a.query("SELECT pg_try_advisory_lock($1) AS ok", [key + 1])).rows[0].ok).toBe(true);
    expect((await b.query("SELECT pg_try_advisory_lock($1) AS ok", [key + 1])).rows[0].ok).toBe(false);
    await a.end();
    // The server notices the closed socket promptly; poll briefly.
    let got = false;
    for (let i = 0; i < 50 && !got; i++) {
      got = (await b.query("SELECT pg_try_advisory_lock($1) AS ok", [key + 1])).rows[0].ok;
      if (!got) await new Promise((r) => setTimeout(r, 50));
    }
    expect(got).toBe(true);
  });
});
