/**
 * How a request's view is opened (`withView`): a read the last watermark says is all cold reads the hot bounds in
 * a statement of their own, at the same time as the catalog state; when the watermark then calls for hot rows
 * after all, the request starts over on a REPEATABLE READ snapshot taken before the catalog read. Concurrent
 * requests share those reads (each a read started after it asked). The answers and the facts about where the
 * data stands are those of the ordered view, one request at a time. Real PostgreSQL, DuckLake, DuckDB.
 */
import { haveFixtures } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RangeQuery, rangeRows, type Stores, viewBounds, withView } from "../src/query";
import { ColdStore } from "../src/stores/cold";
import { HotStore } from "../src/stores/hot";
import { resource } from "../src/tables";
import { jsonBytes } from "../src/values";
import { type Lake, lakeWith } from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";
const ledgers = resource("ledgers");

describe.skipIf(!haveFixtures())("opening a request's view", () => {
  let lake: Lake;
  let hot: HotStore;
  let cold: ColdStore;
  let stores: Stores;
  /** How many requests went through the ordered snapshot (`HotStore.snapshot`). */
  let ordered = 0;
  beforeAll(async () => {
    lake = await lakeWith(FILE);
    await lake.flushTo(lake.first + 40);
    hot = new HotStore({ url: lake.hotUrl, max: 4 });
    cold = new ColdStore({ catalogUrl: lake.catalogUrl });
    const snapshot = hot.snapshot.bind(hot);
    hot.snapshot = (fn, closed) => {
      ordered++;
      return snapshot(fn, closed);
    };
    stores = { hot, cold };
  });
  afterAll(async () => {
    await hot?.close();
    await cold?.close();
  });

  /** A ledger lookup as the route runs it: its row (as JSON), which store it came from, and the view's facts. */
  const lookup = (seq: number) => {
    const read: RangeQuery = { res: ledgers, from: BigInt(seq), to: BigInt(seq), filters: [], limit: 1 };
    return withView(
      stores,
      async (v) => {
        const bounds = await viewBounds(v, ledgers);
        const p = await rangeRows(v, read);
        return {
          row: p.rows[0] ? jsonBytes("", ledgers.table.columns, p.rows, "").toString() : undefined,
          hotRows: p.hotRows,
          coldRows: p.coldRows,
          bounds,
          watermark: v.state.watermark,
          snapshot: v.state.snapshot,
        };
      },
      read,
    );
  };

  it("a lookup the watermark says is cold: bounds and catalog read together, no ordered snapshot", async () => {
    await lookup(lake.first + 1); // the first request has no watermark yet to go by
    ordered = 0;
    const r = await lookup(lake.first + 10);
    expect(ordered).toBe(0);
    expect(r.coldRows).toBe(1);
    expect(r.row).toContain(`"sequence":${lake.first + 10}`);
    expect(r.bounds).toEqual({ oldest: BigInt(lake.first), latest: BigInt(lake.last) });
    expect(r.watermark).toBe(BigInt(lake.first + 40));
  });

  it("a stale watermark saying 'all cold' for a hot ledger: the request starts over, ordered, and answers from hot", async () => {
    const truth = await lookup(lake.last); // the real watermark says hot
    expect(truth.hotRows).toBe(1);
    // As if the last watermark read had been past the ledger (a lake rebuilt with less in it, say).
    cold.lastWatermark = BigInt(lake.last);
    ordered = 0;
    const r = await lookup(lake.last);
    expect(ordered).toBe(1);
    expect(r).toEqual(truth);
  });

  it("after a flush moves the ledger to cold, the lookup says so (same row, new watermark and snapshot)", async () => {
    const before = await lookup(lake.first + 50);
    expect(before.hotRows).toBe(1);
    await lake.flushTo(lake.first + 60);
    const after = await lookup(lake.first + 50);
    expect(after.coldRows).toBe(1);
    expect(after.row).toBe(before.row);
    expect(after.watermark).toBe(BigInt(lake.first + 60));
    expect(after.snapshot).toBeGreaterThan(before.snapshot!);
    expect(after.bounds).toEqual(before.bounds);
    // Now the last watermark says cold: the next lookup takes the bounds-only path and answers the same.
    ordered = 0;
    expect(await lookup(lake.first + 50)).toEqual(after);
    expect(ordered).toBe(0);
  });

  it("32 cold lookups at once share their catalog state and hot bounds reads, and answer as one at a time", async () => {
    const seqs = Array.from({ length: 32 }, (_, i) => lake.first + 1 + (i % 50));
    const alone: Awaited<ReturnType<typeof lookup>>[] = [];
    for (const s of seqs) alone.push(await lookup(s));
    let catalogReads = 0;
    let hotReads = 0;
    const catalogQuery = cold.catalogPool.query.bind(cold.catalogPool);
    const hotQuery = hot.pool.connect.bind(hot.pool);
    cold.catalogPool.query = ((...args: Parameters<typeof catalogQuery>) => {
      catalogReads++;
      return catalogQuery(...args);
    }) as typeof catalogQuery;
    hot.pool.connect = ((...args: Parameters<typeof hotQuery>) => {
      hotReads++;
      return hotQuery(...args);
    }) as typeof hotQuery;
    try {
      ordered = 0;
      const together = await Promise.all(seqs.map((s) => lookup(s)));
      expect(together).toEqual(alone);
      expect(ordered).toBe(0);
      // All asked in the same turn of the event loop: one read each.
      expect(catalogReads).toBe(1);
      expect(hotReads).toBe(1);
    } finally {
      cold.catalogPool.query = catalogQuery;
      hot.pool.connect = hotQuery;
    }
  });

  it("an unknown ledger past the latest, by a watermark saying cold, is still not found", async () => {
    cold.lastWatermark = BigInt(lake.last + 5);
    const r = await lookup(lake.last + 5);
    expect(r.row).toBeUndefined();
    expect(r.bounds.latest).toBe(BigInt(lake.last));
  });
});
