/**
 * Runs the pipeline's services as child processes (one per service) with prefixed, readable logs, restarts a
 * service that exits with an error (capped exponential backoff: the services' rule is to exit non-zero when they
 * cannot recover by themselves, e.g. the ingester after losing its database connection), and stops them in
 * dependency order: the API first, then the ingester (finishes its batch), the flusher (final flush), and the
 * source last.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServiceSpec {
  name: string;
  /** Arguments after `stellar-lake`. */
  args: string[];
  env?: Record<string, string>;
  /** Health URL polled until it answers 200 (readiness). */
  healthUrl?: string;
  /** Lines printed once the service is ready ("listening on ..."). */
  banner?: string[];
}

const COLORS = [36, 33, 35, 32, 34, 31];

export interface RestartPolicy {
  /** First delay before a restart; doubles with each failure in a row (default 1 s). */
  initialMs: number;
  /** At most this long between restarts (default 30 s). */
  maxMs: number;
  /** A run this long resets the backoff (default 60 s). */
  resetAfterMs: number;
}

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private stopping = false;
  private readonly policy: RestartPolicy;

  constructor(
    private readonly entry: { command: string; args: string[] },
    private readonly say: (service: string, line: string) => void,
    policy: Partial<RestartPolicy> = {},
  ) {
    this.policy = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000, ...policy };
  }

  start(spec: ServiceSpec, index: number): ChildProcess {
    const startedAt = Date.now();
    const child = spawn(this.entry.command, [...this.entry.args, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
      // Own process group: a terminal Ctrl-C reaches the supervisor only, which stops children in order.
      detached: true,
    });
    const color = COLORS[index % COLORS.length];
    const prefix = process.stdout.isTTY ? `\x1b[${color}m${spec.name.padEnd(8)}\x1b[0m` : spec.name.padEnd(8);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) =>
        process.stdout.write(`[${prefix}] ${readable(line)}\n`),
      );
    }
    child.on("exit", (code, signal) => {
      this.children.delete(spec.name);
      if (this.stopping) return;
      if (code === 0) {
        this.say(spec.name, "exited (code 0): not restarted");
        return;
      }
      const ranLong = Date.now() - startedAt >= this.policy.resetAfterMs;
      const n = ranLong ? 1 : (this.failures.get(spec.name) ?? 0) + 1;
      this.failures.set(spec.name, n);
      const delay = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** (n - 1));
      this.say(
        spec.name,
        `exited unexpectedly (code ${code}, signal ${signal}); restarting in ${(delay / 1000).toFixed(1)} s`,
      );
      this.pending.set(
        spec.name,
        setTimeout(() => {
          this.pending.delete(spec.name);
          if (!this.stopping) this.start(spec, index);
        }, delay),
      );
    });
    this.children.set(spec.name, child);
    return child;
  }

  async waitHealthy(spec: ServiceSpec, timeoutMs = 120_000): Promise<boolean> {
    if (!spec.healthUrl) return true;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.children.has(spec.name) || this.pending.has(spec.name))) {
      try {
        const r = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(2000) });
        if (r.ok) return true;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    return false;
  }

  /** Stop services in the given order, each with SIGINT then (after `graceMs`) SIGKILL. */
  async stop(order: string[], graceMs = 30_000): Promise<void> {
    this.stopping = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const name of order) {
      const child = this.children.get(name);
      if (!child || child.exitCode !== null) continue;
      this.say(name, "stopping");
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGINT");
      const timer = setTimeout(() => {
        this.say(name, `did not stop within ${graceMs / 1000}s: killing`);
        child.kill("SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(timer);
    }
  }

  get running(): string[] {
    return [...this.children.keys()];
  }
}

/** pino JSON lines → `level msg key=value …`; other lines pass through. */
function readable(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const { level, time, msg, pid, hostname, name, service, ...rest } = o;
    const lvl =
      typeof level === "number"
        ? ({ 20: "debug", 30: "info", 40: "WARN", 50: "ERROR", 60: "FATAL" }[level] ?? level)
        : level;
    const extras = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    return `${lvl} ${msg ?? ""}${extras ? `  ${extras}` : ""}`;
  } catch {
    return line;
  }
}
