/**
 * `pnpm bench [name...]`: runs the packages' benchmarks (`packages/<pkg>/bench/<name>.ts`, each exporting
 * `run(): Promise<Record<string, unknown>>` with every figure next to its same-run baseline), writes one JSON
 * report to `bench-results/`, and prints a short table.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "@stellar-lake/test-support";

interface Bench {
  name: string;
  file: string;
}

async function discover(): Promise<Bench[]> {
  const out: Bench[] = [];
  for (const pkg of await readdir(join(repoRoot, "packages"))) {
    const dir = join(repoRoot, "packages", pkg, "bench");
    let files: string[] = [];
    try {
      files = await readdir(dir);
    } catch {
      continue;
    }
    for (const f of files)
      if (f.endsWith(".ts") && !f.startsWith("_")) out.push({ name: f.slice(0, -3), file: join(dir, f) });
  }
  // The documented order: transform, ingest, flush, query, then anything else.
  const order = ["transform", "ingest", "flush", "query"];
  return out.sort((a, b) => (order.indexOf(a.name) + 1 || 99) - (order.indexOf(b.name) + 1 || 99));
}

function flatten(obj: unknown, prefix = "", out: [string, string][] = []): [string, string][] {
  if (obj && typeof obj === "object" && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, typeof obj === "number" ? String(+obj.toFixed(3)) : JSON.stringify(obj)]);
  }
  return out;
}

async function main(names: string[]): Promise<number> {
  const all = await discover();
  const chosen = names.length ? all.filter((b) => names.includes(b.name)) : all;
  const missing = names.filter((n) => !all.some((b) => b.name === n));
  if (missing.length) {
    console.error(
      `unknown benchmark(s): ${missing.join(", ")}; available: ${all.map((b) => b.name).join(", ")}`,
    );
    return 2;
  }
  const report: Record<string, unknown> = {
    started_at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model,
      memory_gb: +(totalmem() / 2 ** 30).toFixed(1),
    },
    node: process.version,
    results: {},
  };
  const results = report.results as Record<string, unknown>;
  let failed = 0;
  for (const b of chosen) {
    console.error(`▶ bench ${b.name} (${b.file.replace(`${repoRoot}/`, "")})`);
    try {
      const mod = (await import(pathToFileURL(b.file).href)) as {
        run: () => Promise<Record<string, unknown>>;
      };
      results[b.name] = await mod.run();
    } catch (err) {
      failed += 1;
      results[b.name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  await mkdir(join(repoRoot, "bench-results"), { recursive: true });
  const file = join(
    repoRoot,
    "bench-results",
    `bench-${report.started_at as string}.json`.replaceAll(":", "-"),
  );
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  for (const [name, r] of Object.entries(results)) {
    console.error(`\n${name}`);
    for (const [k, v] of flatten(r)) console.error(`  ${k.padEnd(48)} ${v}`);
  }
  console.error(`\nreport: ${file}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
