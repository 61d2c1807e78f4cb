import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { peekLedgerHeader } from "@stellar-lake/lcm-io";
import { availableRange, DirectoryDatastore, readLedgers } from "@stellar-lake/ledger-source";
import { fixture, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), ...args], {
    cwd: repoRoot,
    timeout: 120_000,
  });

describe.skipIf(!haveFixtures())("pnpm stellar-lake datastore", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ds-cli-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("build writes a Galexie datastore (manifest, partitions, batches) from mixed fixture files", async () => {
    const to = join(dir, "built");
    const out = await cli([
      "datastore",
      "build",
      fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst"),
      fixture("lcm-real/testnet-998.FFFFFC19--998.xdr.zst"),
      fixture("lcm-real/testnet-999.FFFFFC18--999.xdr.zst"),
      "--to",
      to,
      "--ledgers-per-file",
      "2",
      "--files-per-partition",
      "2",
      "--network",
      "testnet",
    ]);
    expect(out.stdout).toMatch(/wrote 3 ledgers \(997\.\.999\) in 2 files/);
    const manifest = JSON.parse(await readFile(join(to, ".config.json"), "utf8"));
    expect(manifest).toMatchObject({
      networkPassphrase: "Test SDF Network ; September 2015",
      ledgersPerBatch: 2,
      batchesPerPartition: 2,
      compression: "zstd",
    });
    expect((await readdir(to)).filter((n) => !n.startsWith("."))).toEqual(["FFFFFC1B--996-999"]);
    const ds = new DirectoryDatastore(to);
    expect(await availableRange(ds)).toEqual({ oldest: 997, latest: 999 });
  });

  it("resequence writes N contiguous, hash-chained ledgers from real ones", async () => {
    const to = join(dir, "reseq");
    const out = await cli([
      "datastore",
      "resequence",
      fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"),
      "--to",
      to,
      "--count",
      "25",
      "--start",
      "700",
      "--ledgers-per-file",
      "8",
    ]);
    expect(out.stdout).toMatch(/wrote 25 ledgers \(700\.\.724\) in 4 files/);
    const seen: number[] = [];
    let prev = "";
    for await (const b of readLedgers(new DirectoryDatastore(to), 700, { pollMs: 0 })) {
      const h = peekLedgerHeader(b.xdr);
      if (prev) expect(h.previousLedgerHash).toBe(prev);
      prev = h.hash;
      seen.push(h.sequence);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 700 + i));
  });

  it("names what is wrong with bad arguments", async () => {
    await expect(
      cli([
        "datastore",
        "resequence",
        fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst"),
        "--to",
        join(dir, "x"),
        "--count",
        "0",
        "--start",
        "5",
      ]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/--count must be a positive integer, got '0'/),
    });
    await expect(
      cli(["datastore", "build", join(dir, "missing.xdr"), "--to", join(dir, "y")]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/missing\.xdr: ENOENT/),
    });
  });
});
