/**
 * `pnpm stellar-lake sql` and `export` over a lake half flushed: one SQL line counts what the transform produced
 * across hot and cold (each row once), the interactive mode answers the same, and an export's Parquet holds the
 * range's rows with the bronze column types.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { flushOnce } from "@stellar-lake/flusher";
import { type LedgerRows, writeBatch } from "@stellar-lake/ingester";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { migrateUp, table } from "@stellar-lake/schema";
import { fixture, freshDatabase, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { decodeLedger, hotRowsOf } from "@stellar-lake/transform";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckType } from "../src/lake-views";

const PASSPHRASE = "(V) (;,,;) (V)";
const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";

function cli(args: string[], env: Record<string, string>, input?: string) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.stderr.on("data", (b: Buffer) => (err += b.toString()));
    p.stdin.end(input ?? "");
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe.skipIf(!haveFixtures())("sql and export over hot + cold", () => {
  let dir: string;
  let env: Record<string, string>;
  let w: number;
  let expected: { ops: Map<string, number>; first: number; last: number; trades: number };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sql-cli-"));
    const hot = await freshDatabase("sqlhot");
    await migrateUp(hot.url);
    const cat = await freshDatabase("sqlcat");
    const blobs = await readLedgerFile(fixture(FILE));
    const ledgers = blobs.map((b) => hotRowsOf(decodeLedger(b.xdr, b.sequence), PASSPHRASE));
    const ops = new Map<string, number>();
    let trades = 0;
    for (const l of ledgers) {
      for (const o of (l.rows as Record<string, Record<string, unknown>[]>).operations_row_v2 ?? [])
        ops.set(String(o.type_string), (ops.get(String(o.type_string)) ?? 0) + 1);
      trades += ((l.rows as Record<string, unknown[]>).trades_row_v1 ?? []).length;
    }
    const first = ledgers[0]!.sequence;
    const last = ledgers.at(-1)!.sequence;
    expected = { ops, first, last, trades };
    const client = new pg.Client({ connectionString: hot.url });
    await client.connect();
    await writeBatch(client, ledgers as unknown as LedgerRows[], {
      eraId: null,
      versionLabel: null,
      pipelineVersion: "test",
      processor: "sql-cli-test",
      checks: [],
      mayOverlap: false,
    });
    // Flush the first half: ledgers first..w (at most that many from the oldest hot one).
    w = Math.floor((first + last) / 2);
    const catalog = new pg.Client({ connectionString: cat.url });
    await catalog.connect();
    const instance = await DuckDBInstance.create(":memory:");
    const duck = await instance.connect();
    await flushOnce({
      catalog,
      duck,
      hot: client,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      dataPath: `${join(dir, "lake")}/`,
      minAgeMs: 0,
      maxLedgers: w - first + 1,
    });
    duck.closeSync();
    await catalog.end();
    // The flush moved the first half: hot holds only the ledgers above w.
    const left = (await client.query("SELECT min(sequence)::int AS lo FROM ledgers_row_v2")).rows[0].lo;
    await client.end();
    expect(left).toBe(w + 1);
    env = { DATABASE_URL: hot.url, DUCKLAKE_CATALOG_URL: cat.url, LOG_LEVEL: "warn" };
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("one SQL line counts every operation of a type across hot and cold", { timeout: 60_000 }, async () => {
    const [type, n] = [...expected.ops.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const r = await cli(
      ["sql", `select count(*) as n from operations_row_v2 where type_string = '${type}'`, "--format", "csv"],
      env,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["n", String(n)]);
    // Every ledger once, half of them from cold: the views cover all of history.
    const l = await cli(
      [
        "sql",
        "select count(*) as n, count(distinct sequence) as d, min(sequence) as lo, max(sequence) as hi from ledgers_row_v2",
        "--format",
        "json",
      ],
      env,
    );
    expect(l.code, l.err).toBe(0);
    expect(JSON.parse(l.out)).toEqual([
      {
        n: expected.last - expected.first + 1,
        d: expected.last - expected.first + 1,
        lo: expected.first,
        hi: expected.last,
      },
    ]);
  });

  it("interactive: statements end with ';' and answer from the same snapshot", {
    timeout: 60_000,
  }, async () => {
    const r = await cli(["sql"], env, "select count(*) as trades\n  from trades_row_v1;\n.quit\n");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`snapshot: DuckLake`);
    expect(r.out).toContain(`cold ≤ ${w}`);
    expect(r.out).toMatch(new RegExp(`\\n${expected.trades}\\s*\\n\\(1 row\\)`));
  });

  it("export writes the range as Parquet with the bronze column types", { timeout: 60_000 }, async () => {
    const out = join(dir, "ops.parquet");
    const from = w - 3;
    const to = w + 3;
    const r = await cli(
      [
        "export",
        "--table",
        "operations_row_v2",
        "--from",
        String(from),
        "--to",
        String(to),
        "--format",
        "parquet",
        "--out",
        out,
      ],
      env,
    );
    expect(r.code, r.err).toBe(0);
    const instance = await DuckDBInstance.create(":memory:");
    const duck = await instance.connect();
    try {
      const types = (
        await duck.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out}')`)
      ).getRowObjectsJson();
      const t = table("operations_row_v2");
      expect(types.map((x) => [x.column_name, x.column_type])).toEqual(
        t.columns.map((c) => [
          c.name,
          duckType(c) === "TIMESTAMPTZ" ? "TIMESTAMP WITH TIME ZONE" : duckType(c),
        ]),
      );
      const counted = (
        await duck.runAndReadAll(
          `SELECT count(*)::INTEGER AS n, min(ledger_sequence)::INTEGER AS lo, max(ledger_sequence)::INTEGER AS hi FROM read_parquet('${out}')`,
        )
      ).getRowObjectsJson()[0]!;
      const sql = await cli(
        [
          "sql",
          `select count(*) as n from operations_row_v2 where ledger_sequence between ${from} and ${to}`,
          "--format",
          "csv",
        ],
        env,
      );
      expect(String(counted.n)).toBe(sql.out.trim().split("\n")[1]);
      expect(Number(counted.n)).toBeGreaterThan(0);
      const csv = join(dir, "ops.csv");
      expect(
        (
          await cli(
            [
              "export",
              "--table",
              "operations_row_v2",
              "--from",
              String(from),
              "--to",
              String(to),
              "--format",
              "ndjson",
              "--out",
              csv,
            ],
            env,
          )
        ).code,
      ).toBe(0);
      expect((await readFile(csv, "utf8")).trim().split("\n")).toHaveLength(Number(counted.n));
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  });
});
