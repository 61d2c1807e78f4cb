import { inject } from "vitest";
import { createDatabase, type TestDatabase } from "./databases";

const cleanups: (() => unknown)[] = [];

/**
 * Runs `fn` after the calling test file's tests and hooks, last registered first, wherever it is called: at
 * module level, in `beforeAll` or in a test. Vitest's own `afterAll` called from a hook or a test registers
 * nothing (it adds to a suite already collected), so cleanups written that way never ran. The setup file
 * (`setup-file.ts`, in vitest.config.ts) runs them.
 */
export function afterFile(fn: () => unknown): void {
  cleanups.push(fn);
}

/** Runs the file's cleanups (`afterFile`); the first failure is thrown after all have run. */
export async function runFileCleanups(): Promise<void> {
  let failure: unknown;
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * A fresh database for the calling test file on the run's real PostgreSQL, dropped after the file's tests.
 * Call at module level, in `beforeAll` or in a test (see `afterFile`).
 */
export async function freshDatabase(prefix = "t"): Promise<TestDatabase> {
  const db = await createDatabase(inject("pgAdminUrl"), prefix);
  afterFile(() => db.drop());
  return db;
}
