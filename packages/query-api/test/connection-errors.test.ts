import { describe, expect, it } from "vitest";
import { isConnectionError } from "../src/errors";

describe("isConnectionError", () => {
  it("counts a pooled client broken by a PostgreSQL restart as the store being away (503), not a bad query (500)", () => {
    expect(
      isConnectionError(new Error("Client has encountered a connection error and is not queryable")),
    ).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("x"), { code: "57P03" }))).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error('relation "x" does not exist'), { code: "42P01" })),
    ).toBe(false);
  });
});
