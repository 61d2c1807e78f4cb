import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCatalog, flushStates, latestFlushState, parseFlushState } from "../src/index";

let c: pg.Client;
beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("flushstate")).url });
  await c.connect();
});
afterAll(async () => c?.end());

describe("flush state", () => {
  it("parses this project's JSON, the nested form and ignores others' extra info", () => {
    expect(parseFlushState('{"watermark": 10, "range": [5, 10], "rows": 7, "seconds": 0.5}')).toMatchObject({
      watermark: 10,
      range: [5, 10],
      rows: 7,
      seconds: 0.5,
      operation: "flush",
    });
    expect(parseFlushState('{"flush_state": {"watermark": "12", "watermark_hash": "ab"}}')).toMatchObject({
      watermark: 12,
      watermarkHash: "ab",
    });
    expect(parseFlushState("not json")).toBeUndefined();
    expect(parseFlushState('{"author_note": "manual"}')).toBeUndefined();
    expect(parseFlushState("[1,2]")).toBeUndefined();
    expect(parseFlushState(null)).toBeUndefined();
  });

  it("latestFlushState: undefined without a catalog, then the newest snapshot carrying a state, skipping others'", async () => {
    expect(await latestFlushState(c, "bronze_meta")).toBeUndefined();
    await ensureCatalog(c, { schema: "bronze_meta", dataPath: "/tmp/x/", createdBy: "t" });
    expect(await latestFlushState(c, "bronze_meta")).toBeUndefined();
    const info = (i: number) =>
      i === 2 ? JSON.stringify({ watermark: 200, range: [101, 200], rows: 3 }) : i % 2 ? "garbage" : "{}";
    // 450 snapshots after the flush one: more than one page of others' snapshots.
    for (let i = 1; i <= 452; i++) {
      await c.query("INSERT INTO bronze_meta.ducklake_snapshot VALUES ($1, now(), 0, 1, 0)", [i]);
      await c.query("INSERT INTO bronze_meta.ducklake_snapshot_changes VALUES ($1, '', NULL, NULL, $2)", [
        i,
        info(i),
      ]);
    }
    const st = await latestFlushState(c, "bronze_meta");
    expect(st).toMatchObject({ snapshotId: 2, watermark: 200, range: [101, 200], rows: 3 });
    expect(st?.snapshotTime).toMatch(/^\d{4}-/);
    await c.query(
      `INSERT INTO bronze_meta.ducklake_snapshot VALUES (453, now(), 0, 1, 0);
       INSERT INTO bronze_meta.ducklake_snapshot_changes VALUES (453, '', NULL, NULL, '{"watermark": 200, "operation": "compact"}')`,
    );
    expect(await latestFlushState(c, "bronze_meta")).toMatchObject({ snapshotId: 453, operation: "compact" });
    expect((await flushStates(c, "bronze_meta", { operation: "flush" })).map((s) => s.snapshotId)).toEqual([
      2,
    ]);
  });
});
