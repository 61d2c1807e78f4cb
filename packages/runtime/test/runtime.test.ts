import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import {
  HealthReasons,
  healthAnswer,
  parseDuration,
  resolvePassphrase,
  startStatusServer,
} from "../src/index";

describe("parseDuration", () => {
  it("accepts 0, plain seconds and units", () => {
    expect(parseDuration("0", "FLUSH_MIN_AGE")).toBe(0);
    expect(parseDuration("30s", "x")).toBe(30_000);
    expect(parseDuration("10m", "x")).toBe(600_000);
    expect(parseDuration("1.5h", "x")).toBe(5_400_000);
    expect(parseDuration("250ms", "x")).toBe(250);
    expect(parseDuration("45", "x")).toBe(45_000);
  });
  it("names the setting in the error", () => {
    expect(() => parseDuration("ten minutes", "FLUSH_INTERVAL")).toThrow(/FLUSH_INTERVAL: 'ten minutes'/);
  });
});

describe("resolvePassphrase", () => {
  it("maps names and passes literal passphrases through", () => {
    expect(resolvePassphrase("pubnet")).toBe("Public Global Stellar Network ; September 2015");
    expect(resolvePassphrase("TESTNET")).toBe("Test SDF Network ; September 2015");
    expect(resolvePassphrase("My Net ; 2024")).toBe("My Net ; 2024");
  });
});

describe("status server", () => {
  it("serves /health (503 when not ready), /health/live and /metrics over a real port", async () => {
    const registry = new Registry();
    let ready = false;
    const srv = await startStatusServer({
      port: 0,
      host: "127.0.0.1",
      registry,
      health: () => ({ live: true, ready, checkpoint: 12n }),
    });
    try {
      const base = `http://127.0.0.1:${srv.port}`;
      let r = await fetch(`${base}/health`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({
        status: "unhealthy",
        live: true,
        ready: false,
        checkpoint: "12",
      });
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      ready = true;
      r = await fetch(`${base}/health/ready`);
      expect(r.status).toBe(200);
      r = await fetch(`${base}/metrics`);
      expect(r.headers.get("content-type")).toMatch(/text\/plain/);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await srv.close();
    }
  });
});

describe("health reasons", () => {
  it("any reason makes /health and /health/ready 503 with the reasons listed; /health/live answers liveness only", async () => {
    const reasons = new HealthReasons();
    const srv = await startStatusServer({
      port: 0,
      host: "127.0.0.1",
      registry: new Registry(),
      health: () => ({ live: true, ready: true, reasons: reasons.list() }),
    });
    try {
      const base = `http://127.0.0.1:${srv.port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      reasons.set("stalled", "no ledger committed for 301 s");
      const r = await fetch(`${base}/health`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({
        status: "unhealthy",
        live: true,
        ready: false,
        reasons: [{ reason: "stalled", detail: "no ledger committed for 301 s" }],
      });
      expect((await fetch(`${base}/health/ready`)).status).toBe(503);
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      reasons.clear("stalled");
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    } finally {
      await srv.close();
    }
  });

  it("healthAnswer: not live is 503 on every probe", () => {
    expect(healthAnswer("live", { live: false, ready: true }).status).toBe(503);
    expect(healthAnswer("ready", { live: false, ready: true }).body).toMatchObject({
      ready: false,
      reasons: [],
    });
  });
});
