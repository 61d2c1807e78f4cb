/**
 * A flush running while the ingester writes newer ledgers: the real ingest loop (synthetic ledgers, paced) and
 * flushes + compactions on their own connections at the same time. Nothing lost, nothing twice.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { flushOnce } from "@stellar-lake/flusher";
import { ingest } from "@stellar-lake/ingester";
import { memoryLog, syntheticLedger } from "@stellar-lake/ingester/testing";
import { latestFlushState, maintainLake, pgCatalog, readLakeTable } from "@stellar-lake/lake";
import { readCheckpoint, readColdState } from "@stellar-lake/pipeline-state";
import { dataTables, migrateUp } from "@stellar-lake/schema";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";

const LAST = 60;

describe("flush during ingestion", () => {
  it("flushes and compactions while the ingester commits newer ledgers lose and duplicate nothing", async () => {
    const hotUrl = (await freshDatabase("concurrenthot")).url;
    await migrateUp(hotUrl);
    const catalogUrl = (await freshDatabase("concurrentcat")).url;
    const dir = await mkdtemp(join(tmpdir(), "concurrent-lake-"));
    const hot = new pg.Client({ connectionString: hotUrl });
    const catalog = new pg.Client({ connectionString: catalogUrl });
    // A second hot connection exports tables in parallel (as the flush service does by default).
    const hot2 = new pg.Client({ connectionString: hotUrl });
    await hot.connect();
    await hot2.connect();
    await catalog.connect();
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const lake = { catalog, duck, metaSchema: "bronze_meta", lakeSchema: "bronze", dataPath: `${dir}/` };
    try {
      // The source holds ledger 30 back until a flush has moved data, so flushing surely overlaps ingestion.
      let flushedOnce: () => void = () => {};
      const gate = new Promise<void>((r) => {
        flushedOnce = r;
      });
      const source = async function* (start: number, signal: AbortSignal) {
        for (let s = start; s <= LAST && !signal.aborted; s++) {
          if (s === 30) await gate;
          await new Promise((r) => setTimeout(r, 5));
          yield { sequence: s, xdr: new Uint8Array() };
        }
      };
      let ingesting = true;
      const ingestion = ingest(
        {
          databaseUrl: hotUrl,
          start: 1,
          end: LAST,
          eraId: "test",
          versionLabel: "v1",
          pipelineVersion: "test",
          maxBatchLedgers: 3,
          log: memoryLog(),
          coldState: () => readColdState(catalogUrl, "bronze_meta"),
        },
        source,
        (raw) => syntheticLedger(raw.sequence),
      ).finally(() => {
        ingesting = false;
      });
      let flushes = 0;
      let flushesDuringIngest = 0;
      for (;;) {
        const wasIngesting = ingesting;
        const r = await flushOnce({ ...lake, hot, exportClients: [hot2], minAgeMs: 0, maxLedgers: 7 });
        if (r.flushed) {
          flushes += 1;
          if (wasIngesting) flushesDuringIngest += 1;
          flushedOnce();
          if (flushes % 3 === 0) await maintainLake({ ...lake, retentionMs: 0, targetFileBytes: 1 << 30 });
        } else if (!ingesting) {
          break;
        } else {
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      const summary = await ingestion;
      expect(summary).toMatchObject({ lastLedger: LAST, stoppedBy: "end" });
      expect(flushesDuringIngest).toBeGreaterThanOrEqual(1);
      expect((await latestFlushState(catalog, "bronze_meta"))?.watermark).toBe(LAST);
      expect((await readCheckpoint(hot))?.lastLedger).toBe(LAST);

      // Every table: hot ∪ cold = exactly the rows the ingester wrote (by ledger, with multiplicity).
      const cat = pgCatalog(catalog, "bronze_meta");
      for (const t of dataTables) {
        const col = t.sequenceColumn!;
        const expected: number[] = [];
        for (let s = 1; s <= LAST; s++)
          for (let i = 0; i < (syntheticLedger(s).rows[t.name]?.length ?? 0); i++) expected.push(s);
        const h = await hot.query(`SELECT "${col}"::bigint AS s FROM public."${t.name}"`);
        const cold = await readLakeTable(cat, duck, { schema: "bronze", table: t.name });
        const got = [...h.rows.map((r) => Number(r.s)), ...cold.rows.map((r) => Number(r[col]))].sort(
          (a, b) => a - b,
        );
        expect(got, t.name).toEqual(expected);
      }
    } finally {
      await hot.end();
      await hot2.end();
      await catalog.end();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
