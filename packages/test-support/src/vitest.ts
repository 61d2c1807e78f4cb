import { afterAll, inject } from "vitest";
import { createDatabase, type TestDatabase } from "./databases";

/**
 * A fresh database for the calling test file on the run's real PostgreSQL, dropped after the file's tests.
 * Call at module level or in `beforeAll`.
 */
export async function freshDatabase(prefix = "t"): Promise<TestDatabase> {
  const db = await createDatabase(inject("pgAdminUrl"), prefix);
  afterAll(async () => {
    await db.drop();
  });
  return db;
}
