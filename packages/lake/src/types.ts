/**
 * DuckLake column types (`ducklake_column.column_type`) as DuckDB types, spelled as DuckDB's `parquet_schema`
 * and DESCRIBE print them — what a reader casts a file's or the catalog's inlined values to, as the extension
 * casts every column it reads to the column's type.
 */

const SIMPLE: Record<string, string> = {
  boolean: "BOOLEAN",
  int8: "TINYINT",
  int16: "SMALLINT",
  int32: "INTEGER",
  int64: "BIGINT",
  int128: "HUGEINT",
  uint8: "UTINYINT",
  uint16: "USMALLINT",
  uint32: "UINTEGER",
  uint64: "UBIGINT",
  uint128: "UHUGEINT",
  float32: "FLOAT",
  float64: "DOUBLE",
  date: "DATE",
  time: "TIME",
  timetz: "TIME WITH TIME ZONE",
  timestamp: "TIMESTAMP",
  timestamptz: "TIMESTAMP WITH TIME ZONE",
  timestamp_s: "TIMESTAMP_S",
  timestamp_ms: "TIMESTAMP_MS",
  timestamp_ns: "TIMESTAMP_NS",
  interval: "INTERVAL",
  varchar: "VARCHAR",
  blob: "BLOB",
  uuid: "UUID",
  json: "JSON",
};

/** The DuckDB type of a DuckLake type; undefined for nested and other types this reader leaves as stored. */
export function duckdbTypeOf(ducklakeType: string): string | undefined {
  const t = ducklakeType.trim().toLowerCase();
  const dec = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `DECIMAL(${dec[1]},${dec[2]})`;
  return SIMPLE[t];
}
