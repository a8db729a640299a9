import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { screenshotPath, waitForModel, waitForOffline } from './support/page';

const SW = 'dist/sw.js';

test('a new version waits until the person taps "Update now", then reloads into it', async ({
  page,
}) => {
  await page.goto('./');
  await waitForOffline(page);
  await waitForModel(page);
  const original = readFileSync(SW, 'utf8');
  try {
    // A byte-different service worker is what a deploy of a new version looks like.
    writeFileSync(SW, `${original}\n// next version\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const banner = page.getByTestId('update');
    await expect(banner).toBeVisible();
    await page.screenshot({ path: screenshotPath('update-available.png') });
    await Promise.all([
      page.waitForEvent('framenavigated'),
      banner.getByRole('button', { name: 'Update now' }).click(),
    ]);
    await expect(page.getByTestId('update')).toBeHidden();
    await waitForModel(page);
  } finally {
    writeFileSync(SW, original);
  }
});
