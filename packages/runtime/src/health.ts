/**
 * The one health shape every service answers with (the pipeline services through `startStatusServer`, the query
 * API through its own routes): liveness and readiness as separate probes, and the reasons a service is not doing
 * its job as a list of machine-readable codes with a human detail each.
 *
 * - `/health/live`: 200 while the process should be left running (503: restart it).
 * - `/health/ready` and `/health`: 200 while it does its job — live, ready and no reason against it.
 */

/** Why a service cannot do its job right now. */
export interface HealthReason {
  /** A stable code for alerts and dashboards, e.g. `stalled`, `standby`, `no_datastore`, `store_unreachable`. */
  reason: string;
  /** What an operator needs to know (never credentials or addresses). */
  detail: string;
}

export interface HealthReport {
  /** The process is worth keeping: its loop runs and it can still recover by itself. */
  live: boolean;
  /** The service is doing its job (e.g. holds the writer lock and is connected). */
  ready: boolean;
  /** Why it is not ready (or not live); any reason makes it not ready. */
  reasons?: readonly HealthReason[];
  [detail: string]: unknown;
}

export type HealthProbe = "live" | "ready";

/** The HTTP status and JSON body of a probe: the same for every service. */
export function healthAnswer(
  probe: HealthProbe,
  h: HealthReport,
): { status: number; body: Record<string, unknown> } {
  const reasons = h.reasons ?? [];
  const ready = h.live && h.ready && reasons.length === 0;
  const ok = probe === "live" ? h.live : ready;
  return {
    status: ok ? 200 : 503,
    // `node`: the runtime the service really runs on (the project brings its own Node; an operator can check it).
    body: {
      status: ok ? "healthy" : "unhealthy",
      node: process.versions.node,
      ...h,
      live: h.live,
      ready,
      reasons,
    },
  };
}

/** The reasons a service currently has, set and cleared by the code that knows (keyed by code). */
export class HealthReasons {
  private readonly current = new Map<string, string>();

  set(reason: string, detail: string): void {
    this.current.set(reason, detail);
  }

  clear(reason: string): void {
    this.current.delete(reason);
  }

  has(reason: string): boolean {
    return this.current.has(reason);
  }

  list(): HealthReason[] {
    return [...this.current].map(([reason, detail]) => ({ reason, detail }));
  }
}
