import { expect, test } from '@playwright/test';
import { shippedModels } from '../../build/assets';
import { lesionPng } from './support/images';
import { readResult, waitForModel } from './support/page';
import { fire } from './support/transfer';

test('drag and drop an image -> result', async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
  await fire(page, 'drop', lesionPng(300, 300, 8));
  expect((await readResult(page)).probabilities).toHaveLength(7);
});

test('paste an image -> result', async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
  await fire(page, 'paste', lesionPng(320, 240, 9));
  expect((await readResult(page)).probabilities).toHaveLength(7);
});

test('the model choice persists across reloads and re-classifies the image', async ({ page }) => {
  const models = shippedModels('dist/model');
  test.skip(models.length < 2, 'needs both models in the build');
  await page.goto('./');
  await waitForModel(page);
  await fire(page, 'paste', lesionPng(320, 240, 10));
  await readResult(page, 'ham10000-128');
  await page.getByRole('radio', { name: /Fast/ }).check();
  await readResult(page, 'ham10000-28'); // the same photo, answered by the fast model
  await page.reload();
  await expect(page.getByRole('radio', { name: /Fast/ })).toBeChecked();
  await waitForModel(page);
  await fire(page, 'paste', lesionPng(320, 240, 10));
  await readResult(page, 'ham10000-28');
});
