export {
  advanceCheckpoint,
  type Checkpoint,
  ingesterNowSql,
  PIPELINE,
  readCheckpoint,
  rewindCheckpoint,
} from "./checkpoint";
export { type ColdState, readColdState } from "./cold-watermark";
export {
  acquireWriterLock,
  FLUSHER_LOCK_KEY,
  type HeldLock,
  INGESTER_LOCK_KEY,
} from "./locks";
