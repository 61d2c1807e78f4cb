/**
 * The API's rule for a store that goes away: it reconnects by itself. A connection lost while a request holds it
 * (PostgreSQL killed mid-request: the socket just closes, no goodbye from the server) is a 503 for that request —
 * not an unhandled 'error' event that ends the process — and the next requests are answered on new connections.
 * The API reaches PostgreSQL through a TCP relay here, so the test can cut its connections the way a crash does
 * without crashing the PostgreSQL the other test files share.
 */
import { createServer, type Socket, connect as tcp } from "node:net";
import { afterFile, freePort, haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { apiOver, get, lakeWith } from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";

/** A TCP relay to `target`; `cut()` destroys every relayed connection at once (both ends, no FIN handshake). */
async function relay(target: URL): Promise<{ port: number; cut: () => void }> {
  const pairs: [Socket, Socket][] = [];
  const server = createServer((client) => {
    const upstream = tcp(Number(target.port), target.hostname);
    client.on("error", () => {});
    upstream.on("error", () => {});
    client.pipe(upstream);
    upstream.pipe(client);
    pairs.push([client, upstream]);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  afterFile(() => new Promise<void>((r) => server.close(() => r())));
  return {
    port,
    cut: () => {
      for (const [a, b] of pairs.splice(0)) {
        a.resetAndDestroy();
        b.destroy();
      }
    },
  };
}

describe.skipIf(!haveFixtures())("the hot buffer's connections dropped mid-request", () => {
  it("the request in flight is a 503 naming the store, the API stays up and answers again", async () => {
    const lake = await lakeWith(FILE);
    const direct = new URL(lake.hotUrl);
    const r = await relay(direct);
    const viaRelay = new URL(lake.hotUrl);
    viaRelay.port = String(r.port);
    const api = await apiOver({ ...lake, hotUrl: viaRelay.toString() });
    expect((await get(api, `/ledgers?start=${lake.first}&end=${lake.last}`)).status).toBe(200);
    const admin = new pg.Client({ connectionString: lake.hotUrl });
    admin.on("error", () => {});
    await admin.connect();
    const locker = new pg.Client({ connectionString: lake.hotUrl });
    await locker.connect();
    try {
      // The request blocks on a lock with its connection checked out of the pool ...
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE ledgers_row_v2 IN ACCESS EXCLUSIVE MODE");
      const inFlight = get(api, `/ledgers?start=${lake.first}&end=${lake.last}`);
      const waiting = async () =>
        (
          await admin.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )
        ).rows[0].n > 0;
      for (let i = 0; i < 100 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await waiting()).toBe(true);
      // ... when its connections die the way a killed server's do.
      r.cut();
      const answer = await inFlight;
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ store: "hot" });
      await locker.query("ROLLBACK");
      // The process is still up and the pool opens new connections.
      const again = await get(api, `/ledgers?start=${lake.first}&end=${lake.last}`);
      expect(again.status).toBe(200);
      expect((await get(api, "/health")).status).toBe(200);
    } finally {
      await locker.end().catch(() => {});
      await admin.end();
    }
  });
});
