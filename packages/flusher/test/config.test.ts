import { describe, expect, it } from "vitest";
import { ConfigError, type FlusherConfig, parseFlusherConfig } from "../src/config";

const parse = (env: Record<string, string>, argv: string[] = []) =>
  parseFlusherConfig(argv, env) as FlusherConfig;

describe("flusher configuration", () => {
  it("defaults as the flush command had them", () => {
    expect(parse({})).toMatchObject({
      once: false,
      intervalMs: 600_000,
      minAgeMs: 0,
      healthPort: 8089,
      metaSchema: "bronze_meta",
      lakeSchema: "bronze",
      vacuumEvery: 10,
      compactEvery: 12,
      retentionMs: 24 * 3_600_000,
      targetFileBytes: 128 * 2 ** 20,
      exportConnections: 2,
      duckdbMemory: "512MB",
      unhealthyAfter: 3,
    });
    expect(parse({ FLUSH_COMPACT_EVERY: "0", FLUSH_VACUUM_EVERY: "3" }, ["--once"])).toMatchObject({
      once: true,
      compactEvery: 0,
      vacuumEvery: 3,
    });
  });

  // Issue 17 defect 5: Number("abc") was NaN, and `flushes % NaN === 0` is never true: compaction silently off.
  it.each([
    ["FLUSH_COMPACT_EVERY", "abc"],
    ["FLUSH_COMPACT_EVERY", "1e3"],
    ["FLUSH_COMPACT_EVERY", "0x10"],
    ["FLUSH_VACUUM_EVERY", " 5"],
    ["FLUSH_VACUUM_EVERY", "-1"],
    ["FLUSH_EXPORT_CONNECTIONS", "two"],
    ["FLUSHER_HEALTH_PORT", "Infinity"],
    ["FLUSH_MAX_LEDGERS", "0"],
    ["FLUSH_UNHEALTHY_AFTER", "1.5"],
  ])("%s=%j is a configuration error naming the variable and the value", (name, value) => {
    const run = () => parse({ [name]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(`${name}: expected an integer`);
    expect(run).toThrow(`'${value}'`);
  });

  it("bad durations and sizes name their variable; a flag is named as the flag", () => {
    expect(() => parse({ FLUSH_INTERVAL: "soon" })).toThrow(/FLUSH_INTERVAL: 'soon' is not a duration/);
    expect(() => parse({ COMPACT_RETENTION: "1d" })).toThrow(/COMPACT_RETENTION/);
    expect(() => parse({ COMPACT_TARGET_SIZE: "big" })).toThrow(/COMPACT_TARGET_SIZE: not a size/);
    expect(() => parse({}, ["--health-port", "80a"])).toThrow(/--health-port: expected an integer/);
    expect(() => parse({}, ["--bogus"])).toThrow(ConfigError);
  });
});
