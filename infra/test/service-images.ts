/** The four service images and the properties their Dockerfiles must have. */
import type { Dockerfile } from "./dockerfile";

export const SERVICE_IMAGES = {
  "ledger-source": { command: "source", ports: ["50053", "8087"] },
  ingester: { command: "ingest", ports: ["8088"] },
  flusher: { command: "flush", ports: ["8089"] },
  "query-api": { command: "serve", ports: ["8092"] },
} as const;

/** Problems of a service Dockerfile (empty when it is fine). */
export function lintServiceDockerfile(df: Dockerfile, command: string, ports: readonly string[]): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(df.stages.length >= 2, "multi-stage build (a build stage and a runtime stage)");
  for (const s of df.stages) check(/^node:24([.-]|$)/.test(s.from), `Node 24 LTS base image, got ${s.from}`);
  const runs = df.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args));
  check(
    runs.some((r) => /\bpnpm\b.*--filter @stellar-lake\/cli\b.*\bdeploy\b.*--prod\b/.test(r)),
    "production dependencies via `pnpm --filter @stellar-lake/cli deploy --prod`",
  );
  const buildNames = df.stages.slice(0, -1).map((s) => s.name);
  check(
    df.final.instructions.some(
      (i) => i.keyword === "COPY" && buildNames.some((n) => n && i.args.includes(`--from=${n}`)),
    ),
    "runtime stage copies the deployed app from the build stage",
  );
  check(
    !df.final.instructions.some(
      (i) => i.keyword === "RUN" && /\b(npm|pnpm|yarn)\s+(i|install|add)\b/.test(i.args),
    ),
    "no package installs in the runtime stage",
  );
  const user = df.user?.split(":")[0];
  check(user !== undefined && user !== "root" && user !== "0", `non-root USER, got ${df.user ?? "none"}`);
  const userIdx = df.final.instructions.findIndex((i) => i.keyword === "USER");
  const cmdIdx = df.final.instructions.findIndex((i) => i.keyword === "CMD");
  check(userIdx >= 0 && userIdx < cmdIdx, "USER before CMD");
  check(df.env.NODE_ENV === "production", "NODE_ENV=production");
  check(
    JSON.stringify(df.cmd) === JSON.stringify(["node", "--import", "tsx", "src/main.ts", command]),
    `CMD runs \`stellar-lake ${command}\` through tsx in exec form, got ${JSON.stringify(df.cmd)}`,
  );
  check(
    JSON.stringify([...df.exposed].sort()) === JSON.stringify([...ports].sort()),
    `EXPOSE ${ports.join(" ")}`,
  );
  const hc = df.healthcheck;
  check(hc !== undefined, "HEALTHCHECK");
  if (hc) {
    for (const o of ["interval", "timeout", "retries", "start-period"])
      check(o in hc.options, `HEALTHCHECK --${o}`);
    const url = hc.cmd.find((a) => a.startsWith("http://"));
    check(url !== undefined && ports.includes(new URL(url).port), "HEALTHCHECK probes an exposed port");
    check(hc.cmd[0] === "node", "HEALTHCHECK in exec form with node (the slim image has no curl)");
  }
  return problems;
}
