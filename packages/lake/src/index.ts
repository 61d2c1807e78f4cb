export { CATALOG_TABLES, CatalogVersionError, ensureCatalog, SPEC_VERSION } from "./catalog";
export { type CleanupResult, cleanupOldFiles } from "./cleanup";
export { type CompactOptions, type CompactResult, compactLake, planMerges } from "./compact";
export { LakeConflictError } from "./conflict";
export { type ExpireResult, expireSnapshots } from "./expire";
export {
  carriedFlushStateInfo,
  type FlushRecord,
  type FlushState,
  flushStateInfo,
  flushStates,
  latestFlushState,
  latestWatermark,
  parseFlushState,
  type Queryable,
} from "./flush-state";
export { inlinedRowsSelect } from "./inlined";
export {
  buildKeyFilter,
  KEY_FILTER_TABLE,
  type KeyFilter,
  keyFilterColumns,
  mayContain,
  readKeyFilters,
} from "./key-filter";
export { type MaintainOptions, maintainLake } from "./maintain";
export {
  catalogDataPath,
  catalogExists,
  type LiveTableFiles,
  lakeFileCounts,
  latestSnapshotAndInfosSql,
  liveTableFiles,
  recentSnapshots,
  type SnapshotSummary,
  scheduledFileCount,
} from "./metadata";
export { BACKFILL_ORPHAN_GRACE_MS, deleteOrphanFiles, FOREIGN_ORPHAN_GRACE_MS } from "./orphans";
export { type LakeTarget, prepareLake } from "./prepare";
export {
  type CatalogSource,
  duckdbFileCatalog,
  type FileSelectExtras,
  type LakeFile,
  LakeReadError,
  type LakeTableFiles,
  LakeUnsupportedError,
  lakeFileSelect,
  lakeTableFiles,
  localLakeFile,
  pgCatalog,
  readLakeTable,
  SNAPSHOT_ID_COLUMN,
  SNAPSHOT_ID_FIELD_ID,
} from "./reader";
export {
  type LakeObject,
  type LakeStorage,
  LakeStorageError,
  LocalLakeStorage,
  lakeStorage,
  normalizeDataPath,
  type PinnedFile,
  S3LakeStorage,
  type S3LakeStorageOptions,
} from "./storage";
export {
  commitFiles,
  DUCKLAKE_TYPE,
  ensureLakeTables,
  type LakeTable,
  type WrittenFile,
  writeParquet,
  writeParquetFromQuery,
} from "./writer";
