/**
 * The maintenance schedule of the flush service: every `vacuumEvery` flushes that moved data, VACUUM ANALYZE of
 * the hot tables (the deletes leave dead tuples); every `compactEvery`, the lake's compaction with cleanup of the
 * files it replaced after `retentionMs`. A failed compaction is logged and retried at the next schedule.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { type LakeStorage, lakeFileCounts, maintainLake } from "@stellar-lake/lake";
import type { Logger } from "@stellar-lake/runtime";
import { dataTables, ident } from "@stellar-lake/schema";
import type pg from "pg";
import type { FlusherConfig } from "./config";
import type { FlushMetrics } from "./metrics";

export class MaintenanceSchedule {
  private flushes = 0;

  constructor(
    private readonly cfg: Pick<
      FlusherConfig,
      "vacuumEvery" | "compactEvery" | "retentionMs" | "targetFileBytes" | "metaSchema" | "lakeSchema"
    >,
    private readonly o: {
      log: Logger;
      metrics: FlushMetrics;
      duck: DuckDBConnection;
      storage: LakeStorage;
      dataPath: string;
      failpoint?: (name: string) => void;
    },
  ) {}

  /** After a flush that moved data. */
  async afterFlush(hot: pg.ClientBase, catalog: pg.ClientBase): Promise<void> {
    this.flushes += 1;
    const { vacuumEvery, compactEvery } = this.cfg;
    if (vacuumEvery > 0 && this.flushes % vacuumEvery === 0) {
      for (const t of dataTables) await hot.query(`VACUUM ANALYZE public.${ident(t.name)}`);
      this.o.log.info({ flushes: this.flushes }, "vacuumed the hot tables");
    }
    if (compactEvery > 0 && this.flushes % compactEvery === 0) await this.compact(catalog);
  }

  private async compact(catalog: pg.ClientBase): Promise<void> {
    const { log, metrics } = this.o;
    try {
      const r = await maintainLake({
        catalog,
        duck: this.o.duck,
        metaSchema: this.cfg.metaSchema,
        lakeSchema: this.cfg.lakeSchema,
        dataPath: this.o.dataPath,
        storage: this.o.storage,
        retentionMs: this.cfg.retentionMs,
        targetFileBytes: this.cfg.targetFileBytes,
        ...(this.o.failpoint ? { failpoint: this.o.failpoint } : {}),
      });
      const merged = Object.values(r.compact.tables);
      if (r.compact.snapshotId !== undefined || r.cleanup?.deletedFiles.length) {
        log.info(
          {
            snapshot: r.compact.snapshotId,
            files_before: merged.reduce((a, t) => a + t.filesBefore, 0),
            files_after: merged.reduce((a, t) => a + t.filesAfter, 0),
            deleted_files: r.cleanup?.deletedFiles.length ?? 0,
            expired_snapshots: r.cleanup?.expiredSnapshots.length ?? 0,
            seconds: +r.compact.seconds.toFixed(2),
          },
          "compacted",
        );
      }
      metrics.compactions.inc();
      for (const [t, n] of Object.entries(await lakeFileCounts(catalog, this.cfg.metaSchema)))
        metrics.files.set({ table: t }, n);
    } catch (err) {
      metrics.errors.inc();
      log.error({ error: (err as Error).message }, "compaction failed; retrying at the next schedule");
    }
  }
}
