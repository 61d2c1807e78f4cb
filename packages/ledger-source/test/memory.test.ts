import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, freePort, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { resequence, streamLedgers, writeDatastore } from "../src/index";

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
};

describe.skipIf(!haveFixtures() || process.platform !== "linux")("flow control", () => {
  it("a slow client does not grow server memory: 500 p26-size ledgers, RSS growth < 150 MB", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slow-"));
    try {
      const p26 = await readLedgerFile(
        fixture("lcm-synthetic/standalone-loadtest-p26-30ledgers.framed.xdr.zstd"),
      );
      await writeDatastore(
        join(dir, "ds"),
        resequence(
          p26.map((b) => b.xdr),
          { start: 2, count: 500 },
        ),
        {
          networkPassphrase: "Standalone Network ; February 2017",
          ledgersPerBatch: 1,
        },
      );
      const port = await freePort();
      const httpPort = await freePort();
      const child = spawn(
        join(repoRoot, "node_modules/.bin/tsx"),
        [
          join(repoRoot, "packages/cli/src/main.ts"),
          "source",
          "--datastore",
          join(dir, "ds"),
          "--port",
          String(port),
          "--http-port",
          String(httpPort),
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      try {
        // Wait for the server, then read slowly and watch its RSS.
        for (let i = 0; i < 100; i++) {
          if (
            await fetch(`http://127.0.0.1:${httpPort}/health`).then(
              (r) => r.ok,
              () => false,
            )
          )
            break;
          await new Promise((r) => setTimeout(r, 200));
        }
        const pid = child.pid!;
        let baseline = 0;
        let peak = 0;
        let n = 0;
        let bytes = 0;
        for await (const l of streamLedgers({ endpoint: `127.0.0.1:${port}`, startLedger: 2 })) {
          n += 1;
          bytes += l.xdr.length;
          if (n === 10) baseline = rssMb(pid);
          if (n > 10) peak = Math.max(peak, rssMb(pid));
          await new Promise((r) => setTimeout(r, 5));
          if (n === 500) break;
        }
        expect(n).toBe(500);
        expect(bytes).toBeGreaterThan(400 * 1024 * 1024); // the stream really moved ~600 MB
        expect(peak - baseline).toBeLessThan(150);
      } finally {
        child.kill("SIGTERM");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
