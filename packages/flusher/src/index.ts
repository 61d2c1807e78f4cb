export { CATALOG_TABLES, CatalogVersionError, ensureCatalog, SPEC_VERSION } from "./ducklake/catalog";
export {
  type CatalogSource,
  duckdbFileCatalog,
  type LakeFile,
  LakeReadError,
  type LakeTableFiles,
  lakeFileSelect,
  lakeTableFiles,
  pgCatalog,
  readLakeTable,
} from "./ducklake/reader";
export { commitFiles, DUCKLAKE_TYPE, ensureLakeTables, writeParquet } from "./ducklake/writer";
export { type FlushOptions, type FlushResult, flushOnce, latestWatermark } from "./flush";
export { deleteFlushed, exportRange, flushWatermark, hotRowCounts } from "./hot-source";
