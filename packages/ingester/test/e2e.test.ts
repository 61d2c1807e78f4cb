/**
 * The ingester as users run it (`pnpm stellar-lake ingest`, a child process) against a real gRPC ledger source
 * over a Galexie datastore of re-sequenced mainnet ledgers, into real PostgreSQL: content, crash safety at named
 * failpoints, rewind after the hot tables are emptied, poison ledgers, and single-writer failover.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import {
  DirectoryDatastore,
  fileKeyFor,
  resequence,
  type SourceServer,
  startSourceServer,
  writeDatastore,
} from "@stellar-lake/ledger-source";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { fixture, freshDatabase, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PUBNET = "Public Global Stellar Network ; September 2015";
const START = 2000;
const COUNT = 12;
const END = START + COUNT - 1;

let dir: string;
let source: SourceServer;
let ledgers: { sequence: number; xdr: Buffer }[];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

function ingest(
  dbUrl: string,
  args: string[],
  env: Record<string, string> = {},
  port = source.port,
): { child: ChildProcess; done: Promise<Run>; output: () => string } {
  // One process (node with tsx's loader), so SIGKILL hits the ingester itself, not a wrapper.
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(repoRoot, "packages/cli/src/main.ts"),
      "ingest",
      "--source",
      `127.0.0.1:${port}`,
      "--network",
      "pubnet",
      "--health-port",
      "0",
      "--max-batch",
      "3",
      ...args,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: dbUrl, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout!.on("data", (b) => (out += b));
  child.stderr!.on("data", (b) => (out += b));
  const done = new Promise<Run>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done, output: () => out };
}

async function snapshot(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, string> = {};
    for (const t of dataTables) {
      const cols = t.columns
        .filter((x) => x.name !== "ingestion_timestamp")
        .map((x) => `"${x.name}"`)
        .join(", ");
      const r = await c.query(
        `SELECT COUNT(*) || ':' || COALESCE(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS s FROM (SELECT ${cols} FROM "${t.name}") x`,
      );
      out[t.name] = r.rows[0].s;
    }
    const cp = await c.query("SELECT last_ledger FROM stellar_lake.ingest_checkpoint");
    out.checkpoint = String(cp.rows[0]?.last_ledger ?? "none");
    return out;
  } finally {
    await c.end();
  }
}

async function freshHot(): Promise<string> {
  const db = await freshDatabase("e2e");
  await migrateUp(db.url);
  return db.url;
}

describe.skipIf(!haveFixtures())("ingest end to end", () => {
  let clean: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ingest-e2e-"));
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    ledgers = [
      ...resequence(
        base.map((b) => b.xdr),
        { start: START, count: COUNT, closeTimeStart: 1_725_000_000 },
      ),
    ];
    await writeDatastore(join(dir, "ds"), ledgers, { networkPassphrase: PUBNET });
    source = await startSourceServer({
      datastore: new DirectoryDatastore(join(dir, "ds")),
      port: 0,
      host: "127.0.0.1",
      pollMs: 100,
    });
  });
  afterAll(async () => {
    await source?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a bounded backfill writes exactly the transform's rows for every table", async () => {
    const url = await freshHot();
    const run = await ingest(url, ["--start", String(START), "--end", String(END)]).done;
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(`ingested ledgers ${START}..${END}: ${COUNT} ledgers`);
    clean = await snapshot(url);
    const expected: Record<string, number> = {};
    for (const l of ledgers) {
      for (const [t, rows] of Object.entries(hotRowsOf(decodeLedger(l.xdr), PUBNET).rows)) {
        expected[t] = (expected[t] ?? 0) + rows.length;
      }
    }
    for (const t of dataTables)
      expect(clean[t.name]!.split(":")[0], t.name).toBe(String(expected[t.name] ?? 0));
    expect(clean.checkpoint).toBe(String(END));
    expect(Number(clean.transactions_row_v2!.split(":")[0])).toBeGreaterThan(1000);
    // Every ledger's token transfer reconciliation is recorded in _meta_quality (and here passes).
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const q = await c.query(
        `SELECT dataset, passed, COUNT(*)::int AS n FROM _meta_quality
         WHERE check_name = 'token_transfer_balance_reconciliation' GROUP BY 1, 2`,
      );
      expect(q.rows).toEqual([{ dataset: "token_transfers_row_v1", passed: true, n: COUNT }]);
    } finally {
      await c.end();
    }
  });

  const failpoints = [
    "before-copy@2",
    "mid-copy@3",
    "between-copies@2",
    "after-copy@2",
    "before-commit@3",
    "after-commit@2",
  ];
  it.each(failpoints)(
    "SIGKILL at failpoint %s, restart → contents identical to the clean run",
    async (fp) => {
      const url = await freshHot();
      const crashed = await ingest(url, ["--start", String(START), "--end", String(END)], {
        STELLAR_LAKE_FAILPOINT: fp,
      }).done;
      expect(crashed.signal, crashed.out).toBe("SIGKILL");
      expect(crashed.out).toContain(`failpoint ${fp.split("@")[0]}: SIGKILL`);
      const resumed = await ingest(url, ["--start", String(START), "--end", String(END)]).done;
      expect(resumed.code, resumed.out).toBe(0);
      expect(await snapshot(url)).toEqual(clean);
    },
  );

  it("a seeded random crash (failpoint and batch drawn from seed 20261124) recovers identically", async () => {
    let seed = 20261124;
    const rand = () => {
      seed = (seed * 48271) % 2147483647;
      return seed;
    };
    const names = [
      "before-copy",
      "mid-copy",
      "between-copies",
      "after-copy",
      "before-commit",
      "after-commit",
    ];
    const fp = `${names[rand() % names.length]}@${1 + (rand() % 4)}`;
    const url = await freshHot();
    const crashed = await ingest(url, ["--start", String(START), "--end", String(END)], {
      STELLAR_LAKE_FAILPOINT: fp,
    }).done;
    expect(crashed.signal, `${fp}: ${crashed.out}`).toBe("SIGKILL");
    const resumed = await ingest(url, ["--start", String(START), "--end", String(END)]).done;
    expect(resumed.code, resumed.out).toBe(0);
    expect(await snapshot(url)).toEqual(clean);
  });

  it("hot tables truncated behind its back (a PostgreSQL crash) → it rewinds and re-ingests identically", async () => {
    const url = await freshHot();
    expect((await ingest(url, ["--start", String(START), "--end", String(END)]).done).code).toBe(0);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`TRUNCATE ${dataTables.map((t) => `"${t.name}"`).join(", ")}`);
    await c.end();
    const again = await ingest(url, ["--start", String(START), "--end", String(END)]).done;
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/rewinding to ledger 2000/);
    expect(await snapshot(url)).toEqual(clean);
  });

  it("a corrupt ledger in the datastore → clear error, checkpoint unchanged; --skip-bad-ledgers records it and continues", async () => {
    const bad = join(dir, "bad");
    await writeDatastore(bad, ledgers, { networkPassphrase: PUBNET });
    // Ledger 2005: a valid header (so the source and the sequence checks pass) followed by garbage.
    const m = await new DirectoryDatastore(bad).manifest();
    const { compressZstd, encodeBatch } = await import("@stellar-lake/lcm-io");
    const broken = Buffer.from(ledgers[5]!.xdr);
    broken.fill(0xee, 600, 700);
    await writeFile(
      join(bad, fileKeyFor(m, 2005)),
      compressZstd(encodeBatch([{ sequence: 2005, xdr: broken }])),
    );
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(bad),
      port: 0,
      host: "127.0.0.1",
    });
    try {
      const url = await freshHot();
      const stop = await ingest(url, ["--start", String(START), "--end", String(END)], {}, server.port).done;
      expect(stop.code).toBe(1);
      expect(stop.out).toMatch(/ledger 2005 cannot be decoded or transformed/);
      // Named as what it is: the ledger's own hashes do not match its bytes (not "wrong network?").
      expect(stop.out).toMatch(
        /ledger 2005 is corrupt: its transaction set does not hash|ledger 2005 is corrupt: it does not decode/,
      );
      expect(stop.out).not.toMatch(/wrong network/);
      expect((await snapshot(url)).checkpoint).toBe("2004");
      const skip = await ingest(
        url,
        ["--start", String(START), "--end", String(END), "--skip-bad-ledgers"],
        {},
        server.port,
      ).done;
      expect(skip.code, skip.out).toBe(0);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const q = await c.query("SELECT details FROM _meta_quality WHERE check_name = 'poison_ledger'");
      const n = await c.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2");
      await c.end();
      expect(q.rows[0].details).toMatch(/^ledger 2005: /);
      expect(n.rows[0].n).toBe(COUNT - 1);
      expect((await snapshot(url)).checkpoint).toBe(String(END));
    } finally {
      await server.close();
    }
  });

  it("an unreadable datastore file (truncated zstd, random bytes) stops ingestion naming the file; --skip-bad-ledgers records its ledgers and breaks the chain visibly", async () => {
    const bad = join(dir, "unreadable");
    await writeDatastore(bad, ledgers, { networkPassphrase: PUBNET });
    const m = await new DirectoryDatastore(bad).manifest();
    const { compressZstd, encodeBatch } = await import("@stellar-lake/lcm-io");
    const whole = compressZstd(encodeBatch([{ sequence: 2003, xdr: ledgers[3]!.xdr }]));
    const truncated = join(bad, fileKeyFor(m, 2003));
    const random = join(bad, fileKeyFor(m, 2007));
    await writeFile(truncated, whole.subarray(0, whole.length >> 1));
    await writeFile(random, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(bad),
      port: 0,
      host: "127.0.0.1",
    });
    try {
      const url = await freshHot();
      const stop = await ingest(url, ["--start", String(START), "--end", String(END)], {}, server.port).done;
      expect(stop.code).toBe(1);
      // The file's full path, with its separator (it read `…/ds4FFFFEC63--5020.xdr.zst`).
      expect(stop.out).toContain(`corrupt datastore file: ${truncated}`);
      expect((await snapshot(url)).checkpoint).toBe("2002");
      const skip = await ingest(
        url,
        ["--start", String(START), "--end", String(END), "--skip-bad-ledgers"],
        {},
        server.port,
      ).done;
      expect(skip.code, skip.out).toBe(0);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const poison = await c.query(
        "SELECT details FROM _meta_quality WHERE check_name = 'poison_ledger' AND NOT passed ORDER BY details",
      );
      const chain = await c.query(
        `SELECT details FROM _meta_quality WHERE check_name = 'hash_chain' AND NOT passed ORDER BY details`,
      );
      const n = await c.query("SELECT COUNT(*)::int AS n FROM ledgers_row_v2");
      await c.end();
      expect(poison.rows.map((r) => r.details)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^ledger 2003: unreadable in the source: .*corrupt datastore file: ${truncated}: corrupt zstd data`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^ledger 2007: unreadable in the source: .*corrupt datastore file: ${random}`),
        ),
      ]);
      expect(chain.rows.map((r) => r.details)).toEqual([
        "ledger 2004: previous ledger 2003 skipped (bad ledger), the link to it is unchecked",
        "ledger 2008: previous ledger 2007 skipped (bad ledger), the link to it is unchecked",
      ]);
      expect(n.rows[0].n).toBe(COUNT - 2);
      expect((await snapshot(url)).checkpoint).toBe(String(END));
    } finally {
      await server.close();
    }
  });

  it("SIGTERM finishes the open batch and exits 0; a restart continues from the checkpoint", async () => {
    const slow = await startSourceServer({
      datastore: new DirectoryDatastore(join(dir, "ds")),
      port: 0,
      host: "127.0.0.1",
      rate: 5,
    });
    try {
      const url = await freshHot();
      const run = ingest(url, ["--start", String(START)], {}, slow.port);
      for (let i = 0; i < 100 && !/"msg":"ingestion starting"/.test(run.output()); i++)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1200));
      run.child.kill("SIGTERM");
      const r = await run.done;
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/stopping: finishing the open batch/);
      expect(r.out).toMatch(/"stopped_by":"signal"/);
      const cp = Number((await snapshot(url)).checkpoint);
      expect(cp).toBeGreaterThanOrEqual(START);
      expect(cp).toBeLessThan(END);
      const rest = await ingest(url, ["--end", String(END)]).done;
      expect(rest.code, rest.out).toBe(0);
      expect(await snapshot(url)).toEqual(clean);
    } finally {
      await slow.close();
    }
  });

  it("two ingesters: one stands by; SIGKILL the active one → the standby takes over with no gap or duplicate", async () => {
    // One ledger a second: the first ingester must still be busy (holding the lock) when the second has started,
    // which on a loaded machine takes seconds; at 4/s it could finish the whole range first and let go.
    const slow = await startSourceServer({
      datastore: new DirectoryDatastore(join(dir, "ds")),
      port: 0,
      host: "127.0.0.1",
      rate: 1,
    });
    try {
      const url = await freshHot();
      const a = ingest(url, ["--start", String(START)], {}, slow.port);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (let i = 0; i < 100; i++) {
        const r = await c
          .query("SELECT last_ledger FROM stellar_lake.ingest_checkpoint")
          .catch(() => ({ rows: [] }));
        if (Number(r.rows[0]?.last_ledger ?? 0) >= START + 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const b = ingest(url, ["--start", String(START), "--end", String(END)]);
      for (let i = 0; i < 100 && !/standing by/.test(b.output()); i++)
        await new Promise((r) => setTimeout(r, 100));
      a.child.kill("SIGKILL");
      const rb = await b.done;
      await c.end();
      expect(rb.out).toMatch(/another ingester is active on this database.*standing by/);
      expect(rb.out).toMatch(/taking over/);
      expect(rb.code, rb.out).toBe(0);
      expect(await snapshot(url)).toEqual(clean);
    } finally {
      await slow.close();
    }
  });
});
