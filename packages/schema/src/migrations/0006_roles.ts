import type { Kysely } from "kysely";
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
  for (const s of grantStatements()) await exec(db, s);
}

/** Revokes in this database; a role is dropped only when no other database of the cluster still uses it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of revokeStatements()) await exec(db, s);
  for (const role of Object.values(ROLES)) await exec(db, dropGroupRoleIfUnusedSql(role));
}
