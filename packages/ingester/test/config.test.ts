import { describe, expect, it } from "vitest";
import { ConfigError, parseIngesterConfig } from "../src/config";

describe("ingester config", () => {
  it("defaults match the original (source localhost:50053, health port 8088, pubnet)", () => {
    const c = parseIngesterConfig([], {});
    expect(c).toMatchObject({
      source: "localhost:50053",
      healthPort: 8088,
      network: "pubnet",
      passphrase: "Public Global Stellar Network ; September 2015",
      eraId: "pubnet",
      skipBadLedgers: false,
    });
  });
  it("flags override the environment", () => {
    const c = parseIngesterConfig(
      ["--network", "testnet", "--start", "5", "--end", "9", "--source", "src:1"],
      {
        NETWORK_PASSPHRASE: "Public Global Stellar Network ; September 2015",
        LEDGER_SOURCE: "other:2",
      },
    );
    expect(c).toMatchObject({ network: "testnet", start: 5, end: 9, source: "src:1" });
  });
  it("rejects bad values naming the parameter", () => {
    expect(() => parseIngesterConfig(["--start=-3"], {})).toThrow(
      /--start: expected an integer >= 1, got '-3'/,
    );
    expect(() => parseIngesterConfig(["--start", "10", "--end", "5"], {})).toThrow(ConfigError);
    expect(() => parseIngesterConfig(["--source", "nohostport"], {})).toThrow(/--source: expected HOST:PORT/);
    expect(() => parseIngesterConfig([], { INGESTER_HEALTH_PORT: "http" })).toThrow(/--health-port/);
  });
  it("--help", () => {
    expect(parseIngesterConfig(["--help"], {})).toBe("help");
  });
});
