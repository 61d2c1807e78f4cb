export { CATALOG_TABLES, CatalogVersionError, ensureCatalog, SPEC_VERSION } from "./catalog";
export { LakeConflictError } from "./conflict";
export {
  type FlushState,
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
  type CleanupResult,
  type CompactOptions,
  type CompactResult,
  cleanupOldFiles,
  compactLake,
  deleteOrphanFiles,
  type ExpireResult,
  expireSnapshots,
  FOREIGN_ORPHAN_GRACE_MS,
  lakeFileCounts,
  planMerges,
} from "./maintenance";
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
