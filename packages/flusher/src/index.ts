export { CATALOG_TABLES, CatalogVersionError, ensureCatalog, SPEC_VERSION } from "./ducklake/catalog";
export {
  type CatalogSource,
  duckdbFileCatalog,
  LakeReadError,
  pgCatalog,
  readLakeTable,
} from "./ducklake/reader";
export { commitFiles, DUCKLAKE_TYPE, ensureLakeTables, writeParquet } from "./ducklake/writer";
export { type FlushOptions, type FlushResult, flushOnce, latestWatermark } from "./flush";
export {
  type FlushState,
  flushStates,
  latestFlushState,
  parseFlushState,
  type Queryable,
} from "./flush-state";
export { deleteFlushed, exportRange, flushWatermark, hotRowCounts } from "./hot-source";
