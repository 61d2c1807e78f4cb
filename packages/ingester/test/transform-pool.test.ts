import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TransformPool } from "../src/transform-pool";
import { syntheticLedger } from "./synthetic";

const module = fileURLToPath(new URL("./synthetic-transformer.ts", import.meta.url));

describe("TransformPool", () => {
  it("transforms in worker threads and returns rows (bigint, Date intact) to the caller", async () => {
    const pool = new TransformPool({ module, config: { poison: [7] }, size: 2 });
    try {
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((s) => pool.transform({ sequence: s, xdr: new Uint8Array([1, 2, 3, 4]) })),
      );
      expect(results.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      const expected = syntheticLedger(3).rows.ledgers_row_v2![0]!;
      expect(results[2]!.rows.ledgers_row_v2![0]).toEqual(expected);
      await expect(pool.transform({ sequence: 7, xdr: new Uint8Array(4) })).rejects.toThrow(
        /synthetic poison at 7/,
      );
    } finally {
      await pool.close();
    }
  });
});
