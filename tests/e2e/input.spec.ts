import { expect, test, type Page } from '@playwright/test';
import { shippedModels } from '../../build/assets';
import { lesionPng } from './support/images';
import { readResult, waitForModel } from './support/page';

/** Puts a PNG into a DataTransfer inside the page and fires `type` with it (drop or paste). */
async function fire(page: Page, type: 'drop' | 'paste', png: Buffer): Promise<void> {
  await page.evaluate(
    ([kind, base64]) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'spot.png', { type: 'image/png' }));
      if (kind === 'drop') {
        const zone = document.querySelector('section.input') as HTMLElement;
        zone.dispatchEvent(
          new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }),
        );
        zone.dispatchEvent(
          new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      } else {
        window.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, cancelable: true }),
        );
      }
    },
    [type, png.toString('base64')] as const,
  );
}

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
