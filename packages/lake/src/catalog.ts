/**
 * The DuckLake 1.0 catalog in PostgreSQL, created exactly as the `ducklake` extension creates it (all 28
 * tables in its column order, and the initial snapshot, schema and metadata rows), so DuckDB with the real
 * extension can attach what this project writes. The extension cannot be loaded here; the layout follows the
 * spec and the catalogs the extension wrote (../shared/fixtures/ducklake), which a test compares against.
 */
import { ident } from "@stellar-lake/schema/ident";
import type pg from "pg";

export const SPEC_VERSION = "1.0";

type Col = string; // "name TYPE", TYPE in DuckDB's spelling (BIGINT, VARCHAR, BOOLEAN, UUID, TIMESTAMPTZ)

/** Catalog tables in creation order; `pk` where the spec declares a primary key. */
export const CATALOG_TABLES: readonly { name: string; columns: readonly Col[]; pk?: string }[] = [
  {
    name: "ducklake_metadata",
    columns: ["key VARCHAR NOT NULL", "value VARCHAR NOT NULL", "scope VARCHAR", "scope_id BIGINT"],
  },
  {
    name: "ducklake_snapshot",
    columns: [
      "snapshot_id BIGINT",
      "snapshot_time TIMESTAMPTZ",
      "schema_version BIGINT",
      "next_catalog_id BIGINT",
      "next_file_id BIGINT",
    ],
    pk: "snapshot_id",
  },
  {
    name: "ducklake_snapshot_changes",
    columns: [
      "snapshot_id BIGINT",
      "changes_made VARCHAR",
      "author VARCHAR",
      "commit_message VARCHAR",
      "commit_extra_info VARCHAR",
    ],
    pk: "snapshot_id",
  },
  {
    name: "ducklake_schema",
    columns: [
      "schema_id BIGINT",
      "schema_uuid UUID",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "schema_name VARCHAR",
      "path VARCHAR",
      "path_is_relative BOOLEAN",
    ],
    pk: "schema_id",
  },
  {
    name: "ducklake_table",
    columns: [
      "table_id BIGINT",
      "table_uuid UUID",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "schema_id BIGINT",
      "table_name VARCHAR",
      "path VARCHAR",
      "path_is_relative BOOLEAN",
    ],
  },
  {
    name: "ducklake_view",
    columns: [
      "view_id BIGINT",
      "view_uuid UUID",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "schema_id BIGINT",
      "view_name VARCHAR",
      "dialect VARCHAR",
      "sql VARCHAR",
      "column_aliases VARCHAR",
    ],
  },
  {
    name: "ducklake_tag",
    columns: [
      "object_id BIGINT",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "key VARCHAR",
      "value VARCHAR",
    ],
  },
  {
    name: "ducklake_column_tag",
    columns: [
      "table_id BIGINT",
      "column_id BIGINT",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "key VARCHAR",
      "value VARCHAR",
    ],
  },
  {
    name: "ducklake_data_file",
    columns: [
      "data_file_id BIGINT",
      "table_id BIGINT",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "file_order BIGINT",
      "path VARCHAR",
      "path_is_relative BOOLEAN",
      "file_format VARCHAR",
      "record_count BIGINT",
      "file_size_bytes BIGINT",
      "footer_size BIGINT",
      "row_id_start BIGINT",
      "partition_id BIGINT",
      "encryption_key VARCHAR",
      "mapping_id BIGINT",
      "partial_max BIGINT",
    ],
    pk: "data_file_id",
  },
  {
    name: "ducklake_file_column_stats",
    columns: [
      "data_file_id BIGINT",
      "table_id BIGINT",
      "column_id BIGINT",
      "column_size_bytes BIGINT",
      "value_count BIGINT",
      "null_count BIGINT",
      "min_value VARCHAR",
      "max_value VARCHAR",
      "contains_nan BOOLEAN",
      "extra_stats VARCHAR",
    ],
  },
  {
    name: "ducklake_file_variant_stats",
    columns: [
      "data_file_id BIGINT",
      "table_id BIGINT",
      "column_id BIGINT",
      "variant_path VARCHAR",
      "shredded_type VARCHAR",
      "column_size_bytes BIGINT",
      "value_count BIGINT",
      "null_count BIGINT",
      "min_value VARCHAR",
      "max_value VARCHAR",
      "contains_nan BOOLEAN",
      "extra_stats VARCHAR",
    ],
  },
  {
    name: "ducklake_delete_file",
    columns: [
      "delete_file_id BIGINT",
      "table_id BIGINT",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "data_file_id BIGINT",
      "path VARCHAR",
      "path_is_relative BOOLEAN",
      "format VARCHAR",
      "delete_count BIGINT",
      "file_size_bytes BIGINT",
      "footer_size BIGINT",
      "encryption_key VARCHAR",
      "partial_max BIGINT",
    ],
    pk: "delete_file_id",
  },
  {
    name: "ducklake_column",
    columns: [
      "column_id BIGINT",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
      "table_id BIGINT",
      "column_order BIGINT",
      "column_name VARCHAR",
      "column_type VARCHAR",
      "initial_default VARCHAR",
      "default_value VARCHAR",
      "nulls_allowed BOOLEAN",
      "parent_column BIGINT",
      "default_value_type VARCHAR",
      "default_value_dialect VARCHAR",
    ],
  },
  {
    name: "ducklake_table_stats",
    columns: ["table_id BIGINT", "record_count BIGINT", "next_row_id BIGINT", "file_size_bytes BIGINT"],
  },
  {
    name: "ducklake_table_column_stats",
    columns: [
      "table_id BIGINT",
      "column_id BIGINT",
      "contains_null BOOLEAN",
      "contains_nan BOOLEAN",
      "min_value VARCHAR",
      "max_value VARCHAR",
      "extra_stats VARCHAR",
    ],
  },
  {
    name: "ducklake_partition_info",
    columns: ["partition_id BIGINT", "table_id BIGINT", "begin_snapshot BIGINT", "end_snapshot BIGINT"],
  },
  {
    name: "ducklake_partition_column",
    columns: [
      "partition_id BIGINT",
      "table_id BIGINT",
      "partition_key_index BIGINT",
      "column_id BIGINT",
      "transform VARCHAR",
    ],
  },
  {
    name: "ducklake_file_partition_value",
    columns: [
      "data_file_id BIGINT",
      "table_id BIGINT",
      "partition_key_index BIGINT",
      "partition_value VARCHAR",
    ],
  },
  {
    name: "ducklake_files_scheduled_for_deletion",
    columns: [
      "data_file_id BIGINT",
      "path VARCHAR",
      "path_is_relative BOOLEAN",
      "schedule_start TIMESTAMPTZ",
    ],
  },
  {
    name: "ducklake_inlined_data_tables",
    columns: ["table_id BIGINT", "table_name VARCHAR", "schema_version BIGINT"],
  },
  { name: "ducklake_column_mapping", columns: ["mapping_id BIGINT", "table_id BIGINT", "type VARCHAR"] },
  {
    name: "ducklake_name_mapping",
    columns: [
      "mapping_id BIGINT",
      "column_id BIGINT",
      "source_name VARCHAR",
      "target_field_id BIGINT",
      "parent_column BIGINT",
      "is_partition BOOLEAN",
    ],
  },
  {
    name: "ducklake_schema_versions",
    columns: ["begin_snapshot BIGINT", "schema_version BIGINT", "table_id BIGINT"],
  },
  {
    name: "ducklake_macro",
    columns: [
      "schema_id BIGINT",
      "macro_id BIGINT",
      "macro_name VARCHAR",
      "begin_snapshot BIGINT",
      "end_snapshot BIGINT",
    ],
  },
  {
    name: "ducklake_macro_impl",
    columns: ["macro_id BIGINT", "impl_id BIGINT", "dialect VARCHAR", "sql VARCHAR", "type VARCHAR"],
  },
  {
    name: "ducklake_macro_parameters",
    columns: [
      "macro_id BIGINT",
      "impl_id BIGINT",
      "column_id BIGINT",
      "parameter_name VARCHAR",
      "parameter_type VARCHAR",
      "default_value VARCHAR",
      "default_value_type VARCHAR",
    ],
  },
  {
    name: "ducklake_sort_info",
    columns: ["sort_id BIGINT", "table_id BIGINT", "begin_snapshot BIGINT", "end_snapshot BIGINT"],
  },
  {
    name: "ducklake_sort_expression",
    columns: [
      "sort_id BIGINT",
      "table_id BIGINT",
      "sort_key_index BIGINT",
      "expression VARCHAR",
      "dialect VARCHAR",
      "sort_direction VARCHAR",
      "null_order VARCHAR",
    ],
  },
];

const PG_TYPE: Record<string, string> = {
  BIGINT: "BIGINT",
  VARCHAR: "TEXT",
  BOOLEAN: "BOOLEAN",
  UUID: "UUID",
  TIMESTAMPTZ: "TIMESTAMPTZ",
};

export class CatalogVersionError extends Error {
  override readonly name = "CatalogVersionError";
}

function createSql(schema: string, t: (typeof CATALOG_TABLES)[number]): string {
  const cols = t.columns.map((c) => {
    const [name, type, ...rest] = c.split(" ");
    return `${ident(name!)} ${PG_TYPE[type!]}${rest.length ? ` ${rest.join(" ")}` : ""}`;
  });
  if (t.pk) cols.push(`PRIMARY KEY (${ident(t.pk)})`);
  return `CREATE TABLE ${ident(schema)}.${ident(t.name)} (${cols.join(", ")})`;
}

/**
 * Create the catalog in `schema` when absent (one transaction, serialised by an advisory lock); refuse a catalog
 * of another spec version. `dataPath` must be absolute and end in '/'. Returns whether it was created.
 */
export async function ensureCatalog(
  client: pg.ClientBase,
  opts: { schema: string; dataPath: string; createdBy: string },
): Promise<boolean> {
  if (!opts.dataPath.endsWith("/")) throw new Error(`DuckLake data path must end in '/': ${opts.dataPath}`);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ducklake-catalog:${opts.schema}`]);
    const exists = await client.query("SELECT to_regclass($1) AS t", [
      `${ident(opts.schema)}.ducklake_metadata`,
    ]);
    if (exists.rows[0].t) {
      const v = await client.query(
        `SELECT value FROM ${ident(opts.schema)}.ducklake_metadata WHERE key = 'version' AND scope IS NULL`,
      );
      const version = v.rows[0]?.value;
      if (version !== SPEC_VERSION) {
        throw new CatalogVersionError(
          `DuckLake catalog in schema '${opts.schema}' is at spec version ${version ?? "(none)"}; this writer writes ${SPEC_VERSION} only (migrate the catalog with DuckDB's ducklake extension first)`,
        );
      }
      await client.query("COMMIT");
      return false;
    }
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(opts.schema)}`);
    for (const t of CATALOG_TABLES) await client.query(createSql(opts.schema, t));
    const s = ident(opts.schema);
    await client.query(`INSERT INTO ${s}.ducklake_snapshot VALUES (0, now(), 0, 1, 0)`);
    await client.query(
      `INSERT INTO ${s}.ducklake_snapshot_changes VALUES (0, 'created_schema:"main"', NULL, NULL, NULL)`,
    );
    await client.query(
      `INSERT INTO ${s}.ducklake_metadata (key, value) VALUES ('version', $1), ('created_by', $2), ('data_path', $3), ('encrypted', 'false')`,
      [SPEC_VERSION, opts.createdBy, opts.dataPath],
    );
    await client.query(
      `INSERT INTO ${s}.ducklake_schema VALUES (0, gen_random_uuid(), 0, NULL, 'main', 'main/', true)`,
    );
    await client.query("COMMIT");
    return true;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
