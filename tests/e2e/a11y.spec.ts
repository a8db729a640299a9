import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { gatePng, lesionPng } from './images';
import { readResult, upload, waitForModel } from './page';

// axe-core runs inside the page (bundled in the npm package, nothing fetched from elsewhere).
test('no WCAG 2.1 A/AA violations on the start page, a result (with heat map), the quality gate and the model card', async ({
  page,
}) => {
  await page.goto('./');
  await waitForModel(page);
  const scan = () =>
    new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  expect((await scan().analyze()).violations).toEqual([]);

  await upload(page, 'spot.png', lesionPng(400, 300, 12));
  await readResult(page);
  await page.getByText('Advanced').click();
  expect((await scan().analyze()).violations).toEqual([]);

  await upload(page, 'blurred.png', gatePng('blurred'));
  await expect(page.getByTestId('quality-gate')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);

  await page.getByRole('link', { name: /About this model/ }).click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  expect((await scan().analyze()).violations).toEqual([]);
});
