/**
 * Released migrations are frozen (issue 17, defect 2): each reads the data tables as of itself, so a table a
 * later migration adds changes none of their SQL. The end-to-end proof (a fresh database and an upgraded one
 * both migrate) is in migrations.test.ts once such a table exists.
 */
import { describe, expect, it } from "vitest";
import {
  allFlushIndexes,
  dataTableGrantStatements,
  dataTables,
  dataTablesAsOf,
  grantStatements,
  helperFunctionsSql,
  table,
} from "../src/index";

const later = { ...table("trades_row_v1"), name: "later_row_v1", since: "0099" };
const withLater = [...dataTables, later];

describe("frozen migrations", () => {
  it("dataTablesAsOf keeps exactly the tables whose migration had run", () => {
    expect(dataTablesAsOf("0004", withLater).map((t) => t.name)).toEqual(
      dataTables.filter((t) => t.since <= "0004").map((t) => t.name),
    );
    expect(dataTablesAsOf("0099", withLater).map((t) => t.name)).toContain("later_row_v1");
  });

  it("the SQL of 0003, 0004 and 0006 over their own tables never names a later table", () => {
    const mentions = (sql: string[]) => sql.some((s) => s.includes("later_row_v1"));
    expect(mentions(helperFunctionsSql(dataTablesAsOf("0004", withLater)))).toBe(false);
    expect(mentions(helperFunctionsSql(withLater))).toBe(true);
    expect(allFlushIndexes(dataTablesAsOf("0003", withLater)).some((i) => i.table === "later_row_v1")).toBe(
      false,
    );
    expect(mentions(grantStatements(dataTablesAsOf("0006", withLater)))).toBe(false);
    expect(mentions(dataTableGrantStatements([later]))).toBe(true);
  });

  it("helper functions are CREATE OR REPLACE, so a later migration can redefine them over more tables", () => {
    for (const s of helperFunctionsSql()) expect(s).toMatch(/^CREATE OR REPLACE FUNCTION public\./);
  });
});
