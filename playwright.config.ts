import { defineConfig } from '@playwright/test';
import { BASE_FLAGS, CHROMIUM, HOOKS_PORT, PORT } from './tests/e2e/support/browser';

/**
 * End-to-end tests against the production build (`vite build` first, see package.json) served by
 * `vite preview` with COOP/COEP; the specs that drive window.dermlensTest open the e2e build
 * (`vite build --mode e2e`, the same app with its test hooks) on the next port. One worker and long
 * timeouts: the 2-core CI machine is shared with training and runs WebGL/WebGPU in software.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/support/global-setup.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: BASE_FLAGS },
    viewport: { width: 412, height: 915 }, // a phone: the app is mobile first
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite preview --mode e2e --port ${HOOKS_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${HOOKS_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
