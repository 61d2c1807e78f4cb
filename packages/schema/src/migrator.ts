/** Applying the catalog's migrations with Kysely; the migrator's own tables live in schema `stellar_lake`. */
import { Kysely, PostgresDialect } from "kysely";
import { type MigrationResultSet, Migrator } from "kysely/migration";
import pg from "pg";
import { checkConnection, describeConnectionError } from "./connection";
import { migrations } from "./migrations/index";

export const MIGRATION_SCHEMA = "stellar_lake";

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations this code does not know (a newer build migrated the database). */
  unknown: string[];
}

function open(url: string): Kysely<unknown> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
}

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: MIGRATION_SCHEMA,
  });
}

async function appliedNames(db: Kysely<unknown>): Promise<string[]> {
  const exists = await db
    .selectFrom("information_schema.tables" as never)
    .select("table_name" as never)
    .where("table_schema" as never, "=", MIGRATION_SCHEMA as never)
    .where("table_name" as never, "=", "kysely_migration" as never)
    .execute();
  if (exists.length === 0) return [];
  const rows = (await db
    .withSchema(MIGRATION_SCHEMA)
    .selectFrom("kysely_migration" as never)
    .select("name" as never)
    .orderBy("name" as never)
    .execute()) as { name: string }[];
  return rows.map((r) => r.name);
}

async function withDb<T>(url: string, fn: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  await checkConnection(url);
  const db = open(url);
  try {
    return await fn(db);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && /^(08|28|3D|57P)/.test(code)) throw describeConnectionError(url, err);
    throw err;
  } finally {
    await db.destroy();
  }
}

export async function migrationStatus(url: string): Promise<MigrationStatus> {
  return await withDb(url, async (db) => statusOf(await appliedNames(db)));
}

function statusOf(applied: string[]): MigrationStatus {
  const known = Object.keys(migrations).sort();
  return {
    applied: applied.filter((n) => known.includes(n)),
    pending: known.filter((n) => !applied.includes(n)),
    unknown: applied.filter((n) => !known.includes(n)),
  };
}

function refuseUnknown(status: MigrationStatus): void {
  if (status.unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this build does not know: ${status.unknown.join(", ")} ` +
        "(it was migrated by a newer stellar-lake; upgrade this build instead of migrating)",
    );
  }
}

function check(result: MigrationResultSet): string[] {
  const done = (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    const msg = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed ?? "(setup)"} failed: ${msg}`);
  }
  return done;
}

/** Apply every pending migration in one transaction; returns the names applied. */
export async function migrateUp(url: string): Promise<string[]> {
  return await withDb(url, async (db) => {
    refuseUnknown(statusOf(await appliedNames(db)));
    return check(await migrator(db).migrateToLatest());
  });
}

/** Revert the last `steps` applied migrations (all of them with `Infinity`); returns the names reverted. */
export async function migrateDown(url: string, steps = 1): Promise<string[]> {
  return await withDb(url, async (db) => {
    const status = statusOf(await appliedNames(db));
    refuseUnknown(status);
    const m = migrator(db);
    const reverted: string[] = [];
    for (let i = 0; i < steps && status.applied.length - i > 0; i++)
      reverted.push(...check(await m.migrateDown()));
    return reverted;
  });
}
