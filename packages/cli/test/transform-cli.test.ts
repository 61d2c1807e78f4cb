import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fixture, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { isSafeNumber, parse } from "lossless-json";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "transform", ...args],
    {
      cwd: repoRoot,
      timeout: 120_000,
    },
  );

describe.skipIf(!haveFixtures())("pnpm stellar-lake transform", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "transform-cli-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("--format rows writes one NDJSON per hot table with exact int64 ids, and prints counts and throughput", async () => {
    const out = join(dir, "rows");
    const r = await cli([fixture("lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst"), "--out", out]);
    expect(r.stdout).toMatch(/^transactions_row_v2\s+59$/m);
    expect(r.stdout).toMatch(/1 ledgers, \d+ rows in [\d.]+s: [\d.]+ ledgers\/s, \d+ rows\/s, [\d.]+ MB\/s/);
    const ops = (await readFile(join(out, "operations_row_v2.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => parse(l) as Record<string, unknown>);
    expect(ops).toHaveLength(143);
    const ids = ops.map((o) => String(o.operation_id));
    // Above 2^53: a float parser would merge these two neighbours.
    expect(ids).toContain("132370956487364612");
    expect(ids).toContain("132370956487364613");
    expect(isSafeNumber("132370956487364612")).toBe(false);
    expect(Object.keys(ops[0]!)).toContain("operation_result_code");
  });

  it("--format hubble writes stellar-etl records for the change tables", async () => {
    const out = join(dir, "hubble");
    const r = await cli([
      fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst"),
      "--out",
      out,
      "--format",
      "hubble",
      "--network",
      "testnet",
    ]);
    expect(r.stdout).toMatch(/^accounts\s+\d+$/m);
    const first = parse((await readFile(join(out, "accounts.ndjson"), "utf8")).split("\n")[0]!) as Record<
      string,
      unknown
    >;
    expect(first).toHaveProperty("account_id");
    expect(first).toHaveProperty("sequence_ledger");
  });

  it("bad input exits non-zero naming the file, byte offset, ledger and reason", async () => {
    const bad = join(dir, "bad.xdr");
    const good = await readFile(fixture("lcm-real/testnet-998.FFFFFC19--998.xdr.zst"));
    await writeFile(bad, good.subarray(0, good.length - 40));
    await expect(cli([bad, "--out", join(dir, "x")])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/transform: .*bad\.xdr: corrupt zstd data/),
    });
    await expect(
      cli([
        fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"),
        "--out",
        join(dir, "y"),
        "--network",
        "testnet",
      ]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/pubnet-53312000.* at byte 12 \(ledger 53312000\): .*wrong network/),
    });
    await expect(
      cli([
        fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst"),
        "--out",
        join(dir, "z"),
        "--format",
        "csv",
      ]),
    ).rejects.toMatchObject({ code: 2 });
  });
});
