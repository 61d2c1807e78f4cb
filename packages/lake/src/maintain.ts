/**
 * Scheduled lake maintenance, as the flush service and `lake compact` run it: compaction of every bronze table,
 * optionally expiry of snapshots older than `expireOlderThanMs`, then (with a retention) cleanup of the files
 * scheduled for deletion at least that long ago. Compaction needs no expiry: the merged files serve every older
 * snapshot (as with the extension, whose expire_older_than is unset by default).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { dataTables } from "@stellar-lake/schema";
import { type CleanupResult, cleanupOldFiles } from "./cleanup";
import { type CompactResult, compactLake } from "./compact";
import { type ExpireResult, expireSnapshots } from "./expire";

import { type LakeTarget, prepareLake } from "./prepare";

export interface MaintainOptions extends LakeTarget {
  duck: DuckDBConnection;
  /** Delete replaced files scheduled at least this long ago; undefined: no cleanup. */
  retentionMs?: number;
  /** Expire the snapshots taken at least this long ago (never the latest); undefined: keep them all. */
  expireOlderThanMs?: number;
  targetFileBytes?: number;
  minFiles?: number;
  failpoint?: (name: string) => void;
  /** See prepareLake (default 0). */
  orphanGraceMs?: number;
}

export async function maintainLake(
  o: MaintainOptions,
): Promise<{ compact: CompactResult; expire?: ExpireResult; cleanup?: CleanupResult }> {
  const lake = await prepareLake(o);
  const compact = await compactLake({ ...o, tables: dataTables, lake });
  const expire =
    o.expireOlderThanMs === undefined
      ? undefined
      : await expireSnapshots({
          catalog: o.catalog,
          metaSchema: o.metaSchema,
          olderThanMs: o.expireOlderThanMs,
        });
  const cleanup =
    o.retentionMs === undefined ? undefined : await cleanupOldFiles({ ...o, olderThanMs: o.retentionMs });
  return { compact, ...(expire ? { expire } : {}), ...(cleanup ? { cleanup } : {}) };
}
