export { createDatabase, type TestDatabase, withDatabase } from "./databases";
export {
  type EmbeddedOptions,
  type EmbeddedServer,
  freePort,
  startBenchPostgres,
  startEmbeddedPostgres,
} from "./embedded-postgres";
export { fixture, fixturesAvailable, fixturesDir, haveFixtures, repoRoot } from "./fixtures";
export { seededRandom } from "./random";
export { afterFile, freshDatabase } from "./vitest";
