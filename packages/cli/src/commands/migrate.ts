import { parseArgs } from "node:util";
import { migrateDown, migrateUp, migrationStatus } from "@stellar-lake/schema";
import { createMigration } from "../create-migration";
import { resolveDatabase } from "../local-postgres";

export const summary = "apply or revert hot-buffer migrations: up | down [N] | version | create <name>";

const HELP = `usage: pnpm stellar-lake migrate <up | down [N|all] | version | create <name>>

  up            apply every pending migration (one transaction)
  down [N|all]  revert the last N applied migrations (default 1)
  version       list applied and pending migrations
  create NAME   add packages/schema/src/migrations/NNNN_<name>.ts

DATABASE_URL selects the database; unset, the embedded dev PostgreSQL on port 5434 is used.`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  const [action, arg] = positionals;
  if (values.help || !action) {
    console.log(HELP);
    return action || values.help ? 0 : 2;
  }
  if (action === "create") {
    if (!arg) {
      console.error("migrate create: a name is required");
      return 2;
    }
    console.log(`created ${await createMigration(arg)}`);
    return 0;
  }
  if (!["up", "down", "version"].includes(action)) {
    console.error(`migrate: unknown action '${action}'\n\n${HELP}`);
    return 2;
  }
  let steps = 1;
  if (action === "down" && arg !== undefined) {
    steps = arg === "all" ? Number.POSITIVE_INFINITY : Number(arg);
    if (!Number.isInteger(steps) && steps !== Number.POSITIVE_INFINITY) {
      console.error(`migrate down: N must be a positive integer or 'all', got '${arg}'`);
      return 2;
    }
  }
  const db = await resolveDatabase((l) => console.error(l));
  try {
    if (action === "up") {
      const applied = await migrateUp(db.url);
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "already up to date");
    } else if (action === "down") {
      const reverted = await migrateDown(db.url, steps);
      console.log(reverted.length ? `reverted: ${reverted.join(", ")}` : "nothing to revert");
    } else {
      const s = await migrationStatus(db.url);
      console.log(`applied: ${s.applied.join(", ") || "(none)"}`);
      console.log(`pending: ${s.pending.join(", ") || "(none)"}`);
      if (s.unknown.length) console.log(`unknown to this build: ${s.unknown.join(", ")}`);
      console.log(`version: ${s.applied.at(-1) ?? "0"}`);
    }
    return 0;
  } finally {
    if (db.started) await db.stop();
  }
}
