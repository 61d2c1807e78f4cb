import { DuckDBInstance } from "@duckdb/node-api";
import { maintainLake } from "@stellar-lake/lake";
import pg from "pg";
import { flushOnce } from "../src/index";

/**
 * The flusher's work as the crash tests run it, on fresh connections (a new start): flush the hot buffer in
 * steps of `maxLedgers`, compacting (with cleanup, retention 0) after every `compactEvery` flushes and once at
 * the end. Returns the number of flushes.
 */
export async function runFlusher(o: {
  hotUrl: string;
  catalogUrl: string;
  dataPath: string;
  maxLedgers?: number;
  compactEvery?: number;
  failpoint?: (name: string) => void;
}): Promise<number> {
  const hot = new pg.Client({ connectionString: o.hotUrl });
  const catalog = new pg.Client({ connectionString: o.catalogUrl });
  await hot.connect();
  await catalog.connect();
  try {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const lake = { catalog, duck, metaSchema: "bronze_meta", lakeSchema: "bronze", dataPath: o.dataPath };
    const maintain = {
      ...lake,
      retentionMs: 0,
      targetFileBytes: 1 << 30,
      ...(o.failpoint ? { failpoint: o.failpoint } : {}),
    };
    let flushes = 0;
    for (;;) {
      const r = await flushOnce({
        ...lake,
        hot,
        minAgeMs: 0,
        maxLedgers: o.maxLedgers ?? 3,
        ...(o.failpoint ? { failpoint: o.failpoint } : {}),
      });
      if (!r.flushed) break;
      flushes += 1;
      if (flushes % (o.compactEvery ?? 2) === 0) await maintainLake(maintain);
    }
    await maintainLake(maintain);
    return flushes;
  } finally {
    await hot.end();
    await catalog.end();
  }
}
