import pg from "pg";
import { describe, expect, it } from "vitest";
import { freshDatabase } from "../src/index";

describe("test harness", () => {
  it("gives each file a fresh database on a real PostgreSQL", async () => {
    const db = await freshDatabase();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const r = await c.query(
      "select current_database() as d, current_setting('server_version_num')::int as v",
    );
    await c.end();
    expect(r.rows[0].d).toBe(db.name);
    expect(r.rows[0].v).toBeGreaterThanOrEqual(150000);
  });
});
