/** The lake a backfill writes to: catalog connection, bronze tables, storage, DuckDB. */
import { mkdir } from "node:fs/promises";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  ensureCatalog,
  ensureLakeTables,
  type LakeStorage,
  lakeStorage,
  normalizeDataPath,
} from "@stellar-lake/lake";
import { dataTables } from "@stellar-lake/schema";
import pg from "pg";
import type { LakeTable } from "./lake-types";

export interface LakeContext {
  catalog: pg.Client;
  metaSchema: string;
  lakeSchema: string;
  dataPath: string;
  storage: LakeStorage;
  lake: Map<string, LakeTable>;
  close(): Promise<void>;
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/**
 * Connect to the catalog, creating it (with `dataPath`) and the bronze tables when missing; an existing
 * catalog's own data path wins (the files go where its readers look).
 */
export async function openLake(o: {
  catalogUrl: string;
  metaSchema: string;
  lakeSchema: string;
  dataPath: string;
}): Promise<LakeContext> {
  const catalog = new pg.Client({ connectionString: o.catalogUrl });
  catalog.on("error", () => {});
  await catalog.connect();
  try {
    await ensureCatalog(catalog, {
      schema: o.metaSchema,
      dataPath: normalizeDataPath(o.dataPath),
      createdBy: "stellar-lake",
    });
    const dataPath = String(
      (
        await catalog.query(
          `SELECT value FROM ${ident(o.metaSchema)}.ducklake_metadata WHERE key = 'data_path' AND scope IS NULL`,
        )
      ).rows[0].value,
    );
    const storage = lakeStorage(dataPath);
    if (!storage.remote) await mkdir(dataPath, { recursive: true });
    const lake = await ensureLakeTables(catalog, {
      metaSchema: o.metaSchema,
      lakeSchema: o.lakeSchema,
      tables: dataTables,
    });
    return {
      catalog,
      metaSchema: o.metaSchema,
      lakeSchema: o.lakeSchema,
      dataPath,
      storage,
      lake,
      close: () => catalog.end().catch(() => {}),
    };
  } catch (err) {
    await catalog.end().catch(() => {});
    throw err;
  }
}

/** A DuckDB connection for writing Parquet, within a memory limit (spills to disk beyond it). */
export async function openDuck(memory = "512MB", threads = 1): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(":memory:", { memory_limit: memory, threads: String(threads) });
  return db.connect();
}
