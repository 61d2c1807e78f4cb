import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "infra/test/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["packages/test-support/src/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: keep parallelism modest; heavy suites opt into their own limits.
    maxWorkers: 2,
  },
});
