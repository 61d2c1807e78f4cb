/**
 * `pnpm dev` as a user runs it: the root `dev` script through a shell, in a process group of its own as a
 * terminal's foreground job. Every service it starts listens on 127.0.0.1 only (HOST unset), and Ctrl-C —
 * SIGINT to the whole group, then the copy `pnpm run` forwards to its child — stops them all and exits 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { fixture, freePort, freshDatabase, haveFixtures, repoRoot } from "@stellar-lake/test-support";
import { afterAll, describe, expect, it } from "vitest";

const PUBNET = "Public Global Stellar Network ; September 2015";
const LISTEN = "0A";

/** The local addresses of the sockets listening on `port` (IPv4 and IPv6), from /proc/net. */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const [file, v6] of [
    ["/proc/net/tcp", false],
    ["/proc/net/tcp6", true],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== LISTEN) continue;
      const [addr, hexPort] = f[1]!.split(":");
      if (Number.parseInt(hexPort!, 16) !== port) continue;
      out.push(v6 ? ipv6(addr!) : ipv4(addr!));
    }
  }
  return out;
}

// /proc/net prints each 32-bit word of the address in host (little-endian) order.
const ipv4 = (hex: string) => [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(".");
function ipv6(hex: string): string {
  const words = [0, 8, 16, 24].map((i) =>
    hex
      .slice(i, i + 8)
      .match(/../g)!
      .reverse()
      .join(""),
  );
  const all = words.join("");
  if (all === "0".repeat(32)) return "::";
  if (all === `${"0".repeat(31)}1`) return "::1";
  if (all.startsWith(`${"0".repeat(20)}ffff`))
    return `::ffff:${ipv4(words[3]!.match(/../g)!.reverse().join(""))}`;
  return all;
}

describe.skipIf(!haveFixtures())("pnpm dev", () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    // A failed run still stops the services the way a user would (they run in process groups of their own).
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child!.kill("SIGKILL"), 60_000);
      await gone;
      clearTimeout(timer);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("binds every service to 127.0.0.1 and exits 0 on Ctrl-C", { timeout: 240_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), "dev-"));
    const base = (await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd")))[0]!;
    await writeDatastore(join(dir, "ds"), resequence([base.xdr], { start: 7000, count: 12 }), {
      networkPassphrase: PUBNET,
      ledgersPerBatch: 4,
    });
    const hot = await freshDatabase("devhot");
    const cat = await freshDatabase("devcat");
    const ports = {
      SOURCE_PORT: await freePort(),
      SOURCE_HTTP_PORT: await freePort(),
      INGESTER_HEALTH_PORT: await freePort(),
      FLUSHER_HEALTH_PORT: await freePort(),
      API_PORT: await freePort(),
    };
    const script = (
      JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts.dev!;
    const env: Record<string, string | undefined> = {
      ...process.env,
      LOG_LEVEL: "warn",
      DATABASE_URL: hot.url,
      DUCKLAKE_CATALOG_URL: cat.url,
      DUCKLAKE_DATA_PATH: join(dir, "lake"),
      LEDGER_DATASTORE: join(dir, "ds"),
      FLUSH_INTERVAL: "2s",
      FLUSH_MIN_AGE: "0s",
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
    delete env.HOST;
    delete env.API_HOST;
    // As pnpm runs a script (`sh -c`), in a process group of its own as a terminal's foreground job.
    const proc = spawn("sh", ["-c", script], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    let output = "";
    proc.stdout!.on("data", (b: Buffer) => {
      output += b.toString();
    });
    proc.stderr!.on("data", (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      proc.once("exit", (code, signal) => r({ code, signal })),
    );
    const deadline = Date.now() + 180_000;
    while (!output.includes("running; press Ctrl-C to stop")) {
      if (proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`pnpm dev did not start:\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).not.toMatch(/did not become healthy/);
    for (const [name, p] of Object.entries(ports)) {
      const addrs = listeners(p);
      expect(addrs.length, `${name} ${p} is listened on`).toBeGreaterThan(0);
      for (const a of addrs)
        expect(a, `${name} ${p} listens on loopback only`).toMatch(
          /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/,
        );
    }
    const r = await fetch(`http://127.0.0.1:${ports.API_PORT}/health`);
    expect(r.status).toBe(200);

    // Ctrl-C: the terminal signals the whole group; pnpm then forwards one more SIGINT to its child.
    process.kill(-proc.pid!, "SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(proc.pid!, "SIGINT");
    } catch {}
    const end = await exited;
    expect(end, output.slice(-3000)).toEqual({ code: 0, signal: null });
    expect(output).toContain("stopped cleanly");
    // Nothing it started is left listening.
    for (const [name, p] of Object.entries(ports)) expect(listeners(p), name).toEqual([]);
  });
});
