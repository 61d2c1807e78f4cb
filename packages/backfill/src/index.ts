export { CSV_READ_OPTIONS, CsvEncodingError, encodeCsv } from "./csv";
export {
  type ColdRange,
  coldRange,
  type LiveRange,
  liveRange,
  overlapError,
  planError,
} from "./history";
export { JobError, type JobManifest, jobFileName, type ManifestFile, runJob } from "./job";
export { type LakeContext, openDuck, openLake } from "./lake-context";
export { formatRanges, type JobRange, planJobs } from "./plan";
export {
  BackfillQueue,
  type Claim,
  type JobRow,
  type JobState,
  QUEUE_NAME,
  type QueueCounts,
  type QueueSettings,
  queueSettings,
} from "./queue";
export { DatastoreRangeError, readRange } from "./range-reader";
export { type RegisterResult, registerFinished } from "./registrar";
export { type RepairOptions, type RepairResult, repairLake } from "./repair";
export { type Issue, type IssueKind, type VerifyResult, verifyLake } from "./verify";
export { BackfillMetrics, runWorker, type WorkerOptions, type WorkerSummary } from "./worker";
