import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in packages/test-support/src). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** `../shared/fixtures` beside the checkout; `STELLAR_LAKE_FIXTURES` overrides it. */
export const fixturesDir = process.env.STELLAR_LAKE_FIXTURES ?? resolve(repoRoot, "../shared/fixtures");

export const fixturesAvailable = existsSync(join(fixturesDir, "README.md"));

/** Absolute path of a fixture file, e.g. `fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst")`. */
export function fixture(relative: string): string {
  return join(fixturesDir, relative);
}

let warned = false;
/**
 * True when the shared fixtures are present. When they are not, prints (once) why fixture tests are
 * skipped, so a fresh clone elsewhere still passes visibly rather than silently.
 */
export function haveFixtures(): boolean {
  if (!fixturesAvailable && !warned) {
    warned = true;
    console.warn(
      `[stellar-lake] SKIPPING fixture tests: ${fixturesDir} not found (set STELLAR_LAKE_FIXTURES)`,
    );
  }
  return fixturesAvailable;
}
