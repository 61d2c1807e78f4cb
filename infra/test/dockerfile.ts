/** A small Dockerfile reader: enough to lint the images and to run a service the way its image would. */
import { readFileSync } from "node:fs";

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  path: string;
  args: Record<string, string>;
  stages: Stage[];
  /** The last stage: what the image runs. */
  final: Stage;
  env: Record<string, string>;
  user: string | undefined;
  workdir: string | undefined;
  exposed: string[];
  cmd: string[] | undefined;
  healthcheck: { options: Record<string, string>; cmd: string[] } | undefined;
}

/** Split `a="b c" d=e` (ENV / option syntax) into words, honouring double quotes and backslash escapes. */
export function words(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let any = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "\\" && i + 1 < s.length) {
      cur += s[++i];
      any = true;
    } else if (ch === '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (any) out.push(cur);
      cur = "";
      any = false;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (quoted) throw new Error(`unterminated quote in: ${s}`);
  if (any) out.push(cur);
  return out;
}

function execForm(args: string, where: string): string[] {
  const t = args.trim();
  if (!t.startsWith("[")) return ["/bin/sh", "-c", t];
  const v = JSON.parse(t) as unknown;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw new Error(`${where}: exec form must be a JSON array of strings`);
  }
  return v;
}

export function parseDockerfile(text: string, path = "Dockerfile"): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/, " ");
      i++;
      if (/^\s*#/.test(lines[i]!)) continue;
      line += lines[i]!;
    }
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw new Error(`${path}:${start + 1}: not an instruction: ${line}`);
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "ARG" && stages.length === 0) {
      const [k, v = ""] = ins.args.split("=", 2);
      args[k!] = v;
      continue;
    }
    if (ins.keyword === "FROM") {
      const [image, as, name] = words(ins.args.replace(/--platform=\S+\s*/, ""));
      const from = image!.replace(/\$\{?([A-Za-z_]+)\}?/g, (_, n) => args[n] ?? "");
      stages.push({ from, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`${path}:${ins.line}: ${ins.keyword} before FROM`);
    stages.at(-1)!.instructions.push(ins);
  }
  if (stages.length === 0) throw new Error(`${path}: no FROM`);
  const final = stages.at(-1)!;
  const env: Record<string, string> = {};
  let user: string | undefined;
  let workdir: string | undefined;
  const exposed: string[] = [];
  let cmd: string[] | undefined;
  let healthcheck: Dockerfile["healthcheck"];
  for (const ins of final.instructions) {
    const where = `${path}:${ins.line}`;
    switch (ins.keyword) {
      case "ENV": {
        const w = words(ins.args);
        if (w.length === 2 && !w[0]!.includes("=")) env[w[0]!] = w[1]!;
        else
          for (const kv of w) {
            const eq = kv.indexOf("=");
            if (eq < 1) throw new Error(`${where}: ENV expects KEY=value, got ${kv}`);
            env[kv.slice(0, eq)] = kv.slice(eq + 1);
          }
        break;
      }
      case "USER":
        user = ins.args;
        break;
      case "WORKDIR":
        workdir = ins.args;
        break;
      case "EXPOSE":
        exposed.push(...ins.args.split(/\s+/).map((p) => p.replace(/\/tcp$/, "")));
        break;
      case "CMD":
        cmd = execForm(ins.args, where);
        break;
      case "HEALTHCHECK": {
        const m = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+([\s\S]+)$/.exec(ins.args);
        if (!m) {
          if (ins.args.trim() !== "NONE") throw new Error(`${where}: HEALTHCHECK [options] CMD ...`);
          healthcheck = undefined;
          break;
        }
        const options = Object.fromEntries(
          words(m[1]!).map((o) => o.replace(/^--/, "").split("=", 2) as [string, string]),
        );
        healthcheck = { options, cmd: execForm(m[2]!, where) };
        break;
      }
    }
  }
  return { path, args, stages, final, env, user, workdir, exposed, cmd, healthcheck };
}

export function readDockerfile(path: string): Dockerfile {
  return parseDockerfile(readFileSync(path, "utf8"), path);
}
