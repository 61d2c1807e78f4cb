import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "@stellar-lake/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { findBoundaryViolations } from "../check-boundaries";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "boundaries-"));
  dirs.push(root);
  for (const [p, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), text);
  }
  return root;
}

describe("package boundaries (issue 17 item 7)", () => {
  it("finds a relative import of another package's src/, test/ or bench/ files, and nothing else", async () => {
    const root = await tree({
      "packages/flusher/bench/flush.ts": [
        'import { copyRows } from "../../ingester/src/hot-writer";',
        'import { flushOnce } from "../src/index";',
        'import { x } from "@stellar-lake/ingester";',
        "",
        'const m = await import("../../lake/test/s3-server");',
        'export { y } from "../../schema/src/ddl";',
      ].join("\n"),
      "packages/ingester/src/hot-writer.ts": 'import { a } from "./other";\n',
    });
    expect(findBoundaryViolations(root)).toEqual([
      {
        file: "packages/flusher/bench/flush.ts",
        line: 1,
        specifier: "../../ingester/src/hot-writer",
        target: "ingester",
      },
      {
        file: "packages/flusher/bench/flush.ts",
        line: 5,
        specifier: "../../lake/test/s3-server",
        target: "lake",
      },
      {
        file: "packages/flusher/bench/flush.ts",
        line: 6,
        specifier: "../../schema/src/ddl",
        target: "schema",
      },
    ]);
  });

  it("the check run by `pnpm lint` fails on such an import, naming the file and line", async () => {
    const root = await tree({
      "packages/a/src/x.ts": 'import { y } from "../../b/src/y";\n',
      "packages/b/src/y.ts": "export const y = 1;\n",
      "infra/check-boundaries.ts": "",
    });
    // The script checks the tree it lives in: run a copy placed in the fixture.
    const script = join(root, "infra", "check-boundaries.ts");
    await writeFile(
      script,
      await (await import("node:fs/promises")).readFile(join(repoRoot, "infra/check-boundaries.ts")),
    );
    let failed: { status?: number; stderr?: Buffer } | undefined;
    try {
      execFileSync(process.execPath, ["--import", "tsx", script], { cwd: repoRoot, stdio: "pipe" });
    } catch (err) {
      failed = err as { status?: number; stderr?: Buffer };
    }
    expect(failed?.status).toBe(1);
    expect(String(failed?.stderr)).toContain("packages/a/src/x.ts:1: imports '../../b/src/y'");
  });

  it("this repository has no such import", () => {
    expect(findBoundaryViolations(repoRoot)).toEqual([]);
  });
});
