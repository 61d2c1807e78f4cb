/** infra/compose.yaml as Compose reads it (variables interpolated with their defaults, YAML merge keys). */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { infraPath } from "./support";

/** Compose's variable interpolation (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $$) over `env`. */
export function interpolate(text: string, env: Record<string, string | undefined> = {}): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (m, name, op, arg) => {
    if (m === "$$") return "$";
    const v = env[name];
    if (op === ":-") return v ? v : arg;
    if (op === "-") return v ?? arg;
    if (op === ":?" || op === "?") {
      if (op === ":?" ? !v : v === undefined) throw new Error(`compose: ${name} is required: ${arg}`);
      return v!;
    }
    return v ?? "";
  });
}

export interface ComposeService {
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  build?: { context: string; dockerfile: string };
  image?: string;
  volumes?: string[];
  command?: string[];
}

export function loadCompose(env: Record<string, string | undefined> = {}) {
  const raw = readFileSync(infraPath("compose.yaml"), "utf8");
  // biome-ignore lint/suspicious/noExplicitAny: the document is checked against the compose schema in the tests
  const compose: any = parse(interpolate(raw, env), { merge: true });
  return { raw, compose, services: compose.services as Record<string, ComposeService> };
}
