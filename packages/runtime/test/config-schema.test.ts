import { describe, expect, expectTypeOf, it } from "vitest";
import { bool, ConfigError, defineConfig, duration, int, list, num, oneOf, secret, str } from "../src/index";

const schema = defineConfig({
  port: int({ flag: "port", env: "SOURCE_PORT", default: 50053, help: "gRPC port" }),
  maxBatch: int({
    flag: "max-batch",
    env: "INGESTER_MAX_BATCH",
    default: 256,
    min: 1,
    help: "most ledgers per transaction",
  }),
  start: int({ flag: "start", min: 1, help: "first ledger" }),
  rate: num({ flag: "rate", help: "ledgers per second" }),
  stall: duration({
    flag: "stall-after",
    env: "INGESTER_STALL_AFTER",
    default: 120_000,
    defaultText: "2m",
    help: "stall after",
  }),
  tls: bool({ flag: "source-tls", env: "LEDGER_SOURCE_TLS", default: false, help: "TLS" }),
  format: oneOf(["rows", "hubble"], { flag: "format", default: "rows", help: "output format" }),
  origins: list({ env: "CORS_ORIGINS", default: [], help: "CORS origins" }),
  url: str({
    env: ["DATABASE_URL", "PG_URL"],
    required: true,
    help: "the hot buffer's URL",
    placeholder: "URL",
  }),
  token: secret({ env: "SOURCE_AUTH_TOKEN", help: "token" }),
});

describe("defineConfig", () => {
  const env = { DATABASE_URL: "postgres://h/db" };

  it("takes a flag over its variable over the default, typed", () => {
    const c = schema.parse(["--port", "1"], { ...env, SOURCE_PORT: "2", INGESTER_MAX_BATCH: "9" });
    expect(c).not.toBe("help");
    if (c === "help") return;
    expect(c.port).toBe(1);
    expect(c.maxBatch).toBe(9);
    expect(c.start).toBeUndefined();
    expect(c.stall).toBe(120_000);
    expect(c.tls).toBe(false);
    expect(c.format).toBe("rows");
    expect(c.origins).toEqual([]);
    expect(c.url).toBe("postgres://h/db");
    expectTypeOf(c.port).toEqualTypeOf<number>();
    expectTypeOf(c.start).toEqualTypeOf<number | undefined>();
    expectTypeOf(c.url).toEqualTypeOf<string>();
    expectTypeOf(c.format).toEqualTypeOf<"rows" | "hubble">();
  });

  it("reads every kind from the environment, the first variable set of a list", () => {
    const c = schema.parse([], {
      PG_URL: "postgres://x/y",
      LEDGER_SOURCE_TLS: "yes",
      INGESTER_STALL_AFTER: "30s",
      CORS_ORIGINS: "a, b,,c",
    });
    if (c === "help") throw new Error("help");
    expect([c.url, c.tls, c.stall, c.origins]).toEqual(["postgres://x/y", true, 30_000, ["a", "b", "c"]]);
  });

  it.each(["abc", "1e3", "0x10", " 5", "Infinity", "-1", "1.5", "99999999999999999999"])(
    "refuses %j as an integer, naming the flag and its variable",
    (bad) => {
      expect(() => schema.parse([], { ...env, INGESTER_MAX_BATCH: bad })).toThrow(ConfigError);
      expect(() => schema.parse([], { ...env, INGESTER_MAX_BATCH: bad })).toThrow(
        `--max-batch / INGESTER_MAX_BATCH: expected an integer ≥ 1, got '${bad}'`,
      );
    },
  );

  it("names the option of every other bad value", () => {
    expect(() => schema.parse(["--rate", "fast"], env)).toThrow("--rate: expected a number ≥ 0, got 'fast'");
    expect(() => schema.parse(["--stall-after", "soon"], env)).toThrow(
      /--stall-after \/ INGESTER_STALL_AFTER: .*'soon'/,
    );
    expect(() => schema.parse(["--format", "csv"], env)).toThrow(
      "--format: expected one of rows, hubble, got 'csv'",
    );
    expect(() => schema.parse([], { ...env, LEDGER_SOURCE_TLS: "maybe" })).toThrow(
      /--source-tls \/ LEDGER_SOURCE_TLS/,
    );
    expect(() => schema.parse([], {})).toThrow("DATABASE_URL / PG_URL is required: the hot buffer's URL");
    expect(() => schema.parse(["--bogus"], env)).toThrow(/Unknown option '--bogus'/);
  });

  it("never echoes a secret", () => {
    const c = schema.parse([], { ...env, SOURCE_AUTH_TOKEN: "s3cr3t" });
    if (c === "help") throw new Error("help");
    expect(c.token).toBe("s3cr3t");
    expect(schema.help()).not.toContain("s3cr3t");
  });

  it("--help is rendered from the same schema", () => {
    expect(schema.parse(["-h"], {})).toBe("help");
    const help = schema.help();
    expect(help).toContain("--max-batch N");
    expect(help).toMatch(
      /--max-batch N\s+most ledgers per transaction \[INGESTER_MAX_BATCH\] \(default 256\)/,
    );
    expect(help).toMatch(/--stall-after D\s+stall after \[INGESTER_STALL_AFTER\] \(default 2m\)/);
    expect(help).toMatch(/DATABASE_URL\s+the hot buffer's URL \(required\)/);
    expect(help).toMatch(/--source-tls\s+TLS \[LEDGER_SOURCE_TLS\]$/m);
    expect(help.trimEnd().endsWith("-h, --help")).toBe(true);
  });
});
