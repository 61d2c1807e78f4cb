/**
 * The API's connections are opened at start and kept while idle (`API_POOL_KEEP`, default: the hot pool's size):
 * a burst of requests finds them ready instead of opening up to a pool's size of connections (each a SCRAM
 * handshake and a server process) while it waits, and a pause longer than the idle timeout does not close them.
 * Real PostgreSQL.
 */
import { migrateUp } from "@stellar-lake/schema";
import { freePort, freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { apiConfigFromEnv, startApi } from "../src/index";
import { HotStore } from "../src/stores/hot";

/** Connections the API holds to `url`'s database (its application_name), as the server sees them. */
async function apiConnections(adminUrl: string, url: string): Promise<number> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'stellar-lake-query-api'",
      [new URL(url).pathname.slice(1)],
    );
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("connection pools kept open", () => {
  let hotUrl: string;
  let catUrl: string;
  beforeAll(async () => {
    hotUrl = (await freshDatabase("poolhot")).url;
    await migrateUp(hotUrl);
    catUrl = (await freshDatabase("poolcat")).url;
  });

  it("API_POOL_KEEP defaults to the hot pool's size; 0 keeps none; not a number is refused", () => {
    const base = { DATABASE_URL: "postgres://x@127.0.0.1/y" };
    expect(apiConfigFromEnv({ ...base, API_HOT_POOL_SIZE: "32" }).poolKeep).toBe(32);
    expect(apiConfigFromEnv(base).poolKeep).toBe(10);
    expect(apiConfigFromEnv({ ...base, API_POOL_KEEP: "0" }).poolKeep).toBe(0);
    expect(() => apiConfigFromEnv({ ...base, API_POOL_KEEP: "many" })).toThrow(/API_POOL_KEEP/);
  });

  it("warm() opens the kept connections; those above it close after the idle timeout, the kept ones stay", async () => {
    const hot = new HotStore({ url: hotUrl, max: 6, min: 3, idleTimeoutMs: 50 });
    try {
      await hot.warm();
      expect(hot.pool.totalCount).toBe(3);
      expect(hot.pool.idleCount).toBe(3);
      // A burst of 6 snapshots held at once opens the other 3.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const burst = Array.from({ length: 6 }, () => hot.snapshot(() => held));
      while (hot.pool.totalCount < 6) await sleep(5);
      release();
      await Promise.all(burst);
      await sleep(400);
      expect(hot.pool.totalCount).toBe(3);
    } finally {
      await hot.close();
    }
  });

  it("a server starts with its hot and catalog connections open (the catalog's capped by its pool of 5)", async () => {
    const api = await startApi(
      apiConfigFromEnv(
        { API_PORT: "0", API_HOST: "127.0.0.1", API_HOT_POOL_SIZE: "7" },
        { databaseUrl: hotUrl, catalogUrl: catUrl },
      ),
      false,
    );
    onTestFinished(() => api.close());
    const admin = new URL(hotUrl);
    admin.pathname = "/postgres";
    expect(await apiConnections(admin.toString(), hotUrl)).toBe(7);
    expect(await apiConnections(admin.toString(), catUrl)).toBe(5);
  });

  it("a store that is down does not hold the start for long", async () => {
    const port = await freePort();
    const t = performance.now();
    const api = await startApi(
      apiConfigFromEnv(
        { API_PORT: "0", API_HOST: "127.0.0.1" },
        { databaseUrl: `postgres://nobody:pw@127.0.0.1:${port}/x` },
      ),
      false,
    );
    await api.close();
    expect(performance.now() - t).toBeLessThan(5_000);
  });
});
