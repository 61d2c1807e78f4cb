/**
 * The whole pipeline as users run it, every service its own process: `source` over a Galexie datastore of
 * re-sequenced real mainnet ledgers → `ingest` → PostgreSQL hot buffer → `flush` (every second) → DuckLake bronze →
 * `serve`. The API's answers for every table over the whole range — read while flushes keep committing — equal a
 * reference API over the transform's rows written directly. A second run SIGKILLs every service and crashes
 * PostgreSQL mid-run (each restarted, as a supervisor would): its final answers are the same.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LedgerRows, writeBatch } from "@stellar-lake/ingester";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { type ApiServer, apiConfigFromEnv, resources, startApi } from "@stellar-lake/query-api";
import { migrateUp } from "@stellar-lake/schema";
import {
  createDatabase,
  type EmbeddedServer,
  fixture,
  freePort,
  haveFixtures,
  startEmbeddedPostgres,
} from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import { parse, stringify } from "lossless-json";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthOf, type Pipeline, pipelineFor, until } from "./pipeline-harness";

const PUBNET = "Public Global Stellar Network ; September 2015";
const START = 3000;
const COUNT = 12;
const END = START + COUNT - 1;
// Set by the pipeline, not by the transform: when and under which era the ingester wrote a row.
const STAMPED = new Set(["ingestion_timestamp", "era_id", "version_label"]);

let dir: string;
let pgServer: EmbeddedServer;
let pgDataDir: string;
let pgPort: number;
let reference: ApiServer;

async function startPipeline(name: string, rate = "4"): Promise<Pipeline> {
  const hot = await createDatabase(pgServer.adminUrl, `${name}hot`);
  const cat = await createDatabase(pgServer.adminUrl, `${name}cat`);
  await migrateUp(hot.url);
  const p = await pipelineFor({
    hotUrl: hot.url,
    catalogUrl: cat.url,
    lakeDir: join(dir, `${name}-lake`),
    datastore: join(dir, "ds"),
    start: START,
    rate,
    flushInterval: "1s",
  });
  for (const s of ["source", "ingester", "flusher", "api"] as const) p.start(s);
  return p;
}

/** Every table's rows over the whole range (and every snapshot table's latest state), pipeline stamps removed. */
async function everything(base: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const paths = resources.flatMap((r) =>
    r.snapshot
      ? [`/${r.name}/history?start=${START}&end=${END}&limit=2000`, `/${r.name}?limit=2000`]
      : [`/${r.name}?start=${START}&end=${END}&limit=2000`],
  );
  for (const path of paths) {
    const rows: unknown[] = [];
    let next: string | null = path;
    while (next) {
      const r = await fetch(`${base}${next}`);
      const text = await r.text();
      if (r.status !== 200) throw new Error(`${next}: ${r.status} ${text}`);
      const body = parse(text) as Record<string, unknown>;
      const key = Object.keys(body)[0]!;
      for (const row of body[key] as Record<string, unknown>[]) {
        for (const k of STAMPED) delete row[k];
        rows.push(row);
      }
      next = body.next as string | null;
    }
    out.set(path, stringify(rows) ?? "");
  }
  return out;
}

function expectSame(actual: Map<string, string>, expected: Map<string, string>): void {
  for (const [path, rows] of expected) {
    const a = actual.get(path);
    if (a !== rows) {
      let i = 0;
      while (a && i < a.length && a[i] === rows[i]) i++;
      throw new Error(
        `${path}: differs at ${i}: expected …${rows.slice(i, i + 200)}… got …${a?.slice(i, i + 200)}…`,
      );
    }
  }
}

describe.skipIf(!haveFixtures())("the pipeline end to end (source → ingester → flusher → API)", () => {
  let expected: Map<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pipeline-e2e-"));
    // Its own PostgreSQL, so this file may crash and restart it without touching the other test files.
    pgDataDir = await mkdtemp(join(tmpdir(), "pipeline-e2e-pg-"));
    pgPort = await freePort();
    pgServer = await startEmbeddedPostgres({
      dataDir: pgDataDir,
      port: pgPort,
      persistent: true,
      fast: true,
    });
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start: START, count: COUNT, closeTimeStart: 1_725_000_000 },
      ),
    ];
    await writeDatastore(join(dir, "ds"), ledgers, { networkPassphrase: PUBNET, ledgersPerBatch: 2 });
    // The reference: the transform's rows written straight into a hot buffer, served all-hot.
    const ref = await createDatabase(pgServer.adminUrl, "ref");
    await migrateUp(ref.url);
    const c = new pg.Client({ connectionString: ref.url });
    await c.connect();
    await writeBatch(
      c,
      ledgers.map((l) => hotRowsOf(decodeLedger(l.xdr, l.sequence), PUBNET)) as unknown as LedgerRows[],
      {
        eraId: null,
        versionLabel: null,
        pipelineVersion: "ref",
        processor: "ref",
        checks: [],
        mayOverlap: false,
      },
    );
    await c.end();
    reference = await startApi(
      apiConfigFromEnv({ API_PORT: "0", API_HOST: "127.0.0.1" }, { databaseUrl: ref.url }),
      false,
    );
    expected = await everything(reference.url);
  });
  afterAll(async () => {
    await reference?.close();
    await pgServer?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(pgDataDir, { recursive: true, force: true });
  });

  it("answers every table exactly as the transform's rows, read while flushes commit", {
    timeout: 240_000,
  }, async () => {
    const p = await startPipeline("clean");
    try {
      await until(
        "the last ledger with part of the range flushed",
        p,
        (s) => s.latest === END && (s.watermark ?? 0) >= START + 2,
      );
      const got = await everything(`http://127.0.0.1:${p.apiPort}`);
      expectSame(got, expected);
      // The flusher kept going meanwhile; once it has everything the answers still do not change.
      await until("everything flushed", p, (s) => s.watermark === END);
      expectSame(await everything(`http://127.0.0.1:${p.apiPort}`), expected);
      expect([...expected.values()].filter((v) => v !== "[]").length).toBeGreaterThan(12);
    } finally {
      await p.stop();
    }
  });

  it("PostgreSQL SIGKILLed and restarted twice while ledgers stream and a client pages: every service recovers by itself, the cold watermark advances again, the answers are exact", {
    timeout: 300_000,
  }, async () => {
    // Slow enough that both crashes land while ledgers still stream.
    const p = await startPipeline("recovery", "1");
    const statuses = new Map<number, number>();
    /** Why a request got no HTTP answer (status 0), by error. */
    const failures = new Map<string, number>();
    let paging = true;
    // A client paging the whole range the whole time: during an outage it gets 503 (never a 500, never a hang).
    const pager = (async () => {
      while (paging) {
        let next: string | null = `/ledgers?start=${START}&end=${END}&limit=3`;
        while (next && paging) {
          try {
            const r = await fetch(`http://127.0.0.1:${p.apiPort}${next}`, {
              signal: AbortSignal.timeout(10_000),
            });
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            const body = JSON.parse(await r.text()) as { next?: string | null };
            next = r.status === 200 ? (body.next ?? null) : null;
          } catch (err) {
            next = null;
            // Before the API first answers it is still starting: not an outage answer.
            if (statuses.size === 0) continue;
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
            const e = err as Error & { cause?: { code?: string } };
            const why = `${e.name}:${e.cause?.code ?? e.message.slice(0, 60)}`;
            failures.set(why, (failures.get(why) ?? 0) + 1);
            next = null;
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const crashAndRestart = async () => {
      await pgServer.crash();
      pgServer = await startEmbeddedPostgres({
        dataDir: pgDataDir,
        port: pgPort,
        persistent: true,
        fast: true,
      });
    };
    try {
      const first = await until(
        "ledgers streaming, some flushed",
        p,
        (s) => (s.latest ?? 0) >= START + 3 && s.watermark !== null,
      );
      await crashAndRestart();
      await until("ingesting again after the first crash", p, (s) => (s.latest ?? 0) >= START + 7, 150_000);
      const second = await until(
        "the cold watermark advancing again after the first crash",
        p,
        (s) => (s.watermark ?? 0) > (first.watermark ?? 0),
        150_000,
      );
      await crashAndRestart();
      await until(
        "the last ledger, all of it flushed, after the second crash",
        p,
        (s) => s.latest === END && s.watermark === END,
        150_000,
      );
      // The second crash must land while ledgers still stream.
      expect(second.latest).toBeLessThan(END);
      paging = false;
      await pager;
      expectSame(await everything(`http://127.0.0.1:${p.apiPort}`), expected);
      // Healthy without anyone restarting anything by hand (the harness restarts a process that exited, as
      // compose's restart policy does): each service's /health is 200.
      let health = await healthOf(p);
      for (let i = 0; i < 40 && Object.values(health).some((h) => h.status !== 200); i++) {
        await new Promise((r) => setTimeout(r, 500));
        health = await healthOf(p);
      }
      for (const [service, h] of Object.entries(health)) expect(h.status, `${service}: ${h.body}`).toBe(200);
      expect(
        [...statuses.keys()].filter((s) => s !== 200 && s !== 503),
        `${JSON.stringify([...statuses])} ${JSON.stringify([...failures])}\n${p.logs
          .filter((l) => l.startsWith("[api]") && !/store unavailable/.test(l))
          .slice(-15)
          .join("\n")}`,
      ).toEqual([]);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    } finally {
      paging = false;
      await pager;
      await p.stop();
    }
  });

  it("SIGKILL of every service and a PostgreSQL crash mid-run: the final answers are the same", {
    timeout: 300_000,
  }, async () => {
    const p = await startPipeline("faulty");
    try {
      await until("ingest under way", p, (s) => (s.latest ?? 0) >= START + 3);
      p.kill("ingester");
      await until("the first flush", p, (s) => s.watermark !== null);
      p.kill("flusher");
      p.kill("source");
      await until("ingest resumed", p, (s) => (s.latest ?? 0) >= START + 6);
      p.kill("api");
      await until("the API back", p, () => true);
      // A crash empties the UNLOGGED hot tables; the ingester rewinds to the cold watermark + 1.
      await pgServer.crash();
      pgServer = await startEmbeddedPostgres({
        dataDir: pgDataDir,
        port: pgPort,
        persistent: true,
        fast: true,
      });
      await until("the last ledger after the crash", p, (s) => s.latest === END, 180_000);
      expectSame(await everything(`http://127.0.0.1:${p.apiPort}`), expected);
      expect(p.logs.filter((l) => /exited code=null signal=SIGKILL/.test(l)).length).toBeGreaterThanOrEqual(
        4,
      );
    } finally {
      await p.stop();
    }
  });
});
