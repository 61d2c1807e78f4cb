import { describe, expect, it } from "vitest";
import { FlushHealth } from "../src/health";

describe("the flusher's /health report", () => {
  it("is ready only with the lock, after a flush, while fewer than N flushes in a row failed; reasons say why, without addresses", () => {
    const h = new FlushHealth({ unhealthyAfter: 2, intervalMs: 1000 });
    expect(h.report()).toMatchObject({ live: true, ready: false, reasons: [{ reason: "no_lock" }] });
    h.lockHeld(true);
    expect(h.report()).toMatchObject({ ready: false, reasons: [{ reason: "starting" }] });
    h.flushed(10);
    expect(h.report()).toMatchObject({ ready: true, reasons: [], last_watermark: 10 });
    h.failed("export of table 'x' failed: ENOSPC: no space left on device, write", false);
    expect(h.report()).toMatchObject({ ready: true, consecutive_failures: 1 });
    h.failed("export of table 'x' failed: ENOSPC: no space left on device, write", false);
    expect(h.report()).toMatchObject({
      ready: false,
      reasons: [
        { reason: "flushes_failing", detail: expect.stringMatching(/last 2 flushes failed: .*ENOSPC/) },
      ],
    });
    h.failed("hot buffer unreachable: connect ECONNREFUSED 10.1.2.3:5432", true);
    const down = h.report();
    expect(down.reasons).toEqual([
      { reason: "store_unreachable", detail: "hot buffer unreachable: connect ECONNREFUSED" },
    ]);
    expect(JSON.stringify(down)).not.toContain("10.1.2.3");
    h.lockHeld(false, "flusher lock lost (writer lock connection lost: Connection terminated unexpectedly)");
    expect(h.report()).toMatchObject({ ready: false, reasons: [{ reason: "no_lock" }] });
    h.lockHeld(true);
    h.flushed(12);
    expect(h.report()).toMatchObject({ ready: true, consecutive_failures: 0, error: null });
  });
});
