import { migrateUp, redactUrl } from "@stellar-lake/schema";
import { resolveDatabase } from "../local-postgres";

export const summary =
  "run the local pipeline: embedded PostgreSQL 16 (port 5434) + migrations, until Ctrl-C";

const HELP = `usage: pnpm dev   (or pnpm stellar-lake dev)

Starts the local pipeline and keeps it running until Ctrl-C:
  - PostgreSQL: DATABASE_URL, else an embedded PostgreSQL 16 on 127.0.0.1:5434 (data in .data/postgres)
  - migrations: applied on start`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const say = (service: string, line: string) => console.log(`[${service.padEnd(8)}] ${line}`);
  const db = await resolveDatabase((l) => say("postgres", l));
  say("postgres", `hot buffer at ${redactUrl(db.url)}`);
  const applied = await migrateUp(db.url);
  say("migrate", applied.length ? `applied ${applied.join(", ")}` : "schema up to date");
  say("dev", "running; press Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  say("dev", "stopping");
  if (db.started) await db.stop();
  say("dev", "stopped cleanly");
  return 0;
}
