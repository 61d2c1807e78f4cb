/**
 * Shared pieces of the conformance tests: a bronze-shaped table the project writes, the project's flush of rows
 * into it (the flusher's writer: Parquet + one catalog snapshot), and the expected rows per snapshot compared with
 * what the project's reader returns at every snapshot.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableDef } from "@stellar-lake/schema";
import type pg from "pg";
import { expect } from "vitest";
import {
  commitFiles,
  type LakeTable,
  pgCatalog,
  readLakeTable,
  writeParquetFromQuery,
} from "../../src/index";

/** A ledgers-like table: NOT NULL columns as the catalog declares them, two nullable ones. */
export const ledgers = {
  name: "ledgers",
  kind: "stream",
  sequenceColumn: "sequence",
  key: ["sequence"],
  keyNote: "",
  unlogged: true,
  since: "0001",
  columns: [
    { name: "sequence", pg: "BIGINT", nullable: false, since: "0001" },
    { name: "hash", pg: "TEXT", nullable: false, since: "0001" },
    { name: "closed_at", pg: "TIMESTAMPTZ", nullable: false, since: "0001" },
    { name: "tx_count", pg: "INTEGER", nullable: false, since: "0001" },
    { name: "note", pg: "TEXT", nullable: true, since: "0001" },
    { name: "ok", pg: "BOOLEAN", nullable: true, since: "0001" },
  ],
} as unknown as TableDef;

export interface Row {
  sequence: number;
  hash: string;
  closed_at: string;
  tx_count: number;
  note: string | null;
  ok: boolean | null;
}

export const row = (sequence: number, over: Partial<Row> = {}): Row => ({
  sequence,
  hash: `h${sequence}`,
  closed_at: `2024-01-01 00:${String(Math.floor(sequence / 60) % 60).padStart(2, "0")}:${String(sequence % 60).padStart(2, "0")}+00`,
  tx_count: sequence % 7,
  note: sequence % 3 === 0 ? null : `note ${sequence}`,
  ok: sequence % 4 === 0 ? null : sequence % 2 === 0,
  ...over,
});

const lit = (v: unknown) =>
  v === null ? "NULL" : typeof v === "string" ? `'${v.replaceAll("'", "''")}'` : String(v);

/** The rows as a DuckDB SELECT with the table's columns by name. */
export function valuesSelect(rows: readonly Row[]): string {
  return `SELECT * FROM (VALUES ${rows
    .map(
      (r) =>
        `(${r.sequence}, ${lit(r.hash)}, ${lit(r.closed_at)}, ${r.tx_count}, ${lit(r.note)}, ${lit(r.ok)})`,
    )
    .join(", ")}) AS v(sequence, hash, closed_at, tx_count, note, ok)`;
}

/** The project's flush of `rows` into the table: one Parquet file, one snapshot. */
export async function projectFlush(
  c: pg.ClientBase,
  duck: DuckDBConnection,
  o: { meta: string; dataPath: string; lake: LakeTable; rows: readonly Row[]; table?: TableDef },
): Promise<number> {
  const file = await writeParquetFromQuery(duck, {
    dataPath: o.dataPath,
    lakeSchema: "main",
    table: o.table ?? ledgers,
    lake: o.lake,
    select: valuesSelect(o.rows),
  });
  await c.query("BEGIN");
  try {
    const S = await commitFiles(c, {
      metaSchema: o.meta,
      files: [file],
      commitExtraInfo: {},
      message: "flush",
    });
    await c.query("COMMIT");
    return S;
  } catch (err) {
    await c.query("ROLLBACK");
    throw err;
  }
}

/** A row as read (DuckDB's JSON values) or as expected, in one comparable form. */
export function canonical(r: object): string {
  const o = r as Record<string, unknown>;
  const ts = (v: unknown) =>
    v === null || v === undefined
      ? "∅"
      : new Date(String(v).replace(" ", "T").replace(/\+00$/, "Z")).toISOString();
  const s = (v: unknown) => (v === null || v === undefined ? "∅" : String(v));
  // A renamed column (note → remark) keeps its values: compared under either name.
  const note = "note" in o ? o.note : o.remark;
  return [s(o.sequence), s(o.hash), ts(o.closed_at), s(o.tx_count), s(note), s(o.ok)].join("|");
}

/** Expected visible rows per snapshot, kept as the scenario runs. */
export class Expected {
  readonly at = new Map<number, string[]>();
  readonly rows = new Map<number, Row>();
  record(snapshot: number): number {
    this.at.set(snapshot, [...this.rows.values()].map(canonical).sort());
    return snapshot;
  }
  /** A snapshot that changes no rows (compaction, a schema change) sees what the one before it saw. */
  same(snapshot: number): number {
    return this.record(snapshot);
  }
}

/** The reader's rows of `table` at every recorded snapshot equal the expected ones. */
export async function expectEverySnapshot(
  c: pg.ClientBase,
  duck: DuckDBConnection,
  o: { meta: string; table: string; expected: Expected; skip?: ReadonlySet<number> },
): Promise<number> {
  const cat = pgCatalog(c, o.meta);
  let checked = 0;
  for (const [snapshot, want] of o.expected.at) {
    if (o.skip?.has(snapshot)) continue;
    const got = await readLakeTable(cat, duck, { table: o.table, snapshot });
    expect({ snapshot, rows: got.rows.map(canonical).sort() }).toEqual({ snapshot, rows: want });
    checked++;
  }
  return checked;
}
