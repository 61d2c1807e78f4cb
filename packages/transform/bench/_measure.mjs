// Worker entry for the benchmark's measuring thread: registers tsx's loader in this thread (as the ingester's
// transform worker does), then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./_measure.ts");
