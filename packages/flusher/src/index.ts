export { type FlushOptions, type FlushResult, flushOnce } from "./flush";
export { deleteFlushed, exportRange, flushWatermark, hotRowCounts } from "./hot-source";
