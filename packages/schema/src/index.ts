export {
  allTables,
  columnNames,
  dataTableNames,
  dataTables,
  dataTablesAsOf,
  ledgerRangeOf,
  metaTables,
  STATE_SCHEMA,
  stateTables,
  table,
  tables,
} from "./catalog";
export type { ColumnDef, DatasetInfo, PgType, TableDef, TableKind } from "./catalog-dsl";
export {
  checkConnection,
  DatabaseConnectionError,
  describeConnectionError,
  type PgTarget,
  pgTarget,
  redactUrl,
} from "./connection";
export {
  CopyEncodingError,
  type CopyPayload,
  copyStatement,
  encodeLedgerCopy,
  encodeRows,
  type RowStamp,
  stampedAtWrite,
  stampRows,
} from "./copy-text";
export {
  allFlushIndexes,
  createTableSql,
  flushIndexes,
  helperFunctionSignatures,
  helperFunctionsSql,
  ident,
  keyConstraintName,
  keyIsUnique,
} from "./ddl";
export { migrations } from "./migrations/index";
export {
  MIGRATION_SCHEMA,
  MigrationError,
  type MigrationStatus,
  migrateDown,
  migrateUp,
  migrationStatus,
} from "./migrator";
export {
  catalogGrantStatements,
  createGroupRoleSql,
  dataTableGrantStatements,
  dropGroupRoleIfUnusedSql,
  grantStatements,
  loginUserStatements,
  type PipelineRole,
  pipelineRoles,
  ROLES,
  revokeStatements,
} from "./roles";
export type * from "./rows.generated";
export { schemaHash } from "./schema-hash";
export type TableName = keyof import("./rows.generated").Rows;
