/**
 * The pipeline's services as child processes (`pnpm stellar-lake <command>`), supervised like compose's
 * `restart: unless-stopped`, and the API's view of where the data stands.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, repoRoot } from "@stellar-lake/test-support";

export type Service = "source" | "ingester" | "flusher" | "api";

export class Pipeline {
  readonly children = new Map<Service, ChildProcess>();
  readonly logs: string[] = [];
  private stopping = false;
  apiPort = 0;
  /** Environment for one service only (e.g. LOG_LEVEL=debug for the source in `pnpm bench freshness`). */
  readonly serviceEnv: Partial<Record<Service, Record<string, string>>> = {};
  /** Every chunk a service writes to stdout or stderr, as it arrives. */
  onOutput?: (s: Service, chunk: Buffer) => void;
  /** Each service's health URL (`/health`: readiness with the reasons). */
  readonly health = {} as Record<Service, string>;
  constructor(
    private readonly env: Record<string, string>,
    private readonly args: Record<Service, string[]>,
  ) {}

  start(s: Service): void {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), ...this.args[s]],
      {
        cwd: repoRoot,
        env: { ...process.env, LOG_LEVEL: "warn", ...this.env, ...this.serviceEnv[s] },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const log = (b: Buffer) => {
      this.onOutput?.(s, b);
      this.logs.push(`[${s}] ${b.toString().trimEnd()}`);
    };
    child.stdout!.on("data", log);
    child.stderr!.on("data", log);
    child.on("exit", (code, signal) => {
      this.logs.push(`[${s}] exited code=${code} signal=${signal}`);
      if (this.children.get(s) !== child) return;
      this.children.delete(s);
      // The supervisor's job (compose `restart: unless-stopped`): bring a dead service back.
      if (!this.stopping) setTimeout(() => !this.stopping && this.start(s), 300);
    });
    this.children.set(s, child);
  }

  /** Resident set size of a running service in MiB (Linux /proc), undefined when it is not running. */
  rssMiB(s: Service): number | undefined {
    const pid = this.children.get(s)?.pid;
    if (!pid) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  kill(s: Service): void {
    this.children.get(s)?.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children.values()].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            c.once("exit", () => r());
            c.kill("SIGTERM");
            setTimeout(() => c.kill("SIGKILL"), 15_000);
          }),
      ),
    );
  }
}

export interface Stand {
  latest: number | null;
  watermark: number | null;
}

export async function stand(port: number): Promise<Stand | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/ledgers?start=0&limit=1`, {
      signal: AbortSignal.timeout(5000),
    });
    if (!r.ok) return undefined;
    const meta = (JSON.parse(await r.text()) as { meta: { latest_ledger: number; cold_watermark: number } })
      .meta;
    return { latest: meta.latest_ledger, watermark: meta.cold_watermark };
  } catch {
    return undefined;
  }
}

export async function until(
  what: string,
  p: Pipeline,
  ok: (s: Stand) => boolean,
  timeoutMs = 120_000,
): Promise<Stand> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await stand(p.apiPort);
    if (s && ok(s)) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
  // The last lines of each service: one that repeats an error must not hide the others.
  const tail = (["source", "ingester", "flusher", "api"] as const).flatMap((s) =>
    p.logs.filter((l) => l.startsWith(`[${s}]`)).slice(-8),
  );
  throw new Error(`timed out waiting for ${what}; last log lines:\n${tail.join("\n")}`);
}

export interface PipelineSetup {
  hotUrl: string;
  catalogUrl: string;
  lakeDir: string;
  datastore: string;
  start: number;
  /** Source replay rate (ledgers/s); default as fast as possible. */
  rate?: string;
  flushInterval: string;
  /** The flusher's --min-age (default 0: every ingested ledger may move). */
  minAge?: string;
}

/** The four services of a mainnet pipeline on free ports (not started). */
export async function pipelineFor(o: PipelineSetup): Promise<Pipeline> {
  const [grpc, http, api, ingesterHealth, flusherHealth] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const p = new Pipeline(
    {
      DATABASE_URL: o.hotUrl,
      DUCKLAKE_CATALOG_URL: o.catalogUrl,
      DUCKLAKE_DATA_PATH: o.lakeDir,
      NETWORK_PASSPHRASE: "Public Global Stellar Network ; September 2015",
    },
    {
      source: [
        "source",
        "--datastore",
        o.datastore,
        "--port",
        String(grpc),
        "--http-port",
        String(http),
        ...(o.rate ? ["--rate", o.rate] : []),
      ],
      ingester: [
        "ingest",
        "--source",
        `127.0.0.1:${grpc}`,
        "--network",
        "pubnet",
        "--start",
        String(o.start),
        "--health-port",
        String(ingesterHealth),
      ],
      flusher: [
        "flush",
        "--interval",
        o.flushInterval,
        "--min-age",
        o.minAge ?? "0",
        "--health-port",
        String(flusherHealth),
      ],
      api: ["serve", "--port", String(api)],
    },
  );
  p.apiPort = api;
  Object.assign(p.health, {
    source: `http://127.0.0.1:${http}/health`,
    ingester: `http://127.0.0.1:${ingesterHealth}/health`,
    flusher: `http://127.0.0.1:${flusherHealth}/health`,
    api: `http://127.0.0.1:${api}/health`,
  });
  return p;
}

/** Every service's /health answer (status and body; status 0 when it does not answer). */
export async function healthOf(p: Pipeline): Promise<Record<Service, { status: number; body: string }>> {
  const out = {} as Record<Service, { status: number; body: string }>;
  for (const [s, url] of Object.entries(p.health) as [Service, string][]) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      out[s] = { status: r.status, body: await r.text() };
    } catch (err) {
      out[s] = { status: 0, body: (err as Error).message };
    }
  }
  return out;
}
