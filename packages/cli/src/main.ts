#!/usr/bin/env node
/**
 * `pnpm stellar-lake <command> [...args]`: one entry point for every tool of the project.
 * Each command is a module `commands/<name>.ts` (a multi-word command such as `lake compact` lives in
 * `commands/lake.ts` and parses its own sub-command), so packages add commands without editing this file.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { unsupportedNodeMessage } from "@stellar-lake/runtime";
import type { CommandModule } from "./command";

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), "commands");

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(name: string): Promise<CommandModule> {
  return (await import(pathToFileURL(join(commandsDir, `${name}.ts`)).href)) as CommandModule;
}

async function usage(): Promise<string> {
  const lines = ["usage: pnpm stellar-lake <command> [options]", "", "commands:"];
  for (const name of commandNames()) {
    const mod = await load(name);
    lines.push(`  ${name.padEnd(12)} ${mod.summary}`);
  }
  lines.push("", "Run `pnpm stellar-lake <command> --help` for a command's options.");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const tooOld = unsupportedNodeMessage();
  if (tooOld) {
    console.error(tooOld);
    return 1;
  }
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(await usage());
    return name ? 0 : 2;
  }
  if (!commandNames().includes(name)) {
    console.error(`stellar-lake: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  const mod = await load(name);
  return await mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`stellar-lake: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
