/**
 * Opening a lake for writing: the DuckLake catalog and the bronze tables, created when missing, once per catalog
 * connection — and on that first call the orphan Parquet files a crashed flush or compaction left are removed.
 */
import { dataTables } from "@stellar-lake/schema";
import type pg from "pg";
import { ensureCatalog } from "./catalog";
import { deleteOrphanFiles } from "./orphans";
import type { LakeStorage } from "./storage";
import { ensureLakeTables, type LakeTable } from "./writer";

/** Which lake: its catalog connection and schemas, its data path and (optionally) its storage. */
export interface LakeTarget {
  catalog: pg.ClientBase;
  metaSchema: string;
  lakeSchema: string;
  /** The data path the catalog records: an absolute local directory or `s3://bucket/prefix/`, ending in '/'. */
  dataPath: string;
  /** Where the Parquet files are (default: `lakeStorage(dataPath)`, S3 settings from the environment). */
  storage?: LakeStorage;
}

// The catalog and the bronze tables are made once per catalog connection, not on every flush.
const prepared = new WeakMap<pg.ClientBase, Map<string, Promise<Map<string, LakeTable>>>>();

/**
 * The catalog and bronze tables (created when missing, once per catalog connection); on that first call also
 * the orphan Parquet files a crashed flush or compaction left are removed (the caller holds the flusher lock).
 */
export function prepareLake(
  o: LakeTarget & {
    /** Only orphans older than this (default 0: the caller holds the flusher lock, nobody else writes). */
    orphanGraceMs?: number;
  },
): Promise<Map<string, LakeTable>> {
  let byTarget = prepared.get(o.catalog);
  if (!byTarget) {
    byTarget = new Map();
    prepared.set(o.catalog, byTarget);
  }
  const key = `${o.metaSchema}\0${o.lakeSchema}\0${o.dataPath}`;
  let p = byTarget.get(key);
  if (!p) {
    p = (async () => {
      await ensureCatalog(o.catalog, {
        schema: o.metaSchema,
        dataPath: o.dataPath,
        createdBy: "stellar-lake",
      });
      const lake = await ensureLakeTables(o.catalog, {
        metaSchema: o.metaSchema,
        lakeSchema: o.lakeSchema,
        tables: dataTables,
      });
      await deleteOrphanFiles({ ...o, olderThanMs: o.orphanGraceMs ?? 0 });
      return lake;
    })();
    const targets = byTarget;
    // A failure (catalog unreachable, no rights yet) is retried by the next flush.
    p.catch(() => targets.delete(key));
    byTarget.set(key, p);
  }
  return p;
}
