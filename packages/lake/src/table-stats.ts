/**
 * `ducklake_table_column_stats` kept as the extension keeps them: each commit MERGES its new data's column stats
 * into the table's rows (the extension's `DuckLakeColumnStats::MergeStats`, src/storage/ducklake_stats.cpp) —
 * never rebuilt from the data files, which would drop what other writers counted there (rows the extension
 * inlined in the catalog) and answer `max(x)` or `WHERE x = …` from wrong bounds. Its rules:
 * - contains_null: OR; contains_nan: OR while both sides know it, else unknown (NULL);
 * - min/max widen, compared as the column's type (numbers numerically, text byte-wise; DuckDB's fixed timestamp
 *   format compares byte-wise too); a side without a bound makes it unknown;
 * - new data that is all NULL leaves the bounds; a row whose bounds are unknown (NULL) on a table that already had
 *   rows stays unknown ("absent bounds on nonempty tables are unknown"), on an empty table it takes the new ones.
 */
import type pg from "pg";

/** One column's stats of the data a commit adds (a file's, or several files' merged). */
export interface ColumnStatsDelta {
  min: string | null;
  max: string | null;
  nullCount: number;
  /** Non-NULL values (the extension's value_count). */
  valueCount: number;
  /** null: unknown (the writer's stats say nothing about NaN, as for non-float columns). */
  containsNan: boolean | null;
}

const INTEGER = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "int128",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "uint128",
]);
const FLOAT = new Set(["float32", "float64"]);

/** a < b for two stats strings of a column of DuckLake type `type`. */
export function statsLess(type: string, a: string, b: string): boolean {
  if (INTEGER.has(type)) return BigInt(a) < BigInt(b);
  if (FLOAT.has(type) || type.startsWith("decimal")) return Number(a) < Number(b);
  if (type === "boolean") {
    const v = (x: string) => (x === "true" || x === "1" ? 1 : 0);
    return v(a) < v(b);
  }
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
}

interface TableColumnStats {
  containsNull: boolean | null;
  containsNan: boolean | null;
  min: string | null;
  max: string | null;
}

/** MergeStats of one column: `cur` (undefined: no row yet) with `add`; `hadRows`: the table had rows before. */
export function mergeColumnStats(
  type: string,
  cur: TableColumnStats | undefined,
  add: ColumnStatsDelta,
  hadRows: boolean,
): TableColumnStats {
  if (!cur) {
    return { containsNull: add.nullCount > 0, containsNan: add.containsNan, min: add.min, max: add.max };
  }
  const out: TableColumnStats = {
    containsNull: cur.containsNull === null ? null : cur.containsNull || add.nullCount > 0,
    containsNan:
      cur.containsNan === null || add.containsNan === null ? null : cur.containsNan || add.containsNan,
    min: cur.min,
    max: cur.max,
  };
  const addValid = add.min !== null || add.max !== null;
  if (!addValid) return out; // all NULL: bounds unchanged
  const curValid = cur.min !== null || cur.max !== null;
  if (!curValid) {
    if (hadRows) return out; // unknown bounds stay unknown
    return { ...out, min: add.min, max: add.max };
  }
  out.min =
    add.min === null || out.min === null ? null : statsLess(type, add.min, out.min) ? add.min : out.min;
  out.max =
    add.max === null || out.max === null ? null : statsLess(type, out.max, add.max) ? add.max : out.max;
  return out;
}

/**
 * Merge the column stats of the data one commit adds into the tables' `ducklake_table_column_stats` rows (in the
 * writing transaction; three statements whatever the number of tables). Per table id: `adds` in commit order
 * (several files of one table merge one after another) and `hadRows`, whether its record_count was above 0
 * before this commit.
 */
export async function mergeTableColumnStats(
  client: pg.ClientBase,
  s: string,
  tables: ReadonlyMap<number, { adds: readonly ReadonlyMap<number, ColumnStatsDelta>[]; hadRows: boolean }>,
): Promise<void> {
  const ids = [...tables.keys()];
  if (ids.length === 0) return;
  const key = (t: number, c: number) => `${t}:${c}`;
  const types = new Map(
    (
      await client.query(
        `SELECT table_id, column_id, column_type FROM ${s}.ducklake_column WHERE table_id = ANY($1::bigint[]) AND end_snapshot IS NULL`,
        [ids],
      )
    ).rows.map((r) => [key(Number(r.table_id), Number(r.column_id)), String(r.column_type)]),
  );
  const rows = new Map<string, TableColumnStats>(
    (
      await client.query(
        `SELECT table_id, column_id, contains_null, contains_nan, min_value, max_value
         FROM ${s}.ducklake_table_column_stats WHERE table_id = ANY($1::bigint[])`,
        [ids],
      )
    ).rows.map((r) => [
      key(Number(r.table_id), Number(r.column_id)),
      { containsNull: r.contains_null, containsNan: r.contains_nan, min: r.min_value, max: r.max_value },
    ]),
  );
  const touched: [number, number][] = [];
  for (const [t, { adds, hadRows }] of tables) {
    let had = hadRows;
    const seen = new Set<number>();
    for (const add of adds) {
      for (const [c, delta] of add) {
        const k = key(t, c);
        rows.set(k, mergeColumnStats(types.get(k) ?? "varchar", rows.get(k), delta, had));
        if (!seen.has(c)) touched.push([t, c]);
        seen.add(c);
      }
      had = true;
    }
  }
  if (touched.length === 0) return;
  const pick = <T>(f: (r: TableColumnStats) => T) => touched.map(([t, c]) => f(rows.get(key(t, c))!));
  // The touched rows replaced in one statement (extra_stats is not written by this writer).
  await client.query(
    `WITH gone AS (
       DELETE FROM ${s}.ducklake_table_column_stats d USING unnest($1::bigint[], $2::bigint[]) AS g(t, c)
       WHERE d.table_id = g.t AND d.column_id = g.c)
     INSERT INTO ${s}.ducklake_table_column_stats (table_id, column_id, contains_null, contains_nan, min_value, max_value, extra_stats)
     SELECT t, c, cn, cnan, mn, mx, NULL
     FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::boolean[], $5::text[], $6::text[]) AS u(t, c, cn, cnan, mn, mx)`,
    [
      touched.map(([t]) => t),
      touched.map(([, c]) => c),
      pick((r) => r.containsNull),
      pick((r) => r.containsNan),
      pick((r) => r.min),
      pick((r) => r.max),
    ],
  );
}
