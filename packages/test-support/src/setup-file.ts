// Each test file's setup: runs the cleanups registered with `afterFile` after the file's own hooks.
import { afterAll } from "vitest";
import { runFileCleanups } from "./vitest";

afterAll(runFileCleanups);
