/**
 * Issue 17 defect 1: the ingester read the cold watermark from `bronze_meta` whatever DUCKLAKE_METADATA_SCHEMA
 * said — with another schema, a PostgreSQL crash left it with a start error instead of a rewind to W + 1.
 */
import { ensureCatalog } from "@stellar-lake/lake";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseIngesterConfig } from "../src/config";
import { coldStateReader } from "../src/service";

describe("the ingester's cold watermark read", () => {
  it("reads the catalog schema DUCKLAKE_METADATA_SCHEMA names", async () => {
    const url = (await freshDatabase("coldschema")).url;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await ensureCatalog(c, { schema: "lake_meta_x", dataPath: "/tmp/unused-lake/", createdBy: "test" });
      await c.query(
        `UPDATE lake_meta_x.ducklake_snapshot_changes SET commit_extra_info = '{"watermark": 41, "watermark_hash": "h41"}'`,
      );
    } finally {
      await c.end();
    }
    const cfg = parseIngesterConfig([], {
      DUCKLAKE_CATALOG_URL: url,
      DUCKLAKE_METADATA_SCHEMA: "lake_meta_x",
    });
    if (cfg === "help") throw new Error("unexpected help");
    expect(cfg.catalogSchema).toBe("lake_meta_x");
    expect(await coldStateReader(cfg)!()).toEqual({ watermark: 41, watermarkHash: "h41" });
    // The default schema holds no catalog here: reading it (the old behaviour) finds no cold storage at all.
    const dflt = parseIngesterConfig([], { DUCKLAKE_CATALOG_URL: url });
    if (dflt === "help") throw new Error("unexpected help");
    expect(await coldStateReader(dflt)!()).toBeUndefined();
    expect(coldStateReader({ catalogUrl: undefined, catalogSchema: "x" })).toBeUndefined();
  });
});
