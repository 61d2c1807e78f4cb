import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderRowTypes } from "../src/render-row-types";
import { renderSchemaDoc } from "../src/render-schema-doc";

describe("generated files are current with the catalog (run `pnpm --filter @stellar-lake/schema gen`)", () => {
  it("src/rows.generated.ts", () => {
    expect(readFileSync(new URL("../src/rows.generated.ts", import.meta.url), "utf8")).toBe(renderRowTypes());
  });
  it("docs/schema.md", () => {
    expect(readFileSync(new URL("../../../docs/schema.md", import.meta.url), "utf8")).toBe(renderSchemaDoc());
  });
});
