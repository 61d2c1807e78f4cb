export {
  ConfigError,
  defaultTempDir,
  FLUSH_HELP,
  type FlusherConfig,
  intSetting,
  parseFlusherConfig,
  parseSize,
} from "./config";
export { type FlushOptions, type FlushResult, flushOnce } from "./flush";
export { FlushHealth } from "./health";
export { deleteFlushed, exportRange, flushWatermark, hotRowCounts } from "./hot-source";
export { FlushMetrics } from "./metrics";
export { MaintenanceSchedule } from "./schedule";
export { type FlusherDeps, runFlusherService } from "./service";
export { sweepTempDir } from "./temp-dir";
