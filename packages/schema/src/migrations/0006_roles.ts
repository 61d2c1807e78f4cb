import type { Kysely } from "kysely";
import { dataTablesAsOf } from "../catalog";
import {
  createGroupRoleSql,
  dropGroupRoleIfUnusedSql,
  grantStatements,
  ROLES,
  revokeStatements,
} from "../roles";
import { exec } from "./support";

/**
 * NOLOGIN group roles for the services (see roles.ts): the ingester writes the hot tables and its state, the
 * flusher reads and deletes hot rows, the query API only reads. Nothing is added to `public`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const role of Object.values(ROLES)) await exec(db, createGroupRoleSql(role));
  // Frozen to the tables as of 0006: a later table's migration grants on it (dataTableGrantStatements).
  for (const s of grantStatements(dataTablesAsOf("0006"))) await exec(db, s);
}

/** Revokes in this database; a role is dropped only when no other database of the cluster still uses it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of revokeStatements()) await exec(db, s);
  for (const role of Object.values(ROLES)) await exec(db, dropGroupRoleIfUnusedSql(role));
}
