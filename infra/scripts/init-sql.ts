/**
 * The SQL that the compose PostgreSQL runs once on a fresh volume (docker-entrypoint-initdb.d): the DuckLake
 * catalog database, the pipeline's group roles, one login user per service (passwords read from the container
 * environment with psql's \getenv), and the grants inside the catalog database. Generated from
 * packages/schema/src/roles.ts so that the compose setup and the migration agree; a test keeps the committed copy
 * current.
 */
import {
  catalogGrantStatements,
  createGroupRoleSql,
  loginUserStatements,
  type PipelineRole,
  ROLES,
} from "@stellar-lake/schema";

export const CATALOG_DATABASE = "stellar_lake_catalog";

/** Login users of the compose deployment and the container environment variable holding each password. */
export const composeLogins: { user: string; role: PipelineRole; passwordEnv: string }[] = [
  { user: "svc_ingester", role: "ingester", passwordEnv: "INGESTER_DB_PASSWORD" },
  { user: "svc_flusher", role: "flusher", passwordEnv: "FLUSHER_DB_PASSWORD" },
  { user: "svc_api", role: "reader", passwordEnv: "API_DB_PASSWORD" },
];

const PLACEHOLDER = "@@password@@";

export function initSql(): string {
  const out = [
    "-- GENERATED from packages/schema/src/roles.ts by `pnpm --filter @stellar-lake/infra roles init-sql`; do not edit.",
    "-- Run once by the postgres image's entrypoint on a fresh data volume, as the superuser, in POSTGRES_DB.",
    "\\set ON_ERROR_STOP on",
    `SELECT 'CREATE DATABASE ${CATALOG_DATABASE}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${CATALOG_DATABASE}')\\gexec`,
    ...Object.values(ROLES).map((r) => `${createGroupRoleSql(r)};`),
  ];
  for (const l of composeLogins) {
    const v = `${l.role}_password`;
    out.push(`\\getenv ${v} ${l.passwordEnv}`);
    out.push(
      `\\if :{?${v}}`,
      "\\else",
      `DO $do$ BEGIN RAISE EXCEPTION 'environment variable ${l.passwordEnv} is not set'; END $do$;`,
      "\\endif",
    );
    for (const s of loginUserStatements({
      user: l.user,
      password: PLACEHOLDER,
      role: l.role,
      catalogDatabase: CATALOG_DATABASE,
    })) {
      out.push(`${s.replace(`'${PLACEHOLDER}'`, `:'${v}'`)};`);
    }
  }
  out.push(`\\connect ${CATALOG_DATABASE}`);
  for (const s of catalogGrantStatements()) out.push(`${s};`);
  return `${out.join("\n")}\n`;
}
