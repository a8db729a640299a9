/**
 * The not-a-skin-spot gate at a phone viewport: photos that are not a skin spot (rendered text, a
 * flat colour, a colour gradient; none with any skin tone) are refused on every way in (file,
 * camera, paste, drop) with no number, no risk and nothing to save; a real HAM10000 photo passes.
 * The refusal is focused, announced and passes axe. Exact thresholds are the model's (ood.json),
 * so nothing here depends on them beyond what any gate must do.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sharedData } from '../shared-data';
import { pageTextPng } from './support/browser-files';
import { BASE_FLAGS, CHROMIUM, fakeCameraFlags } from './support/browser';
import { NOT_A_SPOT_Y4M } from './support/fixtures';
import { parseCrop, readJpeg } from './support/far';
import { farNotASpotPng, notASpotPng, spotOnBluePng } from './support/images';
import { expectRefused, pastQualityCheck, retake } from './support/not-a-spot';
import {
  acceptCrop,
  openWithTestHooks,
  readResult,
  screenshotPath,
  upload,
  useWholePhoto,
  waitForModel,
  watchErrors,
} from './support/page';
import { fire } from './support/transfer';

// Chromium's fake camera films a colour gradient (drawn by the global setup), for every test here.
test.use({
  launchOptions: {
    executablePath: CHROMIUM,
    args: [...BASE_FLAGS, ...fakeCameraFlags(NOT_A_SPOT_Y4M)],
  },
});

test.describe('refused: no number on any way in', () => {
  test('a file of rendered text: refused, announced, axe-clean, then retaken', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await waitForModel(page);
    await upload(page, 'letter.png', await pageTextPng(page, 900, 1200));
    await acceptCrop(page);
    await pastQualityCheck(page);
    await expectRefused(page);
    await page.screenshot({ path: screenshotPath('not-a-spot.png') });
    const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
    expect((await axe.analyze()).violations).toEqual([]);
    await retake(page);
    expect(errors).toEqual([]);
  });

  test('pasted: a flat colour', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await waitForModel(page);
    await fire(page, 'paste', notASpotPng('flat', 640, 480));
    await acceptCrop(page);
    await pastQualityCheck(page);
    await expectRefused(page);
    await expect(page.getByTestId('not-a-spot')).toHaveAttribute('data-reasons', /too-little-skin/);
    // The whole frame was analysed: nothing was photographed from afar.
    await expect(page.getByTestId('not-a-spot-afar')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('dropped: a colour gradient', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await waitForModel(page);
    await fire(page, 'drop', notASpotPng('gradient', 800, 600));
    await acceptCrop(page);
    await pastQualityCheck(page);
    await expectRefused(page);
    expect(errors).toEqual([]);
  });
});

test('refused when small in a large photo: the refusal says it was taken from afar', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'far.png', farNotASpotPng());
  await acceptCrop(page);
  await pastQualityCheck(page);
  await expectRefused(page);
  await expect(page.getByTestId('not-a-spot-afar')).toContainText('taken from afar');
  await expect(page.getByTestId('not-a-spot-afar')).toContainText('closer');
  expect(errors).toEqual([]);
});

test('refused from the camera: a shot of something that is not a skin spot', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);
  await page.getByRole('button', { name: 'Take a photo' }).click();
  const video = page.getByLabel('Camera preview');
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 30_000 })
    .toBe(640);
  await page.getByRole('button', { name: 'Capture' }).click();
  await acceptCrop(page);
  await pastQualityCheck(page);
  await expectRefused(page);
  expect(errors).toEqual([]);
});

/**
 * A test-split naevus well inside every threshold of the provisional accurate model (feature
 * distance about a tenth of the limit, energy 1.9 below it, skin share 0.85), so a retrained
 * model's new thresholds should not flip it; if one does, that is worth a look, not a new photo.
 */
const REAL_SPOT = 'ISIC_0024455.jpg';

test('a real HAM10000 photo passes the gate: a result, and a refusal before it is cleared', async ({
  page,
}) => {
  const ham = sharedData('ham10000/images', 'the not-a-skin-spot gate on a real photo');
  test.skip(ham.path === null, ham.skipped ?? '');
  if (ham.path === null) return;
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);
  await fire(page, 'paste', notASpotPng('flat', 640, 480));
  await acceptCrop(page);
  await pastQualityCheck(page);
  await expectRefused(page);

  await upload(page, 'spot.jpg', readFileSync(resolve(ham.path, REAL_SPOT)), 'image/jpeg');
  // A dermoscopic close-up: the whole photo is the spot's frame, as the model was trained on.
  await useWholePhoto(page);
  const result = await readResult(page);
  expect(result.probabilities).toHaveLength(7);
  await expect(page.getByTestId('not-a-spot')).toHaveCount(0);
  await expect(page.getByTestId('status')).not.toContainText('Not analysed');
  expect(errors).toEqual([]);
});

test('refused as a whole photo, then "crop this photo again" round the spot: a result', async ({
  page,
}) => {
  const ham = sharedData('ham10000/images', '"crop again" after a refusal, on a real photo');
  test.skip(ham.path === null, ham.skipped ?? '');
  if (ham.path === null) return;
  const errors = watchErrors(page);
  // The 200 x 150 close-up in the middle of a 234 x 234 photo of plain blue: nearly half of the
  // whole photo's square is blue, which the gate refuses.
  const photo = spotOnBluePng(readJpeg(resolve(ham.path, REAL_SPOT)), 234);
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'spot-on-blue.png', photo);
  await useWholePhoto(page);
  await pastQualityCheck(page);
  await expectRefused(page);

  await page.getByTestId('not-a-spot-recrop').click();
  const step = page.getByTestId('crop-step');
  await expect(step).toBeVisible();
  await expect(page.getByTestId('not-a-spot')).toHaveCount(0);
  // The same photo, from the square that was refused, and the step says why it is back.
  await expect(step).toHaveAttribute('data-photo', '234 234');
  expect(parseCrop(await step.getAttribute('data-crop'))).toEqual({ x0: 0, y0: 0, side: 234 });
  await expect(step.locator('#crop-note')).toContainText('was not analysed');
  await expect(step.getByTestId('crop-accept')).toBeFocused();
  await page.screenshot({ path: screenshotPath('crop-again.png') });
  const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  expect((await axe.analyze()).violations).toEqual([]);

  // Two presses of + (234 / 1.25^2 = 150 px): the close-up's centre square (to a pixel), then Enter.
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  expect(parseCrop(await step.getAttribute('data-crop'))).toEqual({ x0: 43, y0: 43, side: 150 });
  await page.keyboard.press('Enter');
  const result = await readResult(page);
  expect(result.probabilities).toHaveLength(7);
  await expect(page.getByTestId('not-a-spot')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the worker's gate evidence is the photo's as taken, with TTA or without", async ({
  page,
}) => {
  await openWithTestHooks(page);
  const model = await page.locator('input[name="model"]:checked').inputValue();
  const out = await page.evaluate(async (model) => {
    const hooks = window.dermlensTest!;
    await hooks.load(model);
    const n = Number(model.split('-').pop());
    const rgb = Array.from({ length: n * n * 3 }, (_, i) => (i * 37 + (i % 7) * 11) % 256);
    // The same image flipped left to right (TTA's view 1).
    const flipped = rgb.map((_, i) => {
      const c = i % 3;
      const x = Math.floor(i / 3) % n;
      const y = Math.floor(i / 3 / n);
      return rgb[(y * n + (n - 1 - x)) * 3 + c]!;
    });
    const plain = await hooks.classifyUint8(model, rgb, { tta: false });
    const tta = await hooks.classifyUint8(model, rgb, { tta: true });
    const view = await hooks.classifyUint8(model, flipped, { tta: false });
    const evidence = (p: typeof plain) => ({ distance: p.featureDistance, energy: p.energy });
    return { plain: evidence(plain), tta: evidence(tta), view: evidence(view) };
  }, model);
  for (const key of ['distance', 'energy'] as const) {
    const [plain, tta, view] = [out.plain[key], out.tta[key], out.view[key]];
    expect(Number.isFinite(plain), key).toBe(true);
    expect(Math.abs(tta - plain), key).toBeLessThan(1e-3 * Math.max(1, Math.abs(plain)));
    // A flipped view gives other evidence: the check above would pass for no reason otherwise.
    expect(Math.abs(view - plain), key).toBeGreaterThan(1e-3 * Math.max(1, Math.abs(plain)));
  }
});
