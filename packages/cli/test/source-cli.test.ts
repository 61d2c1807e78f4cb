/**
 * `pnpm stellar-lake source` as a process: a datastore it refuses ends it at once with a non-zero exit (a live
 * source that serves nothing would fool every supervisor); with --retry-datastore it stays, its /health saying why,
 * and SIGTERM stops it; a datastore that does not exist yet is waited for, /health saying so.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterFile, freePort, repoRoot } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";

const PUBNET = "Public Global Stellar Network ; September 2015";
const TESTNET = "Test SDF Network ; September 2015";

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function source(args: string[]): Run {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "source", ...args],
    { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b));
  child.stderr!.on("data", (b: Buffer) => (out += b));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  afterFile(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, output: () => out, exited };
}

async function health(port: number) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    return { status: r.status, body: (await r.json()) as { reasons: { reason: string; detail: string }[] } };
  } catch {
    return undefined;
  }
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const within = <T>(ms: number, p: Promise<T>, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what}: not within ${ms} ms`)), ms)),
  ]);

async function testnetDatastore(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "source-cli-"));
  afterFile(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    join(dir, ".config.json"),
    JSON.stringify({
      networkPassphrase: TESTNET,
      version: "1.0",
      compression: "zstd",
      ledgersPerBatch: 1,
      batchesPerPartition: 1,
    }),
  );
  return dir;
}

describe("pnpm stellar-lake source with a datastore it cannot serve", () => {
  it("a manifest for another network: exits 1 at once, naming the refusal", { timeout: 60_000 }, async () => {
    const ds = await testnetDatastore();
    const s = source([
      "--datastore",
      ds,
      "--network",
      PUBNET,
      "--port",
      String(await freePort()),
      "--http-port",
      String(await freePort()),
    ]);
    const { code } = await within(30_000, s.exited, "the refused source's exit");
    expect(code).toBe(1);
    expect(s.output()).toMatch(
      /datastore refused: .*manifest is for network 'Test SDF Network ; September 2015'/,
    );
  });

  it("--retry-datastore: stays up, /health 503 saying why; SIGTERM stops it", {
    timeout: 60_000,
  }, async () => {
    const ds = await testnetDatastore();
    const http = await freePort();
    const s = source([
      "--datastore",
      ds,
      "--network",
      PUBNET,
      "--retry-datastore",
      "--port",
      String(await freePort()),
      "--http-port",
      String(http),
    ]);
    const h = await until("its /health with a reason", async () => {
      const a = await health(http);
      return a?.body.reasons.length ? a : undefined;
    });
    expect(h.status).toBe(503);
    expect(h.body.reasons).toEqual([
      { reason: "datastore_refused", detail: expect.stringMatching(/manifest is for network 'Test SDF/) },
    ]);
    s.child.kill("SIGTERM");
    const { code } = await within(15_000, s.exited, "exit after SIGTERM");
    expect(code).toBe(0);
  });

  it("no manifest yet: waits, /health 503 no_datastore, and serves once the datastore appears", {
    timeout: 60_000,
  }, async () => {
    const parent = await mkdtemp(join(tmpdir(), "source-cli-"));
    afterFile(() => rm(parent, { recursive: true, force: true }));
    const ds = join(parent, "ds");
    await mkdir(ds);
    const http = await freePort();
    const s = source([
      "--datastore",
      ds,
      "--network",
      PUBNET,
      "--port",
      String(await freePort()),
      "--http-port",
      String(http),
    ]);
    const h = await until("its /health with a reason", async () => {
      const a = await health(http);
      return a?.body.reasons.length ? a : undefined;
    });
    expect(h.status).toBe(503);
    expect(h.body.reasons.map((r) => r.reason)).toEqual(["no_datastore"]);
    await writeFile(
      join(ds, ".config.json"),
      JSON.stringify({
        networkPassphrase: PUBNET,
        version: "1.0",
        compression: "zstd",
        ledgersPerBatch: 1,
        batchesPerPartition: 1,
      }),
    );
    await until("ready", async () => ((await health(http))?.status === 200 ? true : undefined));
    s.child.kill("SIGTERM");
    expect((await within(15_000, s.exited, "exit after SIGTERM")).code).toBe(0);
  });
});
