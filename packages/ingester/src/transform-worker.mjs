// Worker entry: plain JavaScript that registers tsx's loader in this thread, then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./transform-worker.ts");
