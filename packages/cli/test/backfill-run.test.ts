/**
 * `backfill run`: plans the range, starts N local worker processes, shows one progress line for the range, waits,
 * and exits 0 once every job is registered (here on an empty lake with no live pipeline: ascending from --from).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { afterFile, fixture, freshDatabase, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";

const PUBNET = "Public Global Stellar Network ; September 2015";
const main = join(repoRoot, "packages/cli/src/main.ts");

function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const c = spawn(process.execPath, ["--import", "tsx", main, ...args], { env });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (b) => (stdout += b));
    c.stderr.on("data", (b) => (stderr += b));
    c.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!haveFixtures())("pnpm stellar-lake backfill run", () => {
  it("plans, runs 2 workers with one progress line, exits 0 when every job is registered", {
    timeout: 300_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "backfill-run-"));
    afterFile(() => rm(dir, { recursive: true, force: true }));
    const db = await freshDatabase("bfrun");
    const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
    await writeDatastore(
      join(dir, "ds"),
      resequence(
        base.map((b) => b.xdr),
        { start: 700, count: 24, closeTimeStart: 1_725_000_000 },
      ),
      { networkPassphrase: PUBNET, ledgersPerBatch: 1 },
    );
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      DUCKLAKE_CATALOG_URL: db.url,
      DUCKLAKE_DATA_PATH: join(dir, "lake"),
      LOG_LEVEL: "warn",
    };
    const r = await cli(
      env,
      ...["backfill", "run", "--from", "700", "--to", "723", "--workers", "2", "--job-size", "6"],
      ...["--datastore", join(dir, "ds")],
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!)).toEqual({
      range: [700, 723],
      registered_ledgers: 24,
      workers: 2,
    });
    expect(r.stderr).toMatch(/backfill 700-723: \[#+\] 24\/24 ledgers registered/);
    const status = await cli(env, "backfill", "status");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      "0 queued, 0 running, 0 done (awaiting registration), 5 registered, 0 failed",
    );
    // (Jobs end on multiples of the job size: 700-701, 702-707, …, 720-723.) The same range again is refused:
    // it is history now.
    const again = await cli(
      env,
      "backfill",
      "plan",
      "--from",
      "700",
      "--to",
      "723",
      "--datastore",
      join(dir, "ds"),
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("ledgers 700-723 are already in the lake (its history is 700-723)");
  });
});
