import { defineConfig } from '@playwright/test';
import { BASE_FLAGS, CHROMIUM, HOOKS_PORT, PORT } from '../tests/e2e/support/browser';

/**
 * `npm run bench`: the benchmark, not a test (no timing assertions). Writes bench/results.json.
 * The ports are the e2e tests' ones, so the test hooks' URL (openWithTestHooks) is the same.
 */

export default defineConfig({
  testDir: '.',
  testMatch: 'bench.spec.ts',
  outputDir: '../test-results/bench',
  workers: 1,
  timeout: 3_600_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: { executablePath: CHROMIUM, args: BASE_FLAGS },
  },
  webServer: [
    {
      command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORT}/`,
      cwd: '..', // serve the repository's dist/, not bench/
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite preview --mode e2e --port ${HOOKS_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${HOOKS_PORT}/`,
      cwd: '..', // dist-e2e/: the same app with its test hooks
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
