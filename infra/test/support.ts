import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const infraDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = join(infraDir, "..");
export const infraPath = (p: string) => join(infraDir, p);

export type Ini = Record<string, Record<string, string>>;

/** The subset of INI PgBouncer reads: [sections], key = value, ';' or '#' comments. */
export function parseIni(text: string): Ini {
  const ini: Ini = {};
  let section: Record<string, string> | undefined;
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      section = ini[head[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0 || !section)
      throw new Error(`ini line ${i + 1}: expected key = value inside a section: ${raw}`);
    section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return ini;
}

export function renderIni(ini: Ini): string {
  return Object.entries(ini)
    .map(
      ([name, kv]) =>
        `[${name}]\n${Object.entries(kv)
          .map(([k, v]) => `${k} = ${v}`)
          .join("\n")}\n`,
    )
    .join("\n");
}
