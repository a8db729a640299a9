import { expect, test } from '@playwright/test';
import { spotPng } from './support/images';
import {
  acceptCrop,
  readResult,
  screenshotPath,
  upload,
  waitForModel,
  watchErrors,
} from './support/page';

test('installable: manifest with 192/512/maskable icons, standalone', async ({ page, request }) => {
  await page.goto('./');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = (await (await request.get(href as string)).json()) as {
    display: string;
    icons: { src: string; sizes: string; purpose?: string }[];
  };
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`)).toEqual([
    '192x192',
    '512x512',
    '512x512 maskable',
  ]);
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src);
    expect(response.headers()['content-type']).toBe('image/png');
  }
});

test('cross-origin isolated with a strict CSP', async ({ page }) => {
  await page.goto('./');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain("'wasm-unsafe-eval'"); // only the worker compiles wasm
});

test('reaches "ready offline", then a reload with the network off still classifies', async ({
  page,
  context,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const status = page.getByTestId('offline-status');
  await expect(status).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await expect(status).toContainText('Ready offline');
  await waitForModel(page);
  await page.screenshot({ path: screenshotPath('ready-offline.png') });

  await context.setOffline(true);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // Really offline: a file the service worker did not precache cannot be fetched.
  const probe = await page.evaluate(() =>
    fetch('robots.txt?probe').then(
      () => 'online',
      () => 'offline',
    ),
  );
  expect(probe).toBe('offline');
  errors.length = 0; // the probe's own failed request is the only error expected
  // The cached page keeps its COOP/COEP headers, so wasm threads still work offline.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await waitForModel(page);
  await upload(page, 'spot.png', spotPng(500, 500, 5));
  await acceptCrop(page);
  const result = await readResult(page);
  expect(result.probabilities).toHaveLength(7);
  await context.setOffline(false);
  expect(errors).toEqual([]);
});
