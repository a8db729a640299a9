import { expect, test } from '@playwright/test';
import { spotPng } from './support/images';
import { acceptCrop, readResult, upload, waitForModel, watchErrors } from './support/page';

test('upload -> result: all 7 classes, risk band, disclaimer, provenance', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByText('not a diagnosis').first()).toBeVisible();
  await waitForModel(page);

  await upload(page, 'spot.png', spotPng(640, 480, 7));
  await acceptCrop(page);
  const result = await readResult(page);

  expect(result.probabilities).toHaveLength(7);
  expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  const bars = page.getByTestId('result').locator('li');
  await expect(bars).toHaveCount(7);
  await expect(bars.first()).toHaveAttribute('data-label', result.top1);
  await expect(page.getByText('Melanoma (mel)')).toBeVisible();
  await expect(page.getByTestId('risk')).toContainText(/Malignant risk: (Low|Medium|High)/);
  // Plain words in view; the technical provenance is folded under "Details", one tap away.
  await expect(page.getByTestId('made-by')).toContainText('Analysed on this device');
  await expect(page.getByTestId('provenance')).toBeHidden();
  await page.getByTestId('result-details').getByText('Details').click();
  await expect(page.getByTestId('provenance')).toContainText(`backend ${result.backend}`);

  expect(errors).toEqual([]);
});
