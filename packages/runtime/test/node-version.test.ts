import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { repoRoot } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { MIN_NODE, nodeSupported, unsupportedNodeMessage } from "../src/index";

const run = promisify(execFile);
const rootPackage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe("the Node.js the project runs on", () => {
  it("engines.node is MIN_NODE, and the Node the project brings satisfies it", () => {
    const [major, minor] = MIN_NODE.split(".");
    expect(rootPackage.engines.node).toBe(`>=${major}.${minor}`);
    const brought = rootPackage.devDependencies.node;
    expect(brought, "root devDependency `node`").toMatch(/^24\.\d+\.\d+$/);
    expect(nodeSupported(brought!)).toBe(true);
  });

  it("the scripts that start the CLI exec the brought Node's binary itself", () => {
    // pnpm's shim for the `node` package is a shell that waits on node: Ctrl-C would kill that shell and pnpm
    // would report 130 although the CLI stopped cleanly. `exec` of the binary leaves node as the script's process.
    for (const name of ["stellar-lake", "dev", "bench"])
      expect(rootPackage.scripts[name], name).toMatch(/^exec node_modules\/node\/bin\/node --import tsx /);
    expect(existsSync(join(repoRoot, "node_modules/node/bin/node"))).toBe(true);
  });

  it("compares versions numerically", () => {
    expect(nodeSupported("22.12.0")).toBe(true);
    expect(nodeSupported("v24.21.0")).toBe(true);
    expect(nodeSupported("22.11.9")).toBe(false);
    expect(nodeSupported("20.20.2")).toBe(false);
    expect(nodeSupported("100.0.0")).toBe(true);
    expect(() => nodeSupported("twenty")).toThrow(/not a Node.js version: 'twenty'/);
    expect(unsupportedNodeMessage("20.20.2")).toMatch(/needs Node.js ≥ 22.12.0, this is 20.20.2.*pnpm/);
    expect(unsupportedNodeMessage("24.0.0")).toBeUndefined();
  });

  it("vitest's worker runs on it", () => {
    expect(process.versions.node, `vitest worker on ${process.execPath}`).toSatisfy(nodeSupported);
  });

  it("a worker thread runs on it", async () => {
    const w = new Worker("require('node:worker_threads').parentPort.postMessage(process.versions.node)", {
      eval: true,
    });
    const version = await new Promise<string>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
    await w.terminate();
    expect(version).toSatisfy(nodeSupported);
  });

  // The machine's own node (outside node_modules) is what a user might start the CLI with by hand.
  const systemNode = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => existsSync(p));
  const systemVersion = systemNode
    ? (() => {
        try {
          return JSON.parse(
            execFileSync(systemNode, ["-p", "JSON.stringify(process.versions.node)"], {
              encoding: "utf8",
            }),
          ) as string;
        } catch {
          return undefined;
        }
      })()
    : undefined;
  const olderNode = systemVersion && !nodeSupported(systemVersion) ? systemNode : undefined;
  if (!olderNode)
    console.warn(
      `[node-version] no Node older than ${MIN_NODE} on this machine: the CLI's refusal is not run`,
    );
  it.skipIf(!olderNode)("the CLI started on an older Node refuses with what to do", async () => {
    const err = await run(
      olderNode!,
      ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), "--help"],
      {
        cwd: repoRoot,
      },
    ).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toContain(`needs Node.js ≥ ${MIN_NODE}, this is ${systemVersion}`);
  });
});
