import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { gatePng, spotPng } from './support/images';
import { acceptCrop, readResult, screenshotPath, upload, waitForModel } from './support/page';
import { seedV2 } from './support/seed';

// axe-core runs inside the page (bundled in the npm package, nothing fetched from elsewhere).
test('no WCAG 2.1 A/AA violations on the start page, a result (with heat map), the quality gate and the model card', async ({
  page,
}) => {
  await page.goto('./');
  await waitForModel(page);
  const scan = () =>
    new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  expect((await scan().analyze()).violations).toEqual([]);

  await upload(page, 'spot.png', spotPng(400, 300, 12));
  await acceptCrop(page);
  await readResult(page);
  await page.getByTestId('heatmap-toggle').click(); // the heat map's controls, open
  await page.getByText('Advanced').click();
  expect((await scan().analyze()).violations).toEqual([]);

  await upload(page, 'blurred.png', gatePng('blurred'));
  await acceptCrop(page);
  await expect(page.getByTestId('quality-gate')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);

  await page.getByRole('link', { name: /About this model/ }).click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);
});

test('no WCAG 2.1 A/AA violations on the spots pages, the comparison and the spot picker', async ({
  page,
}) => {
  const scan = () =>
    new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const spot = { id: 'spot-a11y', name: 'Right calf', createdAt: 1 };
  const p = [0.05, 0.05, 0.1, 0.05, 0.1, 0.6, 0.05];
  await seedV2(
    page,
    [spot],
    [
      { id: 'a', createdAt: 1e12, lesionId: spot.id, probabilities: p },
      { id: 'b', createdAt: 1.1e12, lesionId: spot.id, probabilities: p, modelId: 'other' },
    ],
  );
  await page.goto('./#/spots');
  await expect(page.getByTestId('spot-item')).toHaveCount(1);
  expect((await scan().analyze()).violations).toEqual([]);
  await page.getByRole('link', { name: 'Right calf' }).click();
  await expect(page.getByTestId('compare')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);
  await page.getByRole('button', { name: 'Rename or move…' }).click();
  await expect(page.getByTestId('body-outline')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);

  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'spot.png', spotPng(400, 300, 13));
  await acceptCrop(page);
  await readResult(page);
  await page.getByTestId('spot-choice').selectOption({ label: 'New spot…' });
  await expect(page.getByTestId('body-outline')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);
});

test('dark theme: no WCAG 2.1 A/AA violations (contrast included) on the start page with a history, a result, a saved scan, the model card and a spot page', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const scan = () =>
    new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const spot = { id: 'spot-dark', name: 'Left shoulder', createdAt: 1 };
  const p = [0.05, 0.05, 0.1, 0.05, 0.1, 0.6, 0.05];
  const high = [0.3, 0.1, 0.05, 0.05, 0.4, 0.05, 0.05];
  await seedV2(
    page,
    [spot],
    [
      { id: 'a', createdAt: 1e12, lesionId: spot.id, probabilities: p },
      { id: 'b', createdAt: 1.1e12, lesionId: spot.id, probabilities: high, note: 'itches' },
    ],
  );
  await page.goto('./');
  // The dark palette is in force (app.css), not the light one.
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(
    'rgb(247, 250, 251)',
  );
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
  expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(150);
  await waitForModel(page);
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await page.screenshot({ path: screenshotPath('dark.png') });
  expect((await scan().analyze()).violations).toEqual([]);

  await upload(page, 'spot.png', spotPng(400, 300, 12));
  await acceptCrop(page);
  await readResult(page);
  await page.getByTestId('heatmap-toggle').click();
  await page.getByTestId('result-details').getByText('Details').click();
  await page.getByText('Advanced').click();
  expect((await scan().analyze()).violations).toEqual([]);

  await page.getByTestId('history-item').first().getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-detail')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);

  await page.getByRole('link', { name: /About this model/ }).click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await expect(page.getByTestId('reliability').first()).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);

  await page.goto('./#/spots');
  await expect(page.getByTestId('spot-item')).toHaveCount(1);
  expect((await scan().analyze()).violations).toEqual([]);
  await page.getByRole('link', { name: 'Left shoulder' }).click();
  await expect(page.getByTestId('compare')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);
});
