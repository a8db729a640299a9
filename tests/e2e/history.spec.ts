import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import type { HistoryExport } from '../../src/lib/storage/export';
import { spotPng } from './support/images';
import {
  acceptCrop,
  readResult,
  screenshotPath,
  upload,
  waitForModel,
  waitForOffline,
  watchErrors,
} from './support/page';

const items = (page: Page) => page.getByTestId('history-item');

/** Uploads a drawn spot, waits for its result and saves it with the given details. */
async function classifyAndSave(page: Page, seed: number, site?: string, note?: string) {
  await upload(page, `spot-${seed}.png`, spotPng(320, 240, seed));
  await acceptCrop(page);
  await readResult(page);
  if (site) await page.getByLabel('Body site').selectOption(site);
  if (note) await page.getByLabel('Note').fill(note);
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
}

test('nothing is stored until Save; save, open, export, delete one, delete all', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'spot.png', spotPng(320, 240, 21));
  await acceptCrop(page);
  await readResult(page);
  await expect(page.getByText('No saved scans yet.')).toBeVisible();
  const stored = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('dermlens');
          open.onsuccess = () => {
            const req = open.result.transaction('scans').objectStore('scans').count();
            req.onsuccess = () => (open.result.close(), resolve(req.result));
            req.onerror = () => reject(req.error);
          };
        }),
    );
  expect(await stored()).toBe(0);

  await page.getByLabel('Body site').selectOption('Back');
  await page.getByLabel('Note').fill('below the left shoulder blade');
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await classifyAndSave(page, 22, 'Arm');
  await expect(items(page)).toHaveCount(2);
  expect(await stored()).toBe(2);

  await items(page).last().getByRole('button', { name: 'Open' }).click();
  const detail = page.getByTestId('scan-detail');
  await expect(detail).toContainText('below the left shoulder blade');
  await expect(detail).toContainText('Body site: Back');
  await expect(detail.locator('li')).toHaveCount(7);
  await page.screenshot({ path: screenshotPath('history.png'), fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export all (file)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^dermlens-history-\d{4}-\d\d-\d\d\.json$/);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as HistoryExport;
  expect(file.app).toBe('DermLens');
  expect(file.scans).toHaveLength(2);
  for (const s of file.scans) {
    expect(s.thumbnail).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(s.probabilities).toHaveLength(7);
  }
  expect(file.scans.map((s) => s.bodySite)).toEqual(['Arm', 'Back']); // newest first

  await items(page).first().getByRole('button', { name: 'Delete' }).click();
  await expect(items(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Delete all…' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(items(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Delete all…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Delete all 1 saved scans');
  await page.getByRole('button', { name: 'Yes, delete all' }).click();
  await expect(items(page)).toHaveCount(0);
  await expect(detail).toBeHidden();
  expect(await stored()).toBe(0);
  expect(errors).toEqual([]);
});

test('a saved scan survives a reload and an app update (new service worker)', async ({ page }) => {
  await page.goto('./');
  await waitForOffline(page);
  await waitForModel(page);
  await classifyAndSave(page, 23, 'Leg', 'kept across updates');
  await page.reload();
  await expect(items(page)).toHaveCount(1);

  const SW = 'dist/sw.js';
  const original = readFileSync(SW, 'utf8');
  try {
    writeFileSync(SW, `${original}\n// next version\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await Promise.all([
      page.waitForEvent('framenavigated'),
      page.getByTestId('update').getByRole('button', { name: 'Update now' }).click(),
    ]);
    await expect(page.getByTestId('update')).toBeHidden();
  } finally {
    writeFileSync(SW, original);
  }
  await expect(items(page)).toHaveCount(1);
  await items(page).first().getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-detail')).toContainText('kept across updates');
});
