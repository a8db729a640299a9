import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { ModelCard } from '../../src/lib/card/model-card';
import { shippedModelInfo } from '../../build/assets';
import { spotPng } from './support/images';
import { acceptCrop, readResult, upload, waitForModel, watchErrors } from './support/page';

/** Words a person photographing a spot should not have to read: they live under the folds. */
const JARGON = [
  /\bwasm\b/i,
  /\bwebgl\b/i,
  /\bwebgpu\b/i,
  /\bcpu\b/i,
  /backend/i,
  /inference/i,
  /grad-cam/i,
  /\bTTA\b/,
  /\d+\s*ms\b/,
  /\d+\s*[x×]\s*\d+/, // an input size or a heat map's grid
  /\bnetwork\b/i,
];

/** The text a person sees on the page now (innerText skips closed <details> and hidden nodes). */
const shownText = (page: Page): Promise<string> => page.locator('body').innerText();

function expectPlain(text: string, modelIds: readonly string[]): void {
  for (const word of JARGON) expect(text, `${word} in the main flow`).not.toMatch(word);
  for (const id of modelIds) expect(text, `model id ${id} in the main flow`).not.toContain(id);
}

test('the main flow speaks plainly; backend, sizes, timings and Grad-CAM are under the folds', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const ids = shippedModelInfo('dist/model').map((m) => m.id);
  await page.goto('./');
  await waitForModel(page);
  await expect(page.getByTestId('model-ready')).toHaveText(/^Ready\./);
  expectPlain(await shownText(page), ids);

  await upload(page, 'spot.png', spotPng(400, 300, 12));
  await acceptCrop(page);
  const result = await readResult(page);
  // How far to trust the band: the served card's phone numbers, under the classes.
  const card = JSON.parse(
    readFileSync(`dist/model/${result.model}/card.json`, 'utf8'),
  ) as ModelCard;
  const phone = card.phone!.malignant.threshold;
  const trust = page.getByTestId('result-trust');
  await expect(trust).toHaveAttribute('data-domain', 'phone');
  await expect(trust).toContainText(
    `How far to trust it: Of 100 skin cancers in testing on phone photos, it rated ` +
      `${Math.round(100 * phone.sensitivity)} as medium or high risk (so it missed ` +
      `${100 - Math.round(100 * phone.sensitivity)}); of 100 harmless spots it rated ` +
      `${Math.round(100 * (1 - phone.specificity))} that high.`,
  );
  await page.getByTestId('heatmap-toggle').click(); // the heat map's note, in plain words too
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect(page.getByTestId('made-by')).toHaveText(/Analysed on this device/);
  await expect(page.getByTestId('model-ready')).toHaveText('Ready for another photo.');
  expectPlain(await shownText(page), ids);

  // Still there for whoever wants them: the result's Details...
  await page.getByTestId('result-details').getByText('Details').click();
  const provenance = page.getByTestId('provenance');
  await expect(provenance).toContainText(`Model ${result.model} v`);
  await expect(provenance).toContainText(`backend ${result.backend}`);
  await expect(provenance).toContainText(/inference \d+ ms/);
  await expect(provenance).toContainText(/\d+×\d+ input/);
  await expect(provenance).toContainText(/heat map: Grad-CAM, \d+×\d+ cells, \d+ ms/);
  await expect(provenance).toContainText(/photo to result \d+ ms/);
  // ...and Advanced: the model, its input size, the backend and its timings, TTA.
  await page.getByText('Advanced').click();
  await expect(page.getByTestId('model-details')).toContainText(
    new RegExp(`Model ${result.model} v\\S+, \\d+×\\d+ input`),
  );
  await expect(page.getByTestId('running-on')).toContainText(
    new RegExp(`Running on ${result.backend}; model loaded in\\s+\\d+ ms, warm-up\\s+\\d+ ms`),
  );
  await expect(page.getByTestId('tta-select')).toBeVisible();
  expect(errors).toEqual([]);
});
