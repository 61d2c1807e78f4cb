import { fileURLToPath } from "node:url";
import { nodeSupported } from "@stellar-lake/runtime";
import { TRANSFORM_RESOURCE_LIMITS } from "@stellar-lake/transform/heap";
import { describe, expect, it } from "vitest";
import { TransformPool } from "../src/transform-pool";
import { syntheticLedger } from "./synthetic";

const module = fileURLToPath(new URL("./synthetic-transformer.ts", import.meta.url));

describe("TransformPool", () => {
  it("its worker threads run on the project's Node (≥ 22.12)", async () => {
    const pool = new TransformPool({ module, config: { reportLimits: true }, size: 1 });
    try {
      const r = (await pool.transform({ sequence: 1, xdr: new Uint8Array(4) })) as unknown as {
        node: string;
      };
      expect(r.node).toSatisfy(nodeSupported);
    } finally {
      await pool.close();
    }
  });

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

  it("runs its workers with the transform's heap limits (a 192 MB young generation) unless told otherwise", async () => {
    expect(TRANSFORM_RESOURCE_LIMITS.maxYoungGenerationSizeMb).toBe(192);
    const limitsOf = async (pool: TransformPool) => {
      try {
        const r = await pool.transform({ sequence: 1, xdr: new Uint8Array(4) });
        return (r as unknown as { limits: { maxYoungGenerationSizeMb: number } }).limits;
      } finally {
        await pool.close();
      }
    };
    const dflt = await limitsOf(new TransformPool({ module, config: { reportLimits: true }, size: 1 }));
    expect(dflt.maxYoungGenerationSizeMb).toBe(TRANSFORM_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
    const mine = await limitsOf(
      new TransformPool({
        module,
        config: { reportLimits: true },
        size: 1,
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      }),
    );
    expect(mine.maxYoungGenerationSizeMb).toBe(64);
  });
});
