/**
 * Every data table as a DuckDB view over ONE consistent snapshot of hot + cold, with the query API's merge rule:
 * the hot buffer's REPEATABLE READ snapshot is taken first, then the newest flush state (its DuckLake snapshot and
 * watermark W) is read — the flusher commits the catalog before deleting hot rows, so every ledger ≤ W is in cold
 * at that snapshot and every ledger > W in the hot snapshot. A view is the cold files' rows ≤ W (the lake
 * package's reader: files, field-id mapping, delete files, partial files) followed by the hot rows > W, copied into
 * a DuckDB temporary table with the bronze column types. Nothing is written to either store.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { lakeFileSelect, lakeStorage, lakeTableFiles, latestFlushState, pgCatalog } from "@stellar-lake/lake";
import { type ColumnDef, dataTables, type PgType, type TableDef } from "@stellar-lake/schema";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";

const DUCK_TYPE: Record<PgType, string> = {
  BIGINT: "BIGINT",
  INTEGER: "INTEGER",
  TEXT: "VARCHAR",
  BOOLEAN: "BOOLEAN",
  TIMESTAMPTZ: "TIMESTAMPTZ",
};

export const duckType = (c: ColumnDef) => DUCK_TYPE[c.pg];

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
const str = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface LakeViewsOptions {
  hotUrl: string;
  /** Absent: the hot buffer alone. */
  catalogUrl?: string;
  metaSchema?: string;
  lakeSchema?: string;
  /** Overrides the catalog's data path. */
  dataPath?: string;
  /** Only these tables get views (default: every data table). */
  tables?: readonly TableDef[];
  /** DuckDB memory limit (default 1GB). */
  memoryLimit?: string;
}

export interface LakeViews {
  duck: DuckDBConnection;
  /** The DuckLake snapshot read (null: nothing flushed) and the watermark W (null: everything is hot). */
  snapshot: number | null;
  watermark: number | null;
  tables: readonly TableDef[];
  /** Hot rows copied per table (those > W). */
  hotRows: Record<string, number>;
  close(): Promise<void>;
}

/** The tables a statement names (a word match on the table names), so only those are copied from hot. */
export function tablesNamedIn(sql: string): TableDef[] {
  const words = new Set(sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  return dataTables.filter((t) => words.has(t.name));
}

/** A CSV copy of the hot rows of `t` above W (NULL unquoted and empty, empty text quoted). */
async function copyHot(client: pg.PoolClient, t: TableDef, w: number | null, file: string): Promise<void> {
  const seq = t.sequenceColumn!;
  // Booleans as true/false (CSV would say t/f).
  const cols = t.columns
    .map((c) => (c.pg === "BOOLEAN" ? `${ident(c.name)}::text AS ${ident(c.name)}` : ident(c.name)))
    .join(", ");
  const where = w === null ? "" : ` WHERE ${ident(seq)} > ${Math.trunc(w)}`;
  const stream = client.query(
    copyTo(
      `COPY (SELECT ${cols} FROM public.${ident(t.name)}${where}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)`,
    ),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  await writeFile(file, Buffer.concat(chunks));
}

export async function openLakeViews(o: LakeViewsOptions): Promise<LakeViews> {
  const tables = o.tables ?? dataTables;
  const metaSchema = o.metaSchema ?? "bronze_meta";
  const instance = await DuckDBInstance.create(":memory:", { memory_limit: o.memoryLimit ?? "1GB" });
  const duck = await instance.connect();
  await duck.run("SET TimeZone = 'UTC'");
  const dir = await mkdtemp(join(tmpdir(), "lake-views-"));
  const hot = new pg.Pool({ connectionString: o.hotUrl, max: 1, application_name: "stellar-lake-sql" });
  hot.on("error", () => {});
  const catalog = o.catalogUrl
    ? new pg.Pool({ connectionString: o.catalogUrl, max: 2, application_name: "stellar-lake-sql" })
    : undefined;
  catalog?.on("error", () => {});
  const client = await hot.connect();
  const hotRows: Record<string, number> = {};
  let snapshot: number | null = null;
  let watermark: number | null = null;
  try {
    // The hot snapshot first (its first statement fixes it), then the cold state.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await client.query("SET LOCAL TimeZone = 'UTC'");
    await client.query("SELECT 1 FROM public.ledgers_row_v2 LIMIT 1");
    const state = catalog ? await latestFlushState(catalog, metaSchema) : undefined;
    if (state) {
      snapshot = state.snapshotId;
      watermark = state.watermark;
    }
    const cat = catalog ? pgCatalog(catalog, metaSchema) : undefined;
    for (const t of tables) {
      const seq = t.sequenceColumn!;
      const typed = t.columns.map((c) => `${ident(c.name)} ${duckType(c)}`).join(", ");
      // Hot rows > W, typed as bronze.
      const file = join(dir, `${t.name}.csv`);
      await copyHot(client, t, watermark, file);
      const types = `{${t.columns.map((c) => `${str(c.name)}: ${str(duckType(c))}`).join(", ")}}`;
      await duck.run(
        `CREATE TEMP TABLE ${ident(`hot_${t.name}`)} (${typed});
         INSERT INTO ${ident(`hot_${t.name}`)} SELECT * FROM read_csv(${str(file)}, header = false,
           columns = ${types}, allow_quoted_nulls = false, quote = '"', escape = '"', auto_detect = false)`,
      );
      hotRows[t.name] = Number(
        (await duck.runAndReadAll(`SELECT count(*) FROM ${ident(`hot_${t.name}`)}`)).getRows()[0]![0],
      );
      await rm(file, { force: true });
      // Cold rows ≤ W from the files live at the flush state's snapshot.
      const cols = t.columns.map((c) => ident(c.name)).join(", ");
      const parts: string[] = [];
      if (cat && snapshot !== null && watermark !== null) {
        const files = await lakeTableFiles(cat, {
          schema: o.lakeSchema ?? "bronze",
          table: t.name,
          snapshot,
          ...(o.dataPath ? { dataPath: o.dataPath } : {}),
        }).catch((err: Error) => {
          // A table the lake does not have yet (created by a later flush) has no cold rows.
          if (/no table/.test(err.message)) return undefined;
          throw err;
        });
        if (files) {
          const storage = files.dataPath.startsWith("s3://") ? lakeStorage(files.dataPath) : undefined;
          for (const f of files.files) {
            const select = await lakeFileSelect(duck, t.name, files.columns, f, storage);
            parts.push(
              `SELECT ${t.columns.map((c) => `CAST(${ident(c.name)} AS ${duckType(c)}) AS ${ident(c.name)}`).join(", ")} FROM (${select}) WHERE ${ident(seq)} <= ${Math.trunc(watermark)}`,
            );
          }
        }
      }
      parts.push(`SELECT ${cols} FROM ${ident(`hot_${t.name}`)}`);
      await duck.run(`CREATE TEMP VIEW ${ident(t.name)} AS ${parts.join(" UNION ALL ")}`);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
    await hot.end();
    await catalog?.end();
    duck.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  client.release();
  await hot.end();
  await catalog?.end();
  return {
    duck,
    snapshot,
    watermark,
    tables,
    hotRows,
    async close() {
      duck.closeSync();
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
