/**
 * The typed client is checked against the OpenAPI document: its generated route types are exactly what the
 * document renders to now (regenerate with `pnpm --filter @stellar-lake/query-api gen:client`), and they name
 * every documented GET route.
 */
import { readFile } from "node:fs/promises";
import { clientTypesFile, renderClientTypes } from "@stellar-lake/client/render";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../scripts/openapi";

describe("@stellar-lake/client", () => {
  it("its route types are generated from the current OpenAPI document", async () => {
    const doc = await openApiDocument();
    const written = await readFile(clientTypesFile, "utf8");
    expect(written, "stale: run pnpm --filter @stellar-lake/query-api gen:client").toBe(
      renderClientTypes(doc),
    );
    for (const path of Object.keys(doc.paths as object))
      expect(written).toContain(`  ${JSON.stringify(path)}: {`);
    expect(written).toContain('"/accounts/{account_id}/payments"');
  });
});
