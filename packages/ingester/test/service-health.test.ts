/**
 * The ingester's rule for a lost store (exit non-zero, never a quiet success) and its health: /health says why it
 * is not doing its job (starting, stalled, the source silent), /health/live fails only when restarting helps.
 */
import { readLedgerFile, withHeaderProtocol } from "@stellar-lake/lcm-io";
import { migrateUp } from "@stellar-lake/schema";
import { fixture, freePort, freshDatabase, haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTransformer,
  HotConnectionLost,
  ingest,
  parseIngesterConfig,
  type RawLedger,
  runIngesterService,
} from "../src/index";
import { memoryLog, syntheticLedger } from "./synthetic";

let url: string;
let admin: pg.Client;

beforeAll(async () => {
  url = (await freshDatabase("ingesthealth")).url;
  await migrateUp(url);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => admin?.end());

/** A source the test feeds by hand: `push(n)` sends the next n ledgers; it never ends by itself. */
function handSource() {
  let pending = 0;
  let wake: () => void = () => {};
  return {
    push(n: number) {
      pending += n;
      wake();
    },
    source: async function* (start: number, signal: AbortSignal): AsyncIterable<RawLedger> {
      signal.addEventListener("abort", () => wake(), { once: true });
      for (let s = start; !signal.aborted; ) {
        if (pending === 0) {
          await new Promise<void>((r) => {
            wake = r;
          });
          continue;
        }
        pending -= 1;
        yield { sequence: s++, xdr: new Uint8Array() };
      }
    },
  };
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

async function reset() {
  await admin.query("TRUNCATE ledgers_row_v2, transactions_row_v2, _meta_lineage, _meta_quality");
  await admin.query("DELETE FROM stellar_lake.ingest_checkpoint");
}

describe("a lost hot-buffer connection", () => {
  it("ends the run with an error naming it, not a quiet success (the supervisor restarts the process)", async () => {
    await reset();
    const src = handSource();
    let committed = 0;
    const run = ingest(
      {
        databaseUrl: url,
        start: 100,
        eraId: "test",
        versionLabel: "v1",
        pipelineVersion: "test",
        log: memoryLog(),
        onCommit: (c) => {
          committed = c.last;
        },
      },
      src.source,
      (raw) => syntheticLedger(raw.sequence),
    );
    run.catch(() => {});
    src.push(3);
    await until("3 ledgers committed", () => committed === 102);
    // The data connection only (the writer lock's stays): the ingester is idle, waiting for the next ledger.
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'stellar-lake-ingester'",
    );
    await expect(run).rejects.toThrow(HotConnectionLost);
    await expect(run).rejects.toThrow(/hot buffer connection lost/);
  });
});

describe("ingester /health", () => {
  it("not ready while starting; source_silent when nothing arrives; stalled (not live) when commits stop; healthy again after", {
    timeout: 60_000,
  }, async () => {
    await reset();
    const port = await freePort();
    const cfg = parseIngesterConfig(
      ["--start", "200", "--health-port", String(port), "--stall-after", "4s"],
      {
        DATABASE_URL: url,
      },
    );
    if (cfg === "help") throw new Error("help");
    const src = handSource();
    const stop = new AbortController();
    const service = runIngesterService(cfg, {
      databaseUrl: url,
      pipelineVersion: "test",
      source: src.source,
      transform: (raw) => syntheticLedger(raw.sequence),
      signal: stop.signal,
    });
    const health = async (probe = "") => {
      const r = await fetch(`http://127.0.0.1:${port}/health${probe}`).catch(() => undefined);
      return r ? { status: r.status, body: (await r.json()) as Record<string, unknown> } : undefined;
    };
    const reasons = (h: Awaited<ReturnType<typeof health>>) =>
      ((h?.body.reasons ?? []) as { reason: string; detail: string }[]).map((r) => r.reason);
    try {
      src.push(3);
      await until("ready and committed", async () => (await health())?.body.checkpoint === 202);
      const ok = await health();
      expect(ok?.status).toBe(200);
      expect(ok?.body).toMatchObject({ status: "healthy", live: true, ready: true, reasons: [] });

      // Nothing from the source for longer than --stall-after: not ready, with the reason; still live.
      await until("source_silent", async () => reasons(await health()).includes("source_silent"));
      const silent = await health();
      expect(silent?.status).toBe(503);
      expect(JSON.stringify(silent?.body.reasons)).toMatch(
        /no ledger from the source for \d+ s \(checkpoint 202\)/,
      );
      expect((await health("/live"))?.status).toBe(200);

      // The writer blocked (a lock its COPY waits for) while ledgers wait: stalled, and not live.
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE ledgers_row_v2 IN ACCESS EXCLUSIVE MODE");
      src.push(2);
      await until("stalled", async () => reasons(await health()).includes("stalled"));
      const stalled = await health();
      expect(stalled?.status).toBe(503);
      expect(stalled?.body.live).toBe(false);
      expect(JSON.stringify(stalled?.body.reasons)).toMatch(
        /ledgers up to 204 received but nothing committed/,
      );
      expect((await health("/live"))?.status).toBe(503);
      await blocker.query("ROLLBACK");
      await blocker.end();
      await until("committed again", async () => (await health())?.body.checkpoint === 204);
      expect((await health("/live"))?.status).toBe(200);
      expect(reasons(await health())).not.toContain("stalled");
    } finally {
      stop.abort();
      await service;
    }
  });
});

describe("an ingester behind the network's protocol", () => {
  it.skipIf(!haveFixtures())(
    "stays up, not ready: /health 503 behind_protocol with what to do, the gauge carries the protocol, the checkpoint stays before the ledger",
    { timeout: 60_000 },
    async () => {
      await reset();
      // A real mainnet ledger with protocol 30 in its header and the header hash recomputed.
      const [real] = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
      const patched = withHeaderProtocol(real!.xdr, 30);
      const decode = createTransformer({ passphrase: "Public Global Stellar Network ; September 2015" });
      const port = await freePort();
      const cfg = parseIngesterConfig(
        ["--start", "300", "--health-port", String(port), "--skip-bad-ledgers"],
        {
          DATABASE_URL: url,
        },
      );
      if (cfg === "help") throw new Error("help");
      const src = handSource();
      const stop = new AbortController();
      const service = runIngesterService(cfg, {
        databaseUrl: url,
        pipelineVersion: "test",
        source: src.source,
        transform: (raw) =>
          raw.sequence === 303 ? decode({ sequence: 303, xdr: patched }) : syntheticLedger(raw.sequence),
        signal: stop.signal,
      });
      try {
        src.push(5);
        let h:
          | { status: number; body: { reasons?: { reason: string; detail: string }[]; checkpoint?: number } }
          | undefined;
        await until("behind_protocol", async () => {
          const r = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
          h = r ? { status: r.status, body: (await r.json()) as NonNullable<typeof h>["body"] } : undefined;
          return (h?.body.reasons ?? []).some((x) => x.reason === "behind_protocol");
        });
        expect(h?.status).toBe(503);
        const reason = h?.body.reasons?.find((x) => x.reason === "behind_protocol");
        expect(reason?.detail).toMatch(
          /^ledger 303 is protocol 30; this build reads ≤ 28: upgrade stellar-lake/,
        );
        expect(h?.body.checkpoint).toBe(302);
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics).toMatch(/^ingester_unsupported_protocol 30$/m);
        // Not a bad ledger: nothing skipped, and the process stays up (restarting would not help).
        const q = await admin.query(
          "SELECT count(*)::int AS n FROM _meta_quality WHERE check_name = 'poison_ledger'",
        );
        expect(q.rows[0].n).toBe(0);
        expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      } finally {
        stop.abort();
        await service;
      }
    },
  );
});
