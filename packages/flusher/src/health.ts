/**
 * What the flusher's /health says. Ready (200 on /health and /health/ready) only while it can flush: it holds the
 * flusher lock, its stores answered the last attempt, and fewer than `unhealthyAfter` flushes in a row failed;
 * otherwise 503 with the reason in `error`. Live (/health/live) while its loop turns: an attempt started within
 * three intervals plus half an hour (a long flush is not a wedged one). Kubernetes: liveness → /health/live,
 * readiness → /health/ready.
 */
import type { HealthReason, HealthReport } from "@stellar-lake/runtime";

/** A store's address is not for /health (connect ECONNREFUSED 10.0.0.5:5432 → connect ECONNREFUSED). */
function scrub(text: string): string {
  return text.replace(/\s*\[?[0-9a-f.:]*[0-9a-f]\]?:\d{2,5}\b/gi, "");
}

export class FlushHealth {
  private holdsLock = false;
  private lockReason: string | null = "taking the flusher lock";
  private failures = 0;
  private storeDown = false;
  private lastError: string | null = null;
  private lastFlushAt: string | null = null;
  private watermark: number | null = null;
  private lastAttempt = Date.now();
  private attempted = false;

  constructor(private readonly o: { unhealthyAfter: number; intervalMs: number }) {}

  lockHeld(held: boolean, reason?: string): void {
    this.holdsLock = held;
    this.lockReason = held ? null : (reason ?? "no flusher lock");
  }

  attempt(): void {
    this.lastAttempt = Date.now();
  }

  flushed(watermark: number | undefined): void {
    this.attempted = true;
    this.failures = 0;
    this.storeDown = false;
    this.lastError = null;
    this.lastFlushAt = new Date().toISOString();
    this.watermark = watermark ?? null;
  }

  failed(error: string, storeUnreachable: boolean): void {
    this.attempted = true;
    this.failures += 1;
    this.storeDown = storeUnreachable;
    this.lastError = error;
  }

  /** Why the flusher cannot flush now (undefined: it can), as a reason code and its detail. */
  reason(): HealthReason | undefined {
    if (!this.holdsLock) return { reason: "no_lock", detail: scrub(this.lockReason ?? "no flusher lock") };
    if (!this.attempted) return { reason: "starting", detail: "no flush has run yet" };
    if (this.storeDown) return { reason: "store_unreachable", detail: scrub(this.lastError ?? "") };
    if (this.failures >= this.o.unhealthyAfter)
      return {
        reason: "flushes_failing",
        detail: scrub(`the last ${this.failures} flushes failed: ${this.lastError}`),
      };
    return undefined;
  }

  report(): HealthReport {
    const reason = this.reason();
    return {
      live: Date.now() - this.lastAttempt < 3 * this.o.intervalMs + 30 * 60_000,
      ready: reason === undefined,
      reasons: reason ? [reason] : [],
      last_flush_at: this.lastFlushAt,
      last_watermark: this.watermark,
      consecutive_failures: this.failures,
      error: reason?.detail ?? (this.lastError ? scrub(this.lastError) : null),
    };
  }
}
