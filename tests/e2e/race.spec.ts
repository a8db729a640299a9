import { expect, test, type Page } from '@playwright/test';
import { shippedModelInfo } from '../../build/assets';
import { spotPng } from './support/images';
import { acceptCrop, readResult, upload, waitForModel, watchErrors } from './support/page';

/** Made inside each test: spotPng skips or fails the test when ../shared/data is absent. */
const photo = (): Buffer => spotPng(400, 300, 12);

/**
 * Records every alert the page shows from now on, however briefly (an error replaced a moment
 * later, e.g. when the next model load succeeds, is still an error the person saw).
 */
async function recordAlerts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { alertsSeen: string[] }).alertsSeen = seen;
    const look = (): void => {
      for (const el of document.querySelectorAll('[role="alert"], .warning')) {
        const text = (el.textContent ?? '').trim();
        if (text && !seen.includes(text)) seen.push(text);
      }
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  return () => page.evaluate(() => (window as unknown as { alertsSeen: string[] }).alertsSeen);
}

/** The page settled: nothing loading or analysing, a result on screen. */
async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-busy', 'idle');
  await expect(page.getByTestId('result')).toBeVisible();
}

test('quick changes of TTA, backend (and model) while a photo is analysed: no error, the last choice wins', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const models = shippedModelInfo('dist/model');
  const accurate = models.find((m) => m.role === 'accurate')?.id;
  const fast = models.find((m) => m.role === 'fast')?.id;
  // The model switch joins in only where the build ships both roles (see input.spec.ts).
  const switchModels = accurate !== undefined && fast !== undefined;

  await page.goto('./?tta=0'); // TTA off to start with, whatever the automatic choice
  await waitForModel(page);
  await upload(page, 'spot.png', photo());
  await acceptCrop(page);
  const first = await readResult(page);
  await page.getByText('Advanced').click();
  const tta = page.getByTestId('tta-select');
  const backend = page.getByLabel('Compute backend');

  const alertsSeen = await recordAlerts(page);

  // One change after another, none waiting for the previous one's answer.
  await tta.selectOption('on');
  await backend.selectOption('cpu');
  if (switchModels) await page.getByRole('radio', { name: /Fast/ }).check();
  await tta.selectOption('off');
  await backend.selectOption('wasm');
  if (switchModels) await page.getByRole('radio', { name: /Accurate/ }).check();
  await tta.selectOption('on');

  await settled(page);
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-backend', 'wasm');
  await expect(result).toHaveAttribute('data-tta', 'true');
  await expect(result).toHaveAttribute('data-model', first.model);
  // No internal error on the way, nor now.
  expect(await alertsSeen()).toEqual([]);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('status')).not.toContainText(/failed|disposed|error/i);
  const shown = await readResult(page);

  // A fresh classification of the same photo under the final settings gives the same answer.
  await upload(page, 'spot.png', photo());
  await acceptCrop(page);
  await settled(page);
  await expect(result).toHaveAttribute('data-tta', 'true');
  const fresh = await readResult(page);
  expect(fresh.backend).toBe('wasm');
  expect(fresh.model).toBe(shown.model);
  const diff = Math.max(
    ...fresh.probabilities.map((p, i) => Math.abs(p - shown.probabilities[i]!)),
  );
  expect(diff, 'max |p - p_fresh|').toBeLessThanOrEqual(1e-5);
  // ...and differs from the first answer (TTA off): the shown result really is the last settings'.
  expect(first.probabilities).not.toEqual(shown.probabilities);
  expect(errors).toEqual([]);
});
