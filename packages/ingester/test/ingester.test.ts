import { readLedgerFile, withHeaderProtocol } from "@stellar-lake/lcm-io";
import { readCheckpoint } from "@stellar-lake/pipeline-state";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { fixture, freshDatabase, haveFixtures } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BehindProtocolError,
  ChainError,
  createTransformer,
  IngestMetrics,
  type IngestOptions,
  ingest,
  PoisonLedgerError,
  SequenceError,
  StartError,
} from "../src/index";
import { memoryLog, rangeSource, syntheticLedger } from "./synthetic";

let url: string;
let client: pg.Client;

beforeAll(async () => {
  url = (await freshDatabase("ingest")).url;
  await migrateUp(url);
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(async () => client?.end());

async function reset() {
  await client.query(
    `TRUNCATE ${dataTables.map((t) => `"${t.name}"`).join(", ")}, _meta_lineage, _meta_quality`,
  );
  await client.query("DELETE FROM stellar_lake.ingest_checkpoint");
}

function options(extra: Partial<IngestOptions> = {}): IngestOptions {
  return {
    databaseUrl: url,
    eraId: "test",
    versionLabel: "v1",
    pipelineVersion: "test",
    log: memoryLog(),
    ...extra,
  };
}

/** Row count and a content checksum of every data table. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of dataTables) {
    const r = await client.query(
      `SELECT COUNT(*) || ':' || COALESCE(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS s
       FROM (SELECT ${t.columns
         .filter((c) => c.name !== "ingestion_timestamp")
         .map((c) => `"${c.name}"`)
         .join(", ")} FROM "${t.name}") x`,
    );
    out[t.name] = r.rows[0].s;
  }
  return out;
}

const transform = (raw: { sequence: number }) => syntheticLedger(raw.sequence);

describe("bounded backfill", () => {
  beforeEach(reset);

  it("writes every table for start..end, advances the checkpoint and records lineage and quality", async () => {
    const summary = await ingest(
      options({ start: 100, end: 149, maxBatchLedgers: 16 }),
      rangeSource(1000),
      transform,
    );
    expect(summary).toMatchObject({ firstLedger: 100, lastLedger: 149, ledgers: 50, stoppedBy: "end" });
    expect(summary.batches).toBeGreaterThanOrEqual(4);
    expect(await readCheckpoint(client)).toMatchObject({ lastLedger: 149, lastLedgerHash: "hash-149" });
    const counts = await snapshot();
    expect(counts.ledgers_row_v2).toMatch(/^50:/);
    expect(counts.transactions_row_v2).toMatch(/^100:/);
    const era = await client.query("SELECT DISTINCT era_id, version_label FROM operations_row_v2");
    expect(era.rows).toEqual([{ era_id: "test", version_label: "v1" }]);
    const lineage = await client.query(
      "SELECT dataset, SUM(row_count)::int AS n FROM _meta_lineage GROUP BY dataset ORDER BY dataset",
    );
    expect(lineage.rows).toHaveLength(20);
    expect(lineage.rows.find((r) => r.dataset === "transactions_row_v2")?.n).toBe(100);
    const quality = await client.query(
      "SELECT COUNT(*)::int AS n FROM _meta_quality WHERE check_name = 'hash_chain' AND passed",
    );
    expect(quality.rows[0].n).toBe(50);
  });

  it("re-ingesting a range already present duplicates nothing", async () => {
    await ingest(options({ start: 100, end: 130 }), rangeSource(1000), transform);
    const before = await snapshot();
    await client.query("DELETE FROM stellar_lake.ingest_checkpoint");
    await ingest(options({ start: 110, end: 130, maxBatchLedgers: 7 }), rangeSource(1000), transform);
    expect(await snapshot()).toEqual(before);
  });

  it("resumes at checkpoint + 1 and ignores --start once a checkpoint exists", async () => {
    await ingest(options({ start: 100, end: 120 }), rangeSource(1000), transform);
    let firstSeen = 0;
    const s = await ingest(options({ start: 5, end: 140 }), rangeSource(1000), (raw) => {
      firstSeen ||= raw.sequence;
      return syntheticLedger(raw.sequence);
    });
    expect(firstSeen).toBe(121);
    expect(s).toMatchObject({ firstLedger: 121, lastLedger: 140 });
    expect(await snapshot()).toMatchObject({ ledgers_row_v2: expect.stringMatching(/^41:/) });
  });

  it("without a checkpoint or --start it refuses to guess", async () => {
    await expect(ingest(options({ end: 10 }), rangeSource(100), transform)).rejects.toThrow(StartError);
  });
});

describe("following the live tip", () => {
  beforeEach(reset);

  it("commits each ledger on its own, before the source sends the next one", async () => {
    const events: string[] = [];
    // The source sends the next ledger once the previous one is committed, or after 5 s: a writer that waited
    // to fill a batch would commit two ledgers at once (however slow the machine, no timing is asserted).
    let committed: () => void = () => {};
    const source = async function* (start: number, signal: AbortSignal) {
      for (let s = start; s < start + 5 && !signal.aborted; s++) {
        const next = new Promise<void>((r) => {
          committed = r;
        });
        events.push(`sent ${s}`);
        yield { sequence: s, xdr: new Uint8Array() };
        await Promise.race([next, new Promise((r) => setTimeout(r, 5000))]);
      }
    };
    await ingest(
      options({
        start: 100,
        end: 104,
        onCommit: (c) => {
          events.push(`committed ${c.first}-${c.last}`);
          committed();
        },
      }),
      source,
      transform,
    );
    // Following the tip, a ledger is queryable as soon as it is written: no waiting to fill a batch.
    expect(events).toEqual([100, 101, 102, 103, 104].flatMap((s) => [`sent ${s}`, `committed ${s}-${s}`]));
  });
});

describe("UNLOGGED crash recovery", () => {
  beforeEach(reset);

  it("hot tables emptied behind its back → rewinds to --start (no cold storage) and re-ingests identically", async () => {
    await ingest(options({ start: 100, end: 160 }), rangeSource(1000), transform);
    const clean = await snapshot();
    await client.query(`TRUNCATE ${dataTables.map((t) => `"${t.name}"`).join(", ")}`);
    const log = memoryLog();
    await ingest(options({ start: 100, end: 160, log }), rangeSource(1000), transform);
    expect(log.lines.join("\n")).toMatch(
      /hot buffer holds 0 of the 61 ledgers 100\.\.160.*rewinding to ledger 100/,
    );
    expect(await snapshot()).toEqual(clean);
  });

  it("rewinds to the cold watermark + 1 when cold storage holds the older ledgers", async () => {
    await ingest(options({ start: 100, end: 160 }), rangeSource(1000), transform);
    // Pretend a flush moved 100..130 to cold and deleted them from hot; then a crash empties the rest.
    await client.query(`TRUNCATE ${dataTables.map((t) => `"${t.name}"`).join(", ")}`);
    let firstSeen = 0;
    const log = memoryLog();
    await ingest(
      options({ end: 160, log, coldState: async () => ({ watermark: 130, watermarkHash: "hash-130" }) }),
      rangeSource(1000),
      (raw) => {
        firstSeen ||= raw.sequence;
        return syntheticLedger(raw.sequence);
      },
    );
    expect(firstSeen).toBe(131);
    expect(log.lines.join("\n")).toMatch(/rewinding to ledger 131 \(cold watermark 130 \+ 1\)/);
    expect((await snapshot()).ledgers_row_v2).toMatch(/^30:/);
  });

  it("a flush deleting its ledgers while the start is planned is not taken for lost rows: no unflushed row is deleted", async () => {
    await ingest(options({ start: 100, end: 160 }), rangeSource(1000), transform);
    // The flusher commits W = 130 just after the ingester read W = 120, then deletes ≤ 130 from hot: the plan
    // finds 131..160 of 121..160. Rewinding to 121 would delete 131..160 — in no cold file — until re-ingested.
    let w = 120;
    const coldState = async () => {
      const read = w;
      if (w === 120) {
        w = 130;
        for (const t of dataTables)
          await client.query(`DELETE FROM "${t.name}" WHERE "${t.sequenceColumn}" <= 130`);
      }
      return { watermark: read, watermarkHash: `hash-${read}` };
    };
    let firstSeen = 0;
    const log = memoryLog();
    await ingest(options({ end: 170, log, coldState }), rangeSource(1000), (raw) => {
      firstSeen ||= raw.sequence;
      return syntheticLedger(raw.sequence);
    });
    expect(log.lines.join("\n")).not.toMatch(/rewinding/);
    expect(firstSeen).toBe(161);
    expect((await snapshot()).ledgers_row_v2).toMatch(/^40:/);
  });

  it("a hole in the middle (one ledger's rows lost) is detected too", async () => {
    await ingest(options({ start: 100, end: 120 }), rangeSource(1000), transform);
    const clean = await snapshot();
    await client.query("DELETE FROM transactions_row_v2 WHERE ledger_sequence = 110");
    const log = memoryLog();
    await ingest(options({ start: 100, end: 120, log }), rangeSource(1000), transform);
    expect(log.lines.join("\n")).toMatch(/transactions/);
    expect(await snapshot()).toEqual(clean);
  });
});

describe("integrity and bad input", () => {
  beforeEach(reset);

  it("a broken hash chain stops with a clear error and the checkpoint at the last good ledger", async () => {
    const err = await ingest(
      options({ start: 100, end: 150, maxBatchLedgers: 5 }),
      rangeSource(1000),
      (raw) => {
        const l = syntheticLedger(raw.sequence);
        return raw.sequence === 120 ? { ...l, previousHash: "hash-from-another-network" } : l;
      },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect(err.message).toMatch(
      /ledger 120: previous_ledger_hash hash-from-another-network does not match the hash hash-119/,
    );
    expect((await readCheckpoint(client))?.lastLedger).toBe(119);
  });

  it("a header sequence that differs from RawLedger.sequence stops ingestion", async () => {
    const err = await ingest(options({ start: 100, end: 150 }), rangeSource(1000), (raw) =>
      raw.sequence === 105 ? syntheticLedger(999) : syntheticLedger(raw.sequence),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(SequenceError);
    expect(err.message).toMatch(/RawLedger.sequence 105 but its header says ledger 999/);
  });

  it("a gap in the source stops ingestion naming the missing ledger", async () => {
    const err = await ingest(
      options({ start: 100, end: 150 }),
      rangeSource(1000, { skip: 111 }),
      transform,
    ).catch((e) => e);
    expect(err).toBeInstanceOf(SequenceError);
    expect(err.message).toMatch(/source sent ledger 112 where 111 was expected \(gap\)/);
    expect((await readCheckpoint(client))?.lastLedger).toBe(110);
  });

  it("a poison ledger stops with its sequence; the checkpoint stays before it", async () => {
    const poison = (raw: { sequence: number }) => {
      if (raw.sequence === 107) throw new Error("XDR Read Error: unknown LedgerCloseMeta arm 9");
      return syntheticLedger(raw.sequence);
    };
    const err = await ingest(options({ start: 100, end: 150 }), rangeSource(1000), poison).catch((e) => e);
    expect(err).toBeInstanceOf(PoisonLedgerError);
    expect(err.message).toMatch(/ledger 107 cannot be decoded or transformed: XDR Read Error/);
    expect((await readCheckpoint(client))?.lastLedger).toBe(106);

    const s = await ingest(
      options({ start: 100, end: 150, skipBadLedgers: true }),
      rangeSource(1000),
      poison,
    );
    expect(s.skipped).toEqual([107]);
    expect((await readCheckpoint(client))?.lastLedger).toBe(150);
    const q = await client.query(
      "SELECT details FROM _meta_quality WHERE check_name = 'poison_ledger' AND NOT passed",
    );
    expect(q.rows).toEqual([{ details: "ledger 107: XDR Read Error: unknown LedgerCloseMeta arm 9" }]);
    // The ledger after the skipped one cannot be linked: its chain check is recorded as failed, saying why.
    const chain = await client.query(
      "SELECT passed, details FROM _meta_quality WHERE check_name = 'hash_chain' AND details LIKE 'ledger 108:%'",
    );
    expect(chain.rows).toEqual([
      {
        passed: false,
        details: "ledger 108: previous ledger 107 skipped (bad ledger), the link to it is unchecked",
      },
    ]);
    expect((await snapshot()).ledgers_row_v2).toMatch(/^50:/);
  });

  it.skipIf(!haveFixtures())(
    "a ledger newer than the build (a real ledger patched to protocol 30) stops it before that ledger, even with --skip-bad-ledgers",
    async () => {
      const [real] = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
      // Protocol 30 in the header, and the header's hash recomputed: a well-formed ledger of a later protocol.
      const patched = withHeaderProtocol(real!.xdr, 30);
      const decode = createTransformer({ passphrase: "Public Global Stellar Network ; September 2015" });
      const t = (raw: { sequence: number; xdr: Uint8Array }) =>
        raw.sequence === 107 ? decode({ sequence: 107, xdr: patched }) : syntheticLedger(raw.sequence);
      const metrics = new IngestMetrics();
      const err = await ingest(
        options({ start: 100, end: 150, skipBadLedgers: true, metrics }),
        rangeSource(1000),
        t,
      ).catch((e) => e);
      expect(err).toBeInstanceOf(BehindProtocolError);
      expect(err.protocol).toBe(30);
      expect(err.sequence).toBe(107);
      expect(err.message).toMatch(/^ledger 107 is protocol 30; this build reads ≤ 28: upgrade stellar-lake/);
      expect((await readCheckpoint(client))?.lastLedger).toBe(106);
      const q = await client.query(
        "SELECT count(*)::int AS n FROM _meta_quality WHERE check_name = 'poison_ledger'",
      );
      expect(q.rows[0].n).toBe(0);
      expect(
        (await metrics.errors.get()).values.find((v) => v.labels.kind === "behind_protocol")?.value,
      ).toBe(1);
    },
  );
});

describe("single writer with hot standby", () => {
  beforeEach(reset);

  it("a second ingester stands by, then takes over from the checkpoint when the first stops", async () => {
    const first = new AbortController();
    const log2 = memoryLog();
    let firstLast = 0;
    const run1 = ingest(
      options({ start: 100, signal: first.signal, onCommit: (c) => (firstLast = c.last) }),
      rangeSource(100_000, { delayMs: 5 }),
      transform,
    );
    await new Promise((r) => setTimeout(r, 500));
    const run2 = ingest(
      options({ start: 100, end: firstLast + 400, log: log2 }),
      rangeSource(100_000),
      transform,
    );
    await new Promise((r) => setTimeout(r, 700));
    expect(log2.lines.join("\n")).toMatch(/another ingester is active on this database.*standing by/);
    first.abort();
    const s1 = await run1;
    expect(s1.stoppedBy).toBe("signal");
    const s2 = await run2;
    expect(log2.lines.join("\n")).toMatch(/taking over/);
    expect(s2.firstLedger).toBe(s1.lastLedger! + 1);
    const n = await client.query(
      "SELECT COUNT(*)::int AS n, MIN(sequence)::int AS lo, MAX(sequence)::int AS hi FROM ledgers_row_v2",
    );
    expect(n.rows[0]).toEqual({ n: s2.lastLedger! - 100 + 1, lo: 100, hi: s2.lastLedger });
  });
});
