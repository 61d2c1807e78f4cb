/**
 * The done-when check of the backfill, as users run it: a live pipeline's lake (ledgers flushed to DuckLake and
 * more in the hot buffer) and 200 re-sequenced mainnet ledgers below it, planned with `backfill plan` and run by
 * two `backfill work` processes — one SIGKILLed in the middle of a job and replaced by a third. Afterwards every
 * table of the lake holds exactly the transform's rows, `lake verify` passes, and one API cursor walks
 * backfilled, flushed and hot ledgers with no gap and no duplicate. A plan overlapping the live pipeline is
 * refused naming the overlap.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDuck } from "@stellar-lake/backfill";
import { lakeRows, transformRows } from "@stellar-lake/backfill/testing";
import { flushOnce } from "@stellar-lake/flusher";
import { type LedgerRows, writeBatch } from "@stellar-lake/ingester";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { apiConfigFromEnv, startApi } from "@stellar-lake/query-api";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { afterFile, fixture, freshDatabase, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import pg from "pg";
import { describe, expect, it } from "vitest";

const PUBNET = "Public Global Stellar Network ; September 2015";
const FROM = 10_000;
const TO = 10_199; // the backfill
const LIVE_TO = 10_219; // the live pipeline: 10200-10209 flushed, 10210-10219 hot
const main = join(repoRoot, "packages/cli/src/main.ts");

describe.skipIf(!haveFixtures())("backfill: 2 workers, one SIGKILLed and replaced", () => {
  it("fills the lake below the live pipeline with exactly the transform's rows; verify passes; one cursor walks it all", {
    timeout: 600_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "backfill-cli-"));
    afterFile(() => rm(dir, { recursive: true, force: true }));
    const hotDb = await freshDatabase("bfhot");
    const catDb = await freshDatabase("bfcat");
    await migrateUp(hotDb.url);
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    const ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start: FROM, count: LIVE_TO - FROM + 1, closeTimeStart: 1_725_000_000 },
      ),
    ];
    await writeDatastore(join(dir, "ds"), ledgers, { networkPassphrase: PUBNET, ledgersPerBatch: 4 });
    const lakeDir = join(dir, "lake");

    // The live pipeline's part: ingested into the hot buffer, the first half flushed.
    const hot = new pg.Client({ connectionString: hotDb.url });
    await hot.connect();
    const cat = new pg.Client({ connectionString: catDb.url });
    await cat.connect();
    const duck = await openDuck();
    try {
      await writeBatch(
        hot,
        ledgers
          .filter((l) => l.sequence > TO)
          .map((l) => hotRowsOf(decodeLedger(l.xdr, l.sequence), PUBNET)) as unknown as LedgerRows[],
        {
          eraId: "pubnet",
          versionLabel: "v1",
          pipelineVersion: "test",
          processor: "test",
          checks: [],
          mayOverlap: false,
        },
      );
      const flushed = await flushOnce({
        hot,
        catalog: cat,
        duck,
        metaSchema: "bronze_meta",
        lakeSchema: "bronze",
        dataPath: `${lakeDir}/`,
        minAgeMs: 0,
        maxLedgers: 10,
      });
      expect(flushed.range).toEqual([TO + 1, TO + 10]);

      const env = {
        ...process.env,
        DATABASE_URL: hotDb.url,
        DUCKLAKE_CATALOG_URL: catDb.url,
        DUCKLAKE_DATA_PATH: lakeDir,
        LEDGER_DATASTORE: join(dir, "ds"),
        BACKFILL_HEARTBEAT_SECONDS: "10",
        BACKFILL_SUPERVISE_SECONDS: "1",
        BACKFILL_PREFETCH: "2",
        LOG_LEVEL: "info",
      };
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ["--import", "tsx", main, ...args], { env, encoding: "utf8" });

      // Overlapping what the live pipeline holds: refused, naming the ledgers.
      const overlap = cli("backfill", "plan", "--from", String(TO - 10), "--to", String(TO + 5));
      expect(overlap.status, overlap.stderr).toBe(1);
      expect(overlap.stderr).toContain(`ledgers ${TO + 1}-${TO + 5} are already in the lake`);
      const gap = cli("backfill", "plan", "--from", String(FROM), "--to", String(TO - 20));
      expect(gap.status).toBe(1);
      expect(gap.stderr).toContain(`ledgers ${TO - 19}-${TO} would be missing`);

      const plan = cli("backfill", "plan", "--from", String(FROM), "--to", String(TO), "--job-size", "20");
      expect(plan.status, plan.stderr).toBe(0);
      expect(JSON.parse(plan.stdout)).toMatchObject({ jobs: 10, planned: 10 });

      const logs: string[] = [];
      const exits = new Map<ChildProcess, { code: number | null; signal: string | null }>();
      const worker = (name: string) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", main, "backfill", "work", "--until-empty", "--health-port", "0"],
          { env, stdio: ["ignore", "pipe", "pipe"] },
        );
        const log = (b: Buffer) =>
          logs.push(
            ...b
              .toString()
              .trimEnd()
              .split("\n")
              .map((l) => `[${name}] ${l}`),
          );
        child.stdout!.on("data", log);
        child.stderr!.on("data", log);
        const exited = new Promise<void>((r) =>
          child.on("exit", (code, signal) => {
            exits.set(child, { code, signal });
            r();
          }),
        );
        return { child, exited };
      };
      const a = worker("a");
      const b = worker("b");
      // Kill worker a in the middle of its second job (one of its jobs already finished).
      const deadline = Date.now() + 200_000;
      const started = () => logs.filter((l) => l.startsWith("[a]") && l.includes("started")).length;
      while (started() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(started(), logs.slice(-20).join("\n")).toBeGreaterThanOrEqual(2);
      a.child.kill("SIGKILL");
      await a.exited;
      const c = worker("c");
      await Promise.all([b.exited, c.exited]);
      expect(exits.get(a.child)?.signal).toBe("SIGKILL");
      expect(exits.get(b.child), logs.slice(-30).join("\n")).toEqual({ code: 0, signal: null });
      expect(exits.get(c.child), logs.slice(-30).join("\n")).toEqual({ code: 0, signal: null });
      // The killed job was retried (a second attempt exists somewhere in the logs).
      expect(logs.some((l) => /attempt [1-9]\) started/.test(l))).toBe(true);

      const status = cli("backfill", "status", "--json");
      expect(JSON.parse(status.stdout).jobs).toMatchObject({
        registered: 10,
        queued: 0,
        running: 0,
        failed: 0,
      });

      // Every table: exactly the transform's rows for every ledger in the lake (backfilled + flushed).
      const want = transformRows(
        ledgers.filter((l) => l.sequence <= TO + 10),
        PUBNET,
      );
      const got = await lakeRows(cat, duck);
      for (const t of dataTables) expect(got.get(t.name), t.name).toEqual(want.get(t.name) ?? []);

      const verify = cli("lake", "verify");
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toContain(`lake verify ${FROM}-${TO + 10}`);
      expect(verify.stdout).toContain(`${TO + 10 - FROM + 1} of ${TO + 10 - FROM + 1} ledgers present`);

      // One cursor walk over backfilled, flushed and hot ledgers.
      const api = await startApi(
        apiConfigFromEnv(
          { API_PORT: "0", API_HOST: "127.0.0.1" },
          { databaseUrl: hotDb.url, catalogUrl: catDb.url, dataPath: lakeDir },
        ),
        false,
      );
      try {
        const walk = async (path: string, key: string) => {
          const rows: Record<string, unknown>[] = [];
          let next: string | null = path;
          while (next) {
            const r = await fetch(`${api.url}${next}`);
            expect(r.status).toBe(200);
            const body = (await r.json()) as Record<string, unknown> & { next: string | null };
            rows.push(...(body[key] as Record<string, unknown>[]));
            next = body.next;
          }
          return rows;
        };
        const seqs = (await walk(`/ledgers?start=${FROM}&end=${LIVE_TO}&limit=37`, "ledgers")).map((l) =>
          Number(l.sequence),
        );
        expect(seqs).toEqual(Array.from({ length: LIVE_TO - FROM + 1 }, (_, i) => FROM + i));
        const txs = await walk(`/transactions?start=${FROM}&end=${LIVE_TO}&limit=5000`, "transactions");
        const hashes = txs.map((t) => `${t.ledger_sequence}:${t.transaction_hash}`);
        expect(new Set(hashes).size).toBe(hashes.length);
        expect(txs.length).toBe(transformRows(ledgers, PUBNET).get("transactions_row_v2")!.length);
      } finally {
        await api.close();
      }
    } finally {
      duck.closeSync();
      await hot.end();
      await cat.end();
    }
  });
});
