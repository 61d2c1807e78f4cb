/**
 * Least-privilege group roles for the pipeline's services. Each service logs in as its own LOGIN user that is a
 * member of one of these NOLOGIN group roles, so credentials can rotate without touching grants.
 *
 * Roles are cluster-wide while grants are per database: creation tolerates roles made by another database's
 * migration, and removal only drops a role that no other database still depends on.
 */
import { dataTables, metaTables, STATE_SCHEMA } from "./catalog";
import type { TableDef } from "./catalog-dsl";
import { ident } from "./ddl";

export const ROLES = {
  ingester: "stellar_lake_ingester",
  flusher: "stellar_lake_flusher",
  reader: "stellar_lake_reader",
} as const;

export type PipelineRole = keyof typeof ROLES;
export const pipelineRoles = Object.keys(ROLES) as PipelineRole[];

const all = Object.values(ROLES);
const q = (t: string) => `public.${ident(t)}`;
const dataList = (tables: readonly TableDef[]) => tables.map((t) => q(t.name)).join(", ");
const meta = (...names: string[]) => {
  for (const n of names) {
    if (!metaTables.some((t) => t.name === n)) throw new Error(`roles: unknown metadata table ${n}`);
  }
  return names.map(q).join(", ");
};

/** `CREATE ROLE name NOLOGIN` unless it exists; a concurrent creator (another database's migration) wins quietly. */
export function createGroupRoleSql(role: string): string {
  const lit = `'${role.replaceAll("'", "''")}'`;
  return `DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${lit}) THEN
    CREATE ROLE ${ident(role)} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$`;
}

/** The per-table write privileges of the services on data tables (a migration adding a table grants these). */
export function dataTableGrantStatements(tables: readonly TableDef[]): string[] {
  const { ingester, flusher } = ROLES;
  return [
    // Ingester: COPY into the hot tables; DELETE for replacing an overlapping batch and for the crash rewind.
    `GRANT INSERT, DELETE ON ${dataList(tables)} TO ${ident(ingester)}`,
    // Flusher: export and then delete what reached cold storage.
    `GRANT DELETE ON ${dataList(tables)} TO ${ident(flusher)}`,
  ];
}

/** Privileges of the group roles in the hot-buffer database (the one being migrated), over `tables`. */
export function grantStatements(tables: readonly TableDef[] = dataTables): string[] {
  const { ingester, flusher, reader } = ROLES;
  const everyone = all.map(ident).join(", ");
  return [
    // PUBLIC has CONNECT by default; granting it explicitly keeps the services working once an operator revokes it.
    `DO $do$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${everyone}', current_database()); END $do$`,
    `GRANT USAGE ON SCHEMA public, ${STATE_SCHEMA} TO ${everyone}`,
    // Reading is never the risk here: the status page, /health and crash recovery all read state and metadata.
    `GRANT SELECT ON ALL TABLES IN SCHEMA public, ${STATE_SCHEMA} TO ${everyone}`,
    ...dataTableGrantStatements(tables),
    `GRANT INSERT ON ${meta("_meta_lineage", "_meta_quality")} TO ${ident(ingester)}, ${ident(flusher)}`,
    `GRANT INSERT, UPDATE ON ${meta("_meta_eras")} TO ${ident(ingester)}`,
    `GRANT INSERT, UPDATE, DELETE ON ${STATE_SCHEMA}.ingest_checkpoint TO ${ident(ingester)}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${ident(ingester)}, ${ident(flusher)}`,
    // Tables added by later migrations (run by this same role) are readable without another grant.
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public, ${STATE_SCHEMA} GRANT SELECT ON TABLES TO ${everyone}`,
    // The helper functions run as the caller, so EXECUTE alone grants nothing the caller cannot do by hand.
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${everyone}`,
    `COMMENT ON ROLE ${ident(reader)} IS 'stellar-lake: read-only (query API, status page)'`,
    `COMMENT ON ROLE ${ident(ingester)} IS 'stellar-lake: writes the hot buffer and ingest state'`,
    `COMMENT ON ROLE ${ident(flusher)} IS 'stellar-lake: reads and deletes the hot buffer, writes the DuckLake catalog'`,
  ];
}

/** Everything grantStatements gave, taken back in this database only. */
export function revokeStatements(): string[] {
  const everyone = all.map(ident).join(", ");
  return [
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public, ${STATE_SCHEMA} REVOKE ALL ON TABLES FROM ${everyone}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public, ${STATE_SCHEMA} FROM ${everyone}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public, ${STATE_SCHEMA} FROM ${everyone}`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public, ${STATE_SCHEMA} FROM ${everyone}`,
    `REVOKE ALL ON SCHEMA public, ${STATE_SCHEMA} FROM ${everyone}`,
    `DO $do$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM ${everyone}', current_database()); END $do$`,
  ];
}

/**
 * Drop the role only when nothing in any database of the cluster still refers to it (grants, ownership, default
 * privileges: pg_shdepend) and no login user is a member; otherwise leave it for the databases that use it.
 */
export function dropGroupRoleIfUnusedSql(role: string): string {
  const lit = `'${role.replaceAll("'", "''")}'`;
  return `DO $do$
DECLARE r oid;
BEGIN
  SELECT oid INTO r FROM pg_roles WHERE rolname = ${lit};
  IF r IS NULL THEN RETURN; END IF;
  IF EXISTS (SELECT 1 FROM pg_shdepend WHERE refclassid = 'pg_authid'::regclass AND refobjid = r)
     OR EXISTS (SELECT 1 FROM pg_auth_members WHERE roleid = r OR member = r) THEN
    RAISE NOTICE 'role % is still used elsewhere in this cluster: kept', ${lit};
    RETURN;
  END IF;
  DROP ROLE ${ident(role)};
EXCEPTION WHEN dependent_objects_still_exist OR undefined_object THEN
  -- Another database granted to it meanwhile, or dropped it first.
  NULL;
END
$do$`;
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * SQL creating (or updating the password of) a LOGIN user that is a member of a pipeline group role. Run as a
 * role with CREATEROLE. `catalogDatabase`: for the flusher, the DuckLake catalog database in which its
 * sessions act as the group role, so the catalog tables it creates belong to the group (and stay usable by
 * the next flusher login and readable through the catalog's default privileges).
 */
export function loginUserStatements(opts: {
  user: string;
  password: string;
  role: PipelineRole;
  catalogDatabase?: string;
  connectionLimit?: number;
}): string[] {
  const group = ROLES[opts.role];
  const u = ident(opts.user);
  const limit = opts.connectionLimit ?? -1;
  const stmts = [
    `DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(opts.user)}) THEN
    CREATE ROLE ${u} LOGIN INHERIT;
  END IF;
END
$do$`,
    `ALTER ROLE ${u} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION CONNECTION LIMIT ${limit} PASSWORD ${literal(opts.password)}`,
    `GRANT ${ident(group)} TO ${u}`,
  ];
  if (opts.role === "flusher" && opts.catalogDatabase) {
    stmts.push(`ALTER ROLE ${u} IN DATABASE ${ident(opts.catalogDatabase)} SET role = ${literal(group)}`);
  }
  return stmts;
}

/**
 * Grants inside the DuckLake catalog database (run there, as its owner or a superuser): the flusher creates and
 * writes the catalog; the query API reads it; the ingester reads it for the cold watermark (crash recovery).
 */
export function catalogGrantStatements(metadataSchema = "public"): string[] {
  const { ingester, flusher, reader } = ROLES;
  const readers = `${ident(reader)}, ${ident(ingester)}`;
  const s = ident(metadataSchema);
  return [
    ...all.map(createGroupRoleSql),
    `DO $do$ BEGIN EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO ${ident(flusher)}', current_database()); END $do$`,
    `DO $do$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${readers}', current_database()); END $do$`,
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `GRANT USAGE, CREATE ON SCHEMA ${s} TO ${ident(flusher)}`,
    `GRANT USAGE ON SCHEMA ${s} TO ${readers}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${readers}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(flusher)} GRANT SELECT ON TABLES TO ${readers}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(flusher)} GRANT USAGE ON SCHEMAS TO ${readers}`,
  ];
}
