/**
 * Scheduled lake maintenance, as the flush service and `lake compact` run it: compaction of every bronze table,
 * then (with a retention) cleanup of the files compaction replaced at least that long ago.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { dataTables } from "@stellar-lake/schema";
import type pg from "pg";
import { type CleanupResult, type CompactResult, cleanupOldFiles, compactLake } from "./ducklake/maintenance";
import { prepareLake } from "./flush";

import type { LakeStorage } from "./storage";

export interface MaintainOptions {
  catalog: pg.ClientBase;
  duck: DuckDBConnection;
  metaSchema: string;
  lakeSchema: string;
  dataPath: string;
  /** Where the files are (default: from dataPath). */
  storage?: LakeStorage;
  /** Delete replaced files scheduled at least this long ago; undefined: no cleanup. */
  retentionMs?: number;
  targetFileBytes?: number;
  minFiles?: number;
  failpoint?: (name: string) => void;
  /** See prepareLake (default 0). */
  orphanGraceMs?: number;
}

export async function maintainLake(
  o: MaintainOptions,
): Promise<{ compact: CompactResult; cleanup?: CleanupResult }> {
  const lake = await prepareLake(o);
  const compact = await compactLake({ ...o, tables: dataTables, lake });
  if (o.retentionMs === undefined) return { compact };
  return { compact, cleanup: await cleanupOldFiles({ ...o, olderThanMs: o.retentionMs }) };
}
