import { defineConfig } from '@playwright/test';
import { BASE_FLAGS, CHROMIUM } from '../tests/e2e/support/browser';

/** `npm run bench`: the benchmark, not a test (no timing assertions). Writes bench/results.json. */
const PORT = 4319;

export default defineConfig({
  testDir: '.',
  testMatch: 'bench.spec.ts',
  outputDir: '../test-results/bench',
  workers: 1,
  timeout: 1_800_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: { executablePath: CHROMIUM, args: BASE_FLAGS },
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    cwd: '..', // serve the repository's dist/, not bench/
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
