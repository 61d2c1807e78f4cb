/**
 * `pnpm dev`'s supervisor on real child processes: a service that exits with an error is restarted with a
 * growing delay (what a PostgreSQL restart under `pnpm dev` needs: the ingester exits non-zero on a lost
 * connection and comes back by itself); a clean exit is not restarted; stop() cancels a pending restart.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterFile } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { Supervisor } from "../src/supervisor";

/** A node script that records each run in `file`, exits `code` on its first `failures` runs, then stays up. */
const script = (file: string, failures: number, code: number) => `
const fs = require("node:fs");
fs.appendFileSync(${JSON.stringify(file)}, "run\\n");
const runs = fs.readFileSync(${JSON.stringify(file)}, "utf8").split("\\n").filter(Boolean).length;
if (runs <= ${failures}) process.exit(${code});
setInterval(() => {}, 1000);
process.on("SIGINT", () => process.exit(0));
`;

const runsIn = async (file: string) =>
  (await readFile(file, "utf8").catch(() => "")).split("\n").filter(Boolean).length;

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("Supervisor", () => {
  it("restarts a service that exits with an error, with backoff, until it stays up", async () => {
    const dir = await mkdtemp(join(tmpdir(), "supervisor-"));
    afterFile(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "runs");
    const lines: string[] = [];
    const sup = new Supervisor({ command: process.execPath, args: [] }, (s, l) => lines.push(`${s}: ${l}`), {
      initialMs: 200,
      maxMs: 1000,
    });
    try {
      sup.start({ name: "flaky", args: ["-e", script(file, 3, 1)] }, 0);
      await until("the fourth run, which stays up", async () => (await runsIn(file)) === 4);
      await new Promise((r) => setTimeout(r, 500));
      expect(await runsIn(file)).toBe(4);
      expect(sup.running).toEqual(["flaky"]);
      const restarts = lines.filter((l) =>
        /exited unexpectedly \(code 1, signal null\); restarting in/.test(l),
      );
      expect(restarts.map((l) => /restarting in ([\d.]+) s/.exec(l)?.[1])).toEqual(["0.2", "0.4", "0.8"]);
    } finally {
      await sup.stop(["flaky"]);
    }
    expect(sup.running).toEqual([]);
  });

  it("a clean exit is not restarted; stop() cancels a pending restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "supervisor-"));
    afterFile(() => rm(dir, { recursive: true, force: true }));
    const done = join(dir, "done");
    const failing = join(dir, "failing");
    const lines: string[] = [];
    const sup = new Supervisor({ command: process.execPath, args: [] }, (s, l) => lines.push(`${s}: ${l}`), {
      initialMs: 2000,
    });
    sup.start({ name: "done", args: ["-e", script(done, 1, 0)] }, 0);
    sup.start({ name: "failing", args: ["-e", script(failing, 99, 3)] }, 1);
    await until("both exited", () => lines.length >= 2);
    expect(lines).toContain("done: exited (code 0): not restarted");
    expect(lines).toContain("failing: exited unexpectedly (code 3, signal null); restarting in 2.0 s");
    await sup.stop(["done", "failing"]);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await runsIn(done)).toBe(1);
    expect(await runsIn(failing)).toBe(1);
    expect(sup.running).toEqual([]);
  });
});
