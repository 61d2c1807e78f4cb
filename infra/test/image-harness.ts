/**
 * Runs a service "the way its image would" without a Docker engine: the Dockerfile's `pnpm deploy --prod` output
 * in a temporary directory stands for the image's /app, the runtime stage's COPY destinations are mapped to their
 * local sources, and the CMD runs with the image's ENV (plus the deployment's variables), with the HEALTHCHECK
 * command probed until it passes.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { Dockerfile } from "./dockerfile";
import { words } from "./dockerfile";
import { repoDir } from "./support";

const run = promisify(execFile);
const PNPM = ["-y", "pnpm@10.34.8"];

/** The `pnpm ... deploy --prod ... <dir>` RUN line of the build stage, as argv with its output directory. */
export function deployCommand(df: Dockerfile): { args: string[]; out: string } {
  for (const s of df.stages.slice(0, -1)) {
    for (const i of s.instructions) {
      if (i.keyword !== "RUN" || !/\bdeploy\b/.test(i.args)) continue;
      const w = words(i.args);
      if (w[0] !== "pnpm") throw new Error(`${df.path}:${i.line}: expected a pnpm deploy command`);
      return { args: w.slice(1, -1), out: w.at(-1)! };
    }
  }
  throw new Error(`${df.path}: no pnpm deploy in a build stage`);
}

export interface Image {
  /** Local directories standing for image paths (longest first). */
  paths: [imagePath: string, local: string][];
  workdir: string;
}

/**
 * Assemble the image's file system in `root`: the deploy output where the runtime stage copies it from the build
 * stage, and build-context files copied into the runtime stage.
 */
const deployed = new Map<string, Promise<string>>();

/** Run the Dockerfile's deploy command into `dir` (once per distinct command and root). */
function deploy(args: string[], dir: string): Promise<string> {
  const key = JSON.stringify([args, dir]);
  let p = deployed.get(key);
  if (!p) {
    p = run("npx", [...PNPM, ...args, dir], { cwd: repoDir, maxBuffer: 16 * 1024 * 1024 }).then(() => dir);
    deployed.set(key, p);
  }
  return p;
}

export async function assembleImage(df: Dockerfile, root: string): Promise<Image> {
  const { args, out } = deployCommand(df);
  const app = await deploy(args, join(root, "deploy"));
  const paths: [string, string][] = [];
  for (const i of df.final.instructions) {
    if (i.keyword !== "COPY") continue;
    const w = words(i.args).filter((x) => !x.startsWith("--"));
    const fromStage = /--from=(\S+)/.exec(i.args)?.[1];
    const [src, dest] = [w[0]!, w.at(-1)!];
    if (fromStage) {
      if (src.replace(/\/$/, "") !== out.replace(/\/$/, "")) {
        throw new Error(
          `${df.path}:${i.line}: copies ${src} from ${fromStage}, not the deploy output ${out}`,
        );
      }
      paths.push([dest, app]);
    } else {
      const local = join(root, "files", basenameOf(df.path), dest);
      mkdirSync(dirname(local), { recursive: true });
      cpSync(join(repoDir, src), local, { recursive: true });
      paths.push([dest, local]);
    }
  }
  paths.sort((a, b) => b[0].length - a[0].length);
  const image = { paths, workdir: "" };
  image.workdir = localPath(image, df.workdir ?? "/");
  return image;
}

function basenameOf(p: string): string {
  return p.split("/").at(-1)!;
}

/** The local path for an absolute image path (unchanged when nothing maps it). */
export function localPath(image: Image, p: string): string {
  for (const [imagePath, local] of image.paths) {
    if (p === imagePath || p.startsWith(`${imagePath.replace(/\/$/, "")}/`)) {
      return join(local, p.slice(imagePath.length));
    }
  }
  return p;
}

function argv(image: Image, cmd: string[]): [string, string[]] {
  const [exe, ...rest] = cmd.map((a) => (a.startsWith("/") ? localPath(image, a) : a));
  // The image's `node` is Node 24 on PATH; here it is the Node running the tests.
  return [exe === "node" ? process.execPath : exe!, rest];
}

export interface RunningService {
  proc: ChildProcess;
  output(): string;
  /** Run the HEALTHCHECK command until it exits 0 (true) or the deadline passes (false). */
  waitHealthy(timeoutMs: number): Promise<boolean>;
  /** `docker stop`: SIGTERM, then the exit code (or null after the grace period and a SIGKILL). */
  stop(graceMs?: number): Promise<number | null>;
}

export function startService(
  df: Dockerfile,
  image: Image,
  env: Record<string, string>,
  cmd: string[] = df.cmd ?? [],
): RunningService {
  const [exe, args] = argv(image, cmd);
  const childEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...df.env, ...env };
  const proc = spawn(exe, args, { cwd: image.workdir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => {
    out += d;
  });
  proc.stderr!.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    proc,
    output: () => out,
    async waitHealthy(timeoutMs) {
      if (!df.healthcheck) throw new Error(`${df.path}: no HEALTHCHECK`);
      const [hExe, hArgs] = argv(image, df.healthcheck.cmd);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && proc.exitCode === null) {
        try {
          await run(hExe, hArgs, { env: childEnv, timeout: 10_000 });
          return true;
        } catch {
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      return false;
    },
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function runToCompletion(
  df: Dockerfile,
  image: Image,
  env: Record<string, string>,
  cmd: string[],
): Promise<{ code: number | null; output: string }> {
  const s = startService(df, image, env, cmd);
  const code = await new Promise<number | null>((r) => s.proc.once("exit", (c) => r(c)));
  return { code, output: s.output() };
}
