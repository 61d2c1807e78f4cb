/** The services run on the project's Node, whatever Node started pnpm (issue: Node ≥ 22.12 everywhere). */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { nodeSupported } from "@stellar-lake/runtime";
import { fixture, freePort, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const main = join(repoRoot, "packages/cli/src/main.ts");

describe.skipIf(!haveFixtures())("a service process", () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "runtime-cli-"));
    await run(
      process.execPath,
      [
        "--import",
        "tsx",
        main,
        "datastore",
        "build",
        fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst"),
        "--to",
        join(dir, "ds"),
        "--network",
        "testnet",
      ],
      { cwd: repoRoot, timeout: 120_000 },
    );
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("the ledger source reports the Node.js it runs on in /health, and it is ≥ 22.12", async () => {
    const [grpc, http] = [await freePort(), await freePort()];
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        main,
        "source",
        "--datastore",
        join(dir, "ds"),
        "--port",
        `${grpc}`,
        "--http-port",
        `${http}`,
      ],
      { cwd: repoRoot, stdio: "ignore" },
    );
    let body: { node?: string } | undefined;
    const deadline = Date.now() + 60_000;
    while (!body && Date.now() < deadline) {
      body = await fetch(`http://127.0.0.1:${http}/health`)
        .then((r) => r.json() as Promise<{ node?: string }>)
        .catch(() => undefined);
      if (!body) await new Promise((r) => setTimeout(r, 200));
    }
    expect(body?.node, "the source's /health names its Node.js").toBeDefined();
    expect(body!.node).toSatisfy(nodeSupported);
  });
});
