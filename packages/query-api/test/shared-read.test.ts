/**
 * `SharedRead`: concurrent callers share reads, but a caller never gets a read that started before it asked.
 * (The read here is a plain function: what is tested is the ordering, not a store; the stores' use of it is
 * tested against real PostgreSQL in views.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { SharedRead } from "../src/stores/shared-read";

/** A read whose runs are numbered in start order and finish when the test says so. */
function controlled() {
  const runs: { n: number; finish: (ok: boolean) => void }[] = [];
  const read = new SharedRead(
    () =>
      new Promise<number>((resolve, reject) => {
        const n = runs.length + 1;
        runs.push({ n, finish: (ok) => (ok ? resolve(n) : reject(new Error(`read ${n} failed`))) });
      }),
  );
  return { read, runs };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("SharedRead", () => {
  it("a lone caller's read starts within a turn of the event loop; callers of the same turn share it", async () => {
    const { read, runs } = controlled();
    const a = read.get();
    const b = read.get();
    await tick();
    expect(runs).toHaveLength(1);
    runs[0]!.finish(true);
    expect(await a).toBe(1);
    expect(await b).toBe(1);
  });

  it("callers during a running read share the next one, which starts only when the running one ends", async () => {
    const { read, runs } = controlled();
    const first = read.get();
    await tick();
    const during = [read.get(), read.get(), read.get()];
    await tick();
    expect(runs).toHaveLength(1); // the next read waits for the running one
    runs[0]!.finish(true);
    expect(await first).toBe(1);
    await tick();
    expect(runs).toHaveLength(2);
    // A caller arriving now (read 2 running) gets read 3, not read 2.
    const later = read.get();
    runs[1]!.finish(true);
    expect(await Promise.all(during)).toEqual([2, 2, 2]);
    await tick();
    expect(runs).toHaveLength(3);
    runs[2]!.finish(true);
    expect(await later).toBe(3);
    // Idle again: the next caller's read starts on the next turn.
    const idle = read.get();
    await tick();
    expect(runs).toHaveLength(4);
    runs[3]!.finish(true);
    expect(await idle).toBe(4);
  });

  it("a failed read fails its callers only; the callers queued behind it get a read of their own", async () => {
    const { read, runs } = controlled();
    const first = read.get();
    await tick();
    const queued = read.get();
    runs[0]!.finish(false);
    await expect(first).rejects.toThrow("read 1 failed");
    await tick();
    expect(runs).toHaveLength(2);
    runs[1]!.finish(true);
    expect(await queued).toBe(2);
  });
});
