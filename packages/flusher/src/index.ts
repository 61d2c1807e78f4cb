export { CATALOG_TABLES, CatalogVersionError, ensureCatalog, SPEC_VERSION } from "./ducklake/catalog";
export {
  type CleanupResult,
  type CompactOptions,
  type CompactResult,
  cleanupOldFiles,
  compactLake,
  deleteOrphanFiles,
  type ExpireResult,
  expireSnapshots,
  lakeFileCounts,
  planMerges,
} from "./ducklake/maintenance";
export {
  type CatalogSource,
  duckdbFileCatalog,
  type FileSelectExtras,
  type LakeFile,
  LakeReadError,
  type LakeTableFiles,
  lakeFileSelect,
  lakeTableFiles,
  localLakeFile,
  pgCatalog,
  readLakeTable,
  SNAPSHOT_ID_COLUMN,
  SNAPSHOT_ID_FIELD_ID,
} from "./ducklake/reader";
export {
  commitFiles,
  DUCKLAKE_TYPE,
  ensureLakeTables,
  writeParquet,
  writeParquetFromQuery,
} from "./ducklake/writer";
export { type FlushOptions, type FlushResult, flushOnce, latestWatermark, prepareLake } from "./flush";
export {
  type FlushState,
  flushStates,
  latestFlushState,
  parseFlushState,
  type Queryable,
} from "./flush-state";
export { deleteFlushed, exportRange, flushWatermark, hotRowCounts } from "./hot-source";
export { type MaintainOptions, maintainLake } from "./maintain";
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
