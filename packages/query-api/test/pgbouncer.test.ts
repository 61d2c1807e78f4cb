/**
 * The API as deployed: the hot buffer through a real PgBouncer (Debian's, the committed pgbouncer.ini, transaction
 * pooling) with ONE server connection, logged in as the read-only role. Each request's REPEATABLE READ
 * transaction holds the server connection for its duration, so concurrent requests stay correct and isolated.
 */
import { loginUserStatements } from "@stellar-lake/schema";
import { afterFile, haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { findPgbouncer, type PgBouncer, startPgBouncer } from "../../../infra/test/pgbouncer-process";
import type { ApiServer } from "../src/index";
import { apiOver, get, type Lake, lakeWith, withoutMeta } from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";
const bouncerBinary = findPgbouncer();
if (!bouncerBinary)
  console.warn(
    "[query-api] SKIPPING the PgBouncer test: pgbouncer is not installed (infra/scripts/ensure-pgbouncer.sh)",
  );

describe.skipIf(!haveFixtures() || !bouncerBinary)(
  "through PgBouncer (transaction pooling, one server connection)",
  () => {
    let lake: Lake;
    let bouncer: PgBouncer;
    let viaBouncer: ApiServer;
    let direct: ApiServer;
    const user = `api_pgb_${process.pid}`;
    const password = "pgb-test-secret";
    beforeAll(async () => {
      lake = await lakeWith(FILE);
      await lake.flushTo(lake.first + 60);
      const admin = new pg.Client({ connectionString: lake.hotUrl });
      await admin.connect();
      for (const s of loginUserStatements({ user, password, role: "reader" })) await admin.query(s);
      await admin.end();
      // Registered here so it runs before the harness drops the database (cleanups run last registered first).
      afterFile(async () => {
        await bouncer?.stop();
        // Login roles are cluster-wide: remove its grants in the test database, then the role itself.
        const c = new pg.Client({ connectionString: lake.hotUrl });
        await c.connect();
        try {
          await c.query(`DROP OWNED BY "${user}"`);
          await c.query(`DROP ROLE IF EXISTS "${user}"`);
        } finally {
          await c.end();
        }
      });
      const server = new URL(inject("pgAdminUrl"));
      bouncer = await startPgBouncer({
        databases: {
          stellar_hot: `host=${server.hostname} port=${server.port} dbname=${new URL(lake.hotUrl).pathname.slice(1)} pool_size=1`,
        },
        users: { [user]: password },
      });
      expect(bouncer.ini.pgbouncer!.pool_mode).toBe("transaction");
      viaBouncer = await apiOver(
        { ...lake, hotUrl: bouncer.url(user, "stellar_hot") },
        { API_HOT_POOL_SIZE: "8" },
      );
      direct = await apiOver(lake);
    });
    it("concurrent range, latest-state and lookup requests answer exactly as a direct connection does", async () => {
      const paths = [
        `/operations?start=${lake.first}&end=${lake.last}&limit=40`,
        `/ledgers?start=${lake.first + 55}&end=${lake.first + 70}`,
        "/accounts?limit=20",
        "/trustlines?limit=20",
        `/offers/history?start=${lake.first}`,
        `/ledgers/${lake.last}`,
      ];
      const expected = await Promise.all(paths.map(async (p) => withoutMeta((await get(direct, p)).body)));
      const rounds = await Promise.all(
        Array.from({ length: 4 }, () => Promise.all(paths.map((p) => get(viaBouncer, p)))),
      );
      for (const round of rounds)
        for (const [i, a] of round.entries()) {
          expect(a.status, paths[i]).toBe(200);
          expect(withoutMeta(a.body), paths[i]).toBe(expected[i]);
        }
      expect(bouncer.log()).not.toMatch(/prepared statement .* does not exist/);
    });
  },
);
