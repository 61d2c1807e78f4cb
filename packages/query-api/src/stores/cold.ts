/**
 * The cold store: the DuckLake catalog (PostgreSQL) says which snapshot is current, what the flushed watermark W
 * is (the flush-state contract in `commit_extra_info`) and which Parquet files hold a table; DuckDB, in-process
 * with a small connection pool, reads the files. A snapshot is immutable, so its file lists and each file's
 * field-id mapping are cached; a request costs one catalog round trip plus the DuckDB scan of the files whose
 * sequence stats overlap the requested range.
 */
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from "@duckdb/node-api";
import {
  type CatalogSource,
  flushStates,
  inlinedRowsSelect,
  type KeyFilter,
  keyFilterColumns,
  type LakeFile,
  LakeReadError,
  type LakeStorage,
  LakeUnsupportedError,
  lakeFileSelect,
  lakeStorage,
  lakeTableFiles,
  latestSnapshotAndInfosSql,
  mayContain,
  type PinnedFile,
  parseFlushState,
  pgCatalog,
  readKeyFilters,
} from "@stellar-lake/lake";
import pg from "pg";
import { isConnectionError, StoreUnavailableError } from "../errors";
import type { Resource } from "../tables";
import { warmPool } from "./hot";
import { SharedRead } from "./shared-read";

/** Recent snapshots' extra info read with the snapshot id (enough to skip a few written by other tools). */
const RECENT = 8;

// The state query's extra-info array stays PostgreSQL's array text until it differs from the last one read.
const TEXT_ARRAY = pg.types.getTypeParser(1009 as Parameters<typeof pg.types.getTypeParser>[0], "text"); // text[]
const RAW_ARRAYS = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 1009 || oid === 1015) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface ColdState {
  /** The DuckLake snapshot read; null when there is no catalog (or nothing written) yet. */
  snapshot: number | null;
  /** Highest ledger in cold storage (null: nothing flushed): cold owns ledgers ≤ W, hot the rest. */
  watermark: bigint | null;
}

export interface ColdTable {
  snapshot: number;
  tableId: string;
  columns: { id: string; name: string }[];
  files: LakeFile[];
  /** A SELECT of the table's rows inlined in the catalog (by the extension), to UNION with the files'; none: unset. */
  inlined?: string;
  /** Set for a remote data path (s3://): files are read through its local cache. */
  storage?: LakeStorage;
}

export interface ColdStoreOptions {
  catalogUrl: string;
  metaSchema?: string;
  lakeSchema?: string;
  /** Overrides the catalog's data_path (the API mounts the lake elsewhere than the flusher). */
  dataPath?: string;
  /** The storage of a remote (s3://) data path (default: `lakeStorage` with settings from process.env). */
  storageFor?: (dataPath: string) => LakeStorage;
  connections?: number;
  /** Catalog connections (default 5). */
  catalogConnections?: number;
  /** Catalog connections kept open while idle, opened by `warm()` (default 0). */
  catalogMin?: number;
  /** DuckDB threads for the whole process. */
  threads?: number;
  /** DuckDB memory limit (e.g. `512MB`). */
  memoryLimit?: string;
}

/** Prepared statements kept per DuckDB connection (least recently used dropped first). */
const PREPARED_PER_CONNECTION = 32;

/** A bounded pool of DuckDB connections on one in-process database. */
class DuckPool {
  private readonly idle: DuckDBConnection[] = [];
  /**
   * Each connection's prepared statements by SQL text. A statement's text is fixed by the snapshot's files and the
   * request's shape and repeats request after request (only its parameters vary): parsing and planning a
   * UNION over ten field-id mapped file selects took longer on the event loop than running it.
   */
  private readonly prepared = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private constructor(readonly instance: DuckDBInstance) {}

  static async open(size: number, threads: number, memoryLimit: string): Promise<DuckPool> {
    // DuckDB's buffer pool defaults to 80% of RAM; an API replica gets a fixed budget.
    const instance = await DuckDBInstance.create(":memory:", {
      threads: String(threads),
      memory_limit: memoryLimit,
    });
    // Timestamps are read as text (`2020-07-13 08:47:40+00`), exactly as the hot store spells them; DuckDB's
    // ICU would otherwise print them in the process's time zone. (ICU loads on first use, so not a create option.)
    const setup = await instance.connect();
    await setup.run("SET GLOBAL TimeZone = 'UTC'");
    setup.closeSync();
    const p = new DuckPool(instance);
    for (let i = 0; i < size; i++) p.idle.push(await instance.connect());
    return p;
  }

  async use<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = this.idle.pop() ?? (await new Promise<DuckDBConnection>((r) => this.waiting.push(r)));
    try {
      return await fn(c);
    } finally {
      const next = this.waiting.shift();
      if (next) next(c);
      else this.idle.push(c);
    }
  }

  /** `sql` prepared on `c` (cached; the caller holds `c`, so no one else uses the statement meanwhile). */
  async statement(c: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
    let byText = this.prepared.get(c);
    if (!byText) {
      byText = new Map();
      this.prepared.set(c, byText);
    }
    let st = byText.get(sql);
    if (st) {
      byText.delete(sql);
      byText.set(sql, st);
      return st;
    }
    st = await c.prepare(sql);
    byText.set(sql, st);
    if (byText.size > PREPARED_PER_CONNECTION) {
      const [oldest, old] = byText.entries().next().value!;
      byText.delete(oldest);
      old.destroySync();
    }
    return st;
  }

  /** Drops `sql`'s statement on `c` (after it failed: the next request prepares it afresh). */
  forget(c: DuckDBConnection, sql: string): void {
    const st = this.prepared.get(c)?.get(sql);
    if (!st) return;
    this.prepared.get(c)!.delete(sql);
    st.destroySync();
  }

  close(): void {
    for (const c of this.idle) c.closeSync();
    this.instance.closeSync();
  }
}

export class ColdStore {
  readonly catalogPool: pg.Pool;
  readonly metaSchema: string;
  readonly lakeSchema: string;
  private readonly catalog: CatalogSource;
  private duck?: DuckPool;
  private readonly opening: Promise<DuckPool>;
  private readonly tables = new Map<string, Promise<ColdTable>>();
  private readonly selects = new Map<string, Promise<string>>();
  private readonly storages = new Map<string, LakeStorage>();

  constructor(private readonly o: ColdStoreOptions) {
    this.metaSchema = o.metaSchema ?? "bronze_meta";
    this.lakeSchema = o.lakeSchema ?? "bronze";
    const max = o.catalogConnections ?? 5;
    this.catalogPool = new pg.Pool({
      connectionString: o.catalogUrl,
      max,
      min: Math.min(o.catalogMin ?? 0, max),
      application_name: "stellar-lake-query-api",
      connectionTimeoutMillis: 5_000,
    });
    this.catalogPool.on("error", () => {});
    this.catalog = pgCatalog(this.catalogPool, this.metaSchema);
    this.opening = DuckPool.open(o.connections ?? 4, o.threads ?? 2, o.memoryLimit ?? "512MB").then((p) => {
      this.duck = p;
      return p;
    });
  }

  private async catalogQuery(
    sql: string,
    params: unknown[] = [],
    types?: pg.CustomTypesConfig,
  ): Promise<Record<string, unknown>[]> {
    try {
      return (await this.catalogPool.query({ text: sql, values: params, ...(types ? { types } : {}) })).rows;
    } catch (err) {
      if (isConnectionError(err)) throw new StoreUnavailableError("cold-catalog", (err as Error).message);
      throw err;
    }
  }

  /** The last state read's extra-info array as the catalog sent it, and the watermark found in it. */
  private infosSeen: { text: string; watermark: bigint | null | undefined } | undefined;

  /** The watermark the latest `state()` read (undefined before the first): a hint, never an answer. */
  lastWatermark: bigint | null | undefined;

  /**
   * The current snapshot and the watermark W it carries, read in ONE catalog statement so both belong to the same
   * commit (a W newer than the snapshot would leave a gap). W comes from the newest snapshot with a flush state
   * (flushes and compactions write one; other writers' snapshots without it are skipped).
   */
  state(): Promise<ColdState> {
    return this.stateReads.get();
  }

  /** Concurrent requests share one state read, each a read that starts after it asked (see `SharedRead`). */
  private readonly stateReads = new SharedRead(async () => {
    const st = await this.readState();
    this.lastWatermark = st.watermark;
    return st;
  });

  private async readState(): Promise<ColdState> {
    const t = this.catalog.t;
    let rows: Record<string, unknown>[];
    try {
      rows = await this.catalogQuery(latestSnapshotAndInfosSql(t, RECENT), [], RAW_ARRAYS);
    } catch (err) {
      // No catalog yet (nothing flushed, or the flusher has not started): everything is hot.
      const code = (err as { code?: string }).code;
      if (code === "42P01" || code === "3F000") return { snapshot: null, watermark: null };
      throw err;
    }
    const r = rows[0]!;
    const snapshot = r.snapshot === null ? null : Number(r.snapshot);
    // Every request reads the same few extra infos until the next flush commits: parse them once per change.
    const text = (r.infos ?? "{}") as string;
    let seen = this.infosSeen;
    if (seen?.text !== text) {
      const infos = TEXT_ARRAY(text) as unknown[];
      let watermark: bigint | null | undefined;
      for (const info of infos) {
        const st = parseFlushState(info);
        if (st) {
          watermark = BigInt(st.watermark);
          break;
        }
      }
      // undefined: none of them carries a flush state (a full list means older snapshots may).
      if (watermark === undefined && infos.length < RECENT) watermark = null;
      seen = { text, watermark };
      this.infosSeen = seen;
    }
    if (seen.watermark !== undefined) return { snapshot, watermark: seen.watermark };
    if (snapshot === null) return { snapshot, watermark: null };
    // Many recent snapshots by other writers: page back, never past the snapshot read above.
    try {
      const older = await flushStates(this.catalogPool, this.metaSchema, { limit: 1, before: snapshot + 1 });
      return { snapshot, watermark: older[0] ? BigInt(older[0].watermark) : null };
    } catch (err) {
      if (isConnectionError(err)) throw new StoreUnavailableError("cold-catalog", (err as Error).message);
      throw err;
    }
  }

  /** The table's live columns and files at `snapshot` (cached: snapshots are immutable). */
  table(res: Resource, snapshot: number): Promise<ColdTable> {
    const key = `${res.table.name}@${snapshot}`;
    let p = this.tables.get(key);
    if (!p) {
      p = lakeTableFiles(this.catalog, {
        schema: this.lakeSchema,
        table: res.table.name,
        snapshot,
        statsColumn: res.seq,
        ...(this.o.dataPath ? { dataPath: this.o.dataPath } : {}),
      })
        .then(async (r): Promise<ColdTable> => {
          const storage = this.storageOf(r.dataPath);
          // Rows another writer (DuckDB's ducklake extension) keeps inlined in the catalog: served with the files'.
          const inlined = await inlinedRowsSelect(this.catalog, {
            tableId: r.tableId,
            snapshot: r.snapshot,
            columns: r.columns,
            table: res.table.name,
          }).catch((err: unknown) => {
            if (isConnectionError(err)) throw err;
            throw new StoreUnavailableError("cold-data", (err as Error).message);
          });
          return {
            snapshot: r.snapshot,
            tableId: r.tableId,
            columns: r.columns,
            files: r.files,
            ...(inlined !== null ? { inlined } : {}),
            ...(storage ? { storage } : {}),
          };
        })
        .catch((err: unknown) => {
          this.tables.delete(key);
          // A lake feature the reader refuses (deletion vectors) is a 503 naming it, never an empty table.
          if (err instanceof LakeUnsupportedError) throw new StoreUnavailableError("cold-data", err.message);
          if (err instanceof LakeReadError) return { snapshot, tableId: "", columns: [], files: [] };
          if (isConnectionError(err)) throw new StoreUnavailableError("cold-catalog", (err as Error).message);
          throw err;
        });
      this.tables.set(key, p);
      // Old snapshots are not asked for again once a newer one exists; keep the cache small.
      if (this.tables.size > 200) this.tables.delete(this.tables.keys().next().value!);
    }
    return p;
  }

  /** Key filters by table, column and data file id (null: the file has none); a file's filter never changes. */
  private readonly filters = new Map<string, Map<string, KeyFilter | null>>();

  /**
   * The files of `t` that may hold rows with `column` equal to one of `values`: all of them unless the column has
   * key filters (`keyFilterColumns`), else those whose filter may contain a value and those without a filter.
   */
  async filesWith(
    res: Resource,
    t: ColdTable,
    files: LakeFile[],
    column: string,
    values: readonly string[],
  ): Promise<LakeFile[]> {
    if (!keyFilterColumns(res.table).includes(column) || files.length === 0) return files;
    const columnId = t.columns.find((c) => c.name === column)?.id;
    if (columnId === undefined) return files;
    const key = `${t.tableId}:${columnId}`;
    let cache = this.filters.get(key);
    if (!cache) {
      cache = new Map();
      this.filters.set(key, cache);
    }
    const missing = files.filter((f) => !cache.has(f.id)).map((f) => f.id);
    if (missing.length > 0) {
      let got: Map<string, KeyFilter>;
      try {
        got = await readKeyFilters(this.catalog, t.tableId, columnId, missing);
      } catch (err) {
        if (isConnectionError(err)) throw new StoreUnavailableError("cold-catalog", (err as Error).message);
        throw err;
      }
      for (const id of missing) cache.set(id, got.get(id) ?? null);
    }
    return files.filter((f) => {
      const kf = cache.get(f.id);
      return !kf || values.some((v) => mayContain(kf, v));
    });
  }

  /** One storage per remote data path (its cache shared by every request); undefined for a local one. */
  private storageOf(dataPath: string): LakeStorage | undefined {
    if (!dataPath.startsWith("s3://")) return undefined;
    let s = this.storages.get(dataPath);
    if (!s) {
      s = (this.o.storageFor ?? ((p: string) => lakeStorage(p)))(dataPath);
      this.storages.set(dataPath, s);
    }
    return s;
  }

  /**
   * The field-id mapped SELECT of one file (cached by path and column set). For a remote lake the file (and its
   * delete files) are fetched into the local cache and pinned on every call — the cached SELECT names the cache's
   * stable local paths — and the pins are added to `pins`, for the caller to release once its query has run
   * (without `pins` they are released at once).
   */
  async fileSelect(res: Resource, t: ColdTable, f: LakeFile, pins?: PinnedFile[]): Promise<string> {
    if (t.storage) {
      for (const [p, what] of [
        [f.path, "data file"],
        ...f.deletePaths.map((d) => [d, "delete file"] as const),
      ] as const) {
        let pin: PinnedFile;
        try {
          pin = await t.storage.pin(p);
        } catch (err) {
          throw new StoreUnavailableError(
            "cold-data",
            `cannot read ${what} ${p} of table '${res.table.name}': ${(err as Error).message}`,
          );
        }
        if (pins) pins.push(pin);
        else await pin.release();
      }
    }
    // A partial file's SELECT depends on the snapshot it is read at (its row filters, the inlined deletes up to it),
    // so those are in the key too.
    const key = `${f.path}\0${f.deletePaths.join("\0")}\0${t.columns.map((c) => `${c.id}:${c.name}`).join(",")}\0${f.snapshotFilter ?? ""}:${f.deleteSnapshotFilter ?? ""}:${f.maxRowCount ?? ""}:${f.inlinedDeletes?.join(",") ?? ""}`;
    let p = this.selects.get(key);
    if (!p) {
      p = this.withDuck((d) => lakeFileSelect(d, res.table.name, t.columns, f, t.storage)).catch(
        (err: unknown) => {
          this.selects.delete(key);
          throw err instanceof LakeReadError ? new StoreUnavailableError("cold-data", err.message) : err;
        },
      );
      this.selects.set(key, p);
      if (this.selects.size > 20_000) this.selects.delete(this.selects.keys().next().value!);
    }
    return p;
  }

  /** The DuckDB pool, or the promise of it while it opens. */
  private duckPool(): DuckPool | Promise<DuckPool> {
    return this.duck ?? this.opening;
  }

  async withDuck<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return (await this.duckPool()).use(fn);
  }

  /**
   * Runs a parameterised statement on the lake's files (prepared once per connection); rows as arrays in
   * select-list order. A missing or unreadable file is a 503 naming it.
   */
  async query(sql: string, params: readonly string[]): Promise<(string | number | boolean | null)[][]> {
    try {
      const pool = await this.duckPool();
      return await pool.use(async (d) => {
        const st = await pool.statement(d, sql);
        try {
          st.bind(params as string[]);
          const r = await st.runAndReadAll();
          return r.getRowsJS() as (string | number | boolean | null)[][];
        } catch (err) {
          pool.forget(d, sql);
          throw err;
        }
      });
    } catch (err) {
      const msg = (err as Error).message;
      if (/No files found|Cannot open file|No such file|could not open|IO Error/i.test(msg))
        throw new StoreUnavailableError("cold-data", msg);
      throw err;
    }
  }

  /** Opens the catalog pool's `catalogMin` connections and the DuckDB pool (best effort, like `HotStore.warm`). */
  async warm(): Promise<void> {
    await Promise.all([warmPool(this.catalogPool), this.opening.catch(() => {})]);
  }

  async ping(): Promise<void> {
    await this.catalogQuery("SELECT 1");
  }

  async close(): Promise<void> {
    (await this.duckPool()).close();
    await this.catalogPool.end();
  }
}
