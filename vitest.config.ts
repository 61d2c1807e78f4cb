import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "infra/test/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["packages/test-support/src/global-setup.ts"],
    // Runs each file's `afterFile` cleanups (a hook registered from another hook never runs).
    setupFiles: ["packages/test-support/src/setup-file.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: keep parallelism modest; heavy suites opt into their own limits.
    maxWorkers: 2,
  },
});
