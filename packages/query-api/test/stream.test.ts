/**
 * Server-Sent Event streams through the typed client (@stellar-lake/client), against the API on a real port:
 * a client follows /operations while ledgers are committed and flushed; it drops its connection mid-flush and
 * resumes with Last-Event-ID — at the end it has every operation exactly once, in order, the same rows as the
 * JSON pages. Also: heartbeats on an idle stream, the connection limit, a stream ending at `end`.
 */
import { StellarLakeClient } from "@stellar-lake/client";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { stringify as stringifyExact } from "lossless-json";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { apiOver, CORE_TEST_PASSPHRASE, type Lake, lakeWith, walkRows } from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";

describe.skipIf(!haveFixtures())("streams", () => {
  let lake: Lake;
  let api: ApiServer;
  let client: StellarLakeClient;
  let first: number;
  beforeAll(async () => {
    // Only the first ledgers at the start: the rest are committed while the streams run.
    first = (await readLedgerFile(fixture(FILE)))[0]!.sequence;
    lake = await lakeWith(FILE, CORE_TEST_PASSPHRASE, { ingestTo: first + 20 });
    api = await apiOver(lake, {
      API_STREAM_POLL_MS: "50",
      API_STREAM_HEARTBEAT_MS: "200",
      API_STREAM_MAX: "3",
    });
    client = new StellarLakeClient(api.url);
  });

  it("follows new rows across flushes; a reconnect with Last-Event-ID loses and repeats nothing", {
    timeout: 240_000,
  }, async () => {
    const got: string[] = [];
    let lastId: string | undefined;
    let reconnects = 0;
    let pipelineDone = false;
    let lastEventAt = Date.now();
    const consume = async (stopAfter: number) => {
      const ac = new AbortController();
      // Caught up with a finished pipeline: nothing more will come.
      const watchdog = setInterval(() => {
        if (pipelineDone && Date.now() - lastEventAt > 1500) ac.abort();
      }, 100);
      let n = 0;
      for await (const ev of client.stream(
        "/operations",
        {},
        { limit: 7 },
        {
          signal: ac.signal,
          ...(lastId ? { lastEventId: lastId } : {}),
        },
      )) {
        got.push(stringifyExact(ev.row)!);
        lastId = ev.id;
        lastEventAt = Date.now();
        if (++n >= stopAfter) {
          // The client goes away mid-stream (its connection closes with rows still coming).
          ac.abort();
          break;
        }
      }
      clearInterval(watchdog);
      return n;
    };
    // Meanwhile the pipeline moves on: ledgers committed, then flushed to cold, in steps.
    let step = first + 20;
    const pipeline = (async () => {
      while (step < lake.last) {
        step = Math.min(lake.last, step + 15);
        await lake.ingest(step);
        await lake.flushTo(step - 10);
        await new Promise((r) => setTimeout(r, 100));
      }
    })().finally(() => {
      pipelineDone = true;
    });
    for (let round = 0; round < 1000; round++) {
      const n = await consume(25);
      reconnects++;
      if (pipelineDone && n < 25) break;
    }
    await pipeline;
    const expected = await walkRows(api, "/operations?limit=500", "operations");
    expect(reconnects).toBeGreaterThan(3);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(expected);
  });

  it("idle streams get heartbeats; the connection limit is a 503; a stream ends at `end`", async () => {
    const doc = JSON.parse(await (await fetch(`${api.url}/openapi.json`)).text());
    for (const p of ["/operations", "/accounts/{account_id}/payments", "/trustlines/history"])
      expect(Object.keys(doc.paths[p].get.responses["200"].content), p).toEqual([
        "application/json",
        "text/event-stream",
      ]);
    const ac = new AbortController();
    const r = await fetch(`${api.url}/ledgers?start=${lake.last + 1000}`, {
      headers: { accept: "text/event-stream" },
      signal: ac.signal,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = r.body!.getReader();
    let text = "";
    const deadline = Date.now() + 10_000;
    while (!text.includes(": heartbeat") && Date.now() < deadline)
      text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain(": heartbeat");
    // Two more fill the limit of 3; the fourth is refused.
    const more = await Promise.all(
      [0, 1].map(() =>
        fetch(`${api.url}/ledgers?start=${lake.last + 1000}`, {
          headers: { accept: "text/event-stream" },
          signal: ac.signal,
        }),
      ),
    );
    expect(more.map((m) => m.status)).toEqual([200, 200]);
    const refused = await fetch(`${api.url}/ledgers`, { headers: { accept: "text/event-stream" } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toMatch(/problem\+json/);
    ac.abort();
    // A bounded range ends the stream once its last ledger is passed.
    const rows: unknown[] = [];
    await new Promise((r) => setTimeout(r, 200));
    for await (const ev of client.stream("/ledgers", {}, { start: first, end: first + 4, limit: 2 }))
      rows.push(ev.row);
    expect(rows.map((x) => (x as { sequence: number }).sequence)).toEqual(
      [0, 1, 2, 3, 4].map((i) => first + i),
    );
  });
});
