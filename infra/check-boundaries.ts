/**
 * Package boundaries: no package imports another package's files by relative path (`../../ingester/src/…`);
 * it names the package (`@stellar-lake/ingester`) and uses what that package exports. Run by `pnpm lint` (so
 * `pnpm test` fails on a violation); `findBoundaryViolations` is what it runs, tested on a fixture tree.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface BoundaryViolation {
  file: string;
  line: number;
  specifier: string;
  /** The package whose files the import reaches into. */
  target: string;
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
// import … from "x", export … from "x", import("x"), import "x", require("x")
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (SOURCE.test(name)) yield p;
  }
}

/** Every relative import under `<root>/packages/<pkg>/` that resolves into another package's directory. */
export function findBoundaryViolations(root: string): BoundaryViolation[] {
  const packages = join(root, "packages");
  const out: BoundaryViolation[] = [];
  for (const pkg of readdirSync(packages)) {
    const pkgDir = join(packages, pkg);
    if (!statSync(pkgDir).isDirectory()) continue;
    for (const file of sourceFiles(pkgDir)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(SPECIFIER)) {
        const target = relative(packages, resolve(dirname(file), m[1]!)).split(sep)[0];
        if (!target || target === pkg || target.startsWith("..")) continue;
        out.push({
          file: relative(root, file),
          line: text.slice(0, m.index).split("\n").length,
          specifier: m[1]!,
          target,
        });
      }
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const found = findBoundaryViolations(root);
  for (const v of found) {
    console.error(
      `${v.file}:${v.line}: imports '${v.specifier}' — another package's files (${v.target}); import @stellar-lake/${v.target} instead`,
    );
  }
  if (found.length) {
    console.error(`${found.length} import(s) across package boundaries`);
    process.exit(1);
  }
  console.log("package boundaries: no relative imports into another package");
}
