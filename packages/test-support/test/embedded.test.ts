import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../src/index";

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps logged data across a crash and empties UNLOGGED tables, like a real server", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "sl-embedded-"));
    try {
      let server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true });
      expect((await query(server.adminUrl, "SHOW server_version_num")).rows[0].server_version_num).toMatch(
        /^16/,
      );
      await query(server.adminUrl, "CREATE TABLE kept (x int); CREATE UNLOGGED TABLE hot (x int)");
      await query(server.adminUrl, "INSERT INTO kept VALUES (1); INSERT INTO hot VALUES (1)");
      await query(server.adminUrl, "CHECKPOINT");
      await server.crash();
      server = await startEmbeddedPostgres({ dataDir, port: server.port, persistent: true });
      expect((await query(server.adminUrl, "SELECT count(*)::int AS n FROM kept")).rows[0].n).toBe(1);
      expect((await query(server.adminUrl, "SELECT count(*)::int AS n FROM hot")).rows[0].n).toBe(0);
      await server.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
