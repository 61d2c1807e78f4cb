import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Resolved here rather than through test-support: the CLI also runs from production images without dev packages.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const defaultDir = join(repoRoot, "packages/schema/src/migrations");

/** Write the next numbered migration file and register it in migrations/index.ts; returns its path. */
export async function createMigration(rawName: string, dir = defaultDir): Promise<string> {
  const name = rawName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (!name) throw new Error(`migrate create: '${rawName}' has no usable characters`);
  const numbers = (await readdir(dir))
    .map((f) => /^(\d{4})_/.exec(f)?.[1])
    .filter(Boolean)
    .map(Number);
  const id = String(Math.max(0, ...numbers) + 1).padStart(4, "0");
  const base = `${id}_${name}`;
  const file = join(dir, `${base}.ts`);
  await writeFile(
    file,
    `import type { Kysely } from "kysely";
import { applyCatalogMigration } from "./support";

/**
 * ${rawName}. Add the columns to packages/schema/src/catalog.ts with \`since: "${id}"\` (or write SQL here),
 * then \`pnpm --filter @stellar-lake/schema gen\`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await applyCatalogMigration(db, "${id}");
}

export async function down(_db: Kysely<unknown>): Promise<void> {
  throw new Error("${base}: write the down migration");
}
`,
  );
  const indexPath = join(dir, "index.ts");
  let index = await readFile(indexPath, "utf8");
  index = index.replace(/(\nexport const migrations)/, `import * as m${id} from "./${base}";\n$1`);
  index = index.replace(/(\n};\s*)$/, `\n  "${base}": m${id},$1`);
  await writeFile(indexPath, index);
  return file;
}
