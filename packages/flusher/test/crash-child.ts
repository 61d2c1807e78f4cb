/**
 * The flusher as a child process for the crash tests (see crash-run.ts); STELLAR_LAKE_FAILPOINT (the shared
 * failpoint mechanism) SIGKILLs it at a named point.
 */
import { failpoint } from "@stellar-lake/runtime";
import { runFlusher } from "./crash-run";

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`crash-child: ${k} is not set`);
  return v;
};
const flushes = await runFlusher({
  hotUrl: env("CRASH_HOT_URL"),
  catalogUrl: env("CRASH_CATALOG_URL"),
  dataPath: env("CRASH_DATA_PATH"),
  failpoint,
});
process.stdout.write(`${JSON.stringify({ flushes })}\n`);
