/**
 * Operator tool for the least-privilege roles (the group roles and their table grants come from migration
 * 0006_roles; this creates the LOGIN users and the DuckLake catalog's grants).
 *
 *   DATABASE_URL=<admin url of the hot database> STELLAR_LAKE_LOGIN_PASSWORD=... \
 *     pnpm --filter @stellar-lake/infra roles create-login --role reader --user api_1 [--catalog-db NAME]
 *   DUCKLAKE_CATALOG_URL=<admin url of the catalog database> pnpm --filter @stellar-lake/infra roles grant-catalog
 *   pnpm --filter @stellar-lake/infra roles init-sql > infra/postgres/initdb/10-stellar-lake.sql
 *
 * The password is read from the environment so it never shows in `ps` or the shell history.
 */
import { parseArgs } from "node:util";
import {
  catalogGrantStatements,
  loginUserStatements,
  type PipelineRole,
  pipelineRoles,
  redactUrl,
} from "@stellar-lake/schema";
import pg from "pg";
import { initSql } from "./init-sql";

async function apply(url: string | undefined, what: string, statements: string[]): Promise<void> {
  if (!url) throw new Error(`${what} is not set`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    for (const s of statements) await c.query(s);
    await c.query("COMMIT");
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw new Error(`${redactUrl(url)}: ${(err as Error).message}`);
  } finally {
    await c.end();
  }
}

export async function main(argv: string[], env = process.env): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      role: { type: "string" },
      user: { type: "string" },
      "catalog-db": { type: "string" },
      "metadata-schema": { type: "string" },
    },
  });
  switch (command) {
    case "create-login": {
      const role = values.role as PipelineRole | undefined;
      if (!role || !pipelineRoles.includes(role)) {
        throw new Error(`--role: expected one of ${pipelineRoles.join(", ")}, got '${values.role ?? ""}'`);
      }
      if (!values.user || !/^[a-z_][a-z0-9_]*$/.test(values.user)) {
        throw new Error(`--user: expected a lower-case identifier, got '${values.user ?? ""}'`);
      }
      const password = env.STELLAR_LAKE_LOGIN_PASSWORD;
      if (!password) throw new Error("STELLAR_LAKE_LOGIN_PASSWORD is not set");
      await apply(
        env.DATABASE_URL,
        "DATABASE_URL",
        loginUserStatements({ user: values.user, password, role, catalogDatabase: values["catalog-db"] }),
      );
      console.log(`login user ${values.user} is a member of the ${role} role`);
      return 0;
    }
    case "grant-catalog":
      await apply(
        env.DUCKLAKE_CATALOG_URL,
        "DUCKLAKE_CATALOG_URL",
        catalogGrantStatements(values["metadata-schema"]),
      );
      console.log("catalog database grants applied");
      return 0;
    case "init-sql":
      process.stdout.write(initSql());
      return 0;
    default:
      console.error(
        "usage: roles create-login --role ingester|flusher|reader --user NAME [--catalog-db NAME]\n       roles grant-catalog [--metadata-schema NAME]\n       roles init-sql",
      );
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`roles: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
