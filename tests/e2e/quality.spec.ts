/**
 * The photo-quality gate: a blurred or dark photo is held back with a specific hint, the person
 * can analyse it anyway (the result stays labelled) or retake it; a good photo goes straight on.
 */
import { expect, test } from '@playwright/test';
import { gatePng } from './support/images';
import {
  acceptCrop,
  analyseAnyway,
  readResult,
  screenshotPath,
  upload,
  waitForModel,
  watchErrors,
} from './support/page';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
});

test('a blurred photo: the gate says "hold steady"; analysed anyway, the result keeps the warning', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await upload(page, 'blurred.png', gatePng('blurred'));
  await acceptCrop(page);
  const gate = page.getByTestId('quality-gate');
  await expect(gate).toBeVisible();
  await expect(gate.getByTestId('quality-hint')).toHaveText([/blurred: hold the phone steady/]);
  await expect(page.getByTestId('result')).toBeHidden(); // nothing predicted yet
  await expect(page.getByRole('heading', { name: 'Check the photo first' })).toBeFocused();
  await gate.screenshot({ path: screenshotPath('quality-gate.png') });

  await analyseAnyway(page, 'blurred');
  await readResult(page);
  await expect(page.getByTestId('result')).toHaveAttribute('data-quality', 'blurred');
  await expect(page.getByTestId('input-warning')).toContainText('hold the phone steady');

  // Saved (into a new spot), the scan keeps what the check found: its detail says so.
  await page.getByTestId('spot-choice').selectOption({ label: 'New spot…' });
  await page.getByLabel('Name of the spot').fill('Knee');
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await page.getByTestId('history-item').first().getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-quality')).toHaveText(/Photo: blurred \(less reliable\)/);

  // A later, sharp photo of the same spot: the timeline and the comparison name the blurred one.
  await upload(page, 'sharp.png', gatePng('sharp'));
  await acceptCrop(page);
  await readResult(page);
  await page.getByTestId('spot-choice').selectOption({ label: 'Knee' });
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toContainText('See the timeline of “Knee”');
  await page
    .getByTestId('saved')
    .getByRole('link', { name: /See the timeline of/ })
    .click();
  await expect(page.getByTestId('timeline-quality')).toHaveText(['⚠ Photo: blurred']);
  await expect(page.getByTestId('compare-quality')).toHaveText(['⚠ Photo: blurred']);
  await expect(page.getByTestId('compare-quality-warning')).toContainText(
    'flagged the earlier photo',
  );
  expect(errors).toEqual([]);
});

test('a dark photo: the gate says "more light"; retake goes back without a result', async ({
  page,
}) => {
  await upload(page, 'dark.png', gatePng('dark'));
  await acceptCrop(page);
  const gate = page.getByTestId('quality-gate');
  await expect(gate.getByTestId('quality-hint')).toHaveText([/too dark: move to more light/]);
  await gate.getByRole('button', { name: 'Retake / choose another photo' }).click();
  await expect(gate).toBeHidden();
  await expect(page.getByRole('button', { name: 'Take a photo' })).toBeFocused();
  await expect(page.getByTestId('result')).toBeHidden();
  await expect(page.getByTestId('status')).toHaveAttribute('data-busy', 'idle');
});

test('a held photo can be cropped again: the same photo at the crop step, checked anew', async ({
  page,
}) => {
  await upload(page, 'dark.png', gatePng('dark'));
  await acceptCrop(page);
  const gate = page.getByTestId('quality-gate');
  await expect(gate).toHaveAttribute('data-problems', 'dark');
  await gate.getByRole('button', { name: 'Crop this photo again' }).click();
  await expect(gate).toBeHidden();
  const step = page.getByTestId('crop-step');
  await expect(step).toBeVisible();
  await expect(step.locator('#crop-note')).toContainText('The photo check had doubts');
  await expect(step.getByTestId('crop-accept')).toBeFocused();
  // A tighter square of a dark photo is still dark: every square meets the check again.
  await page.keyboard.press('+');
  await page.keyboard.press('Enter');
  await expect(gate).toHaveAttribute('data-problems', 'dark');
  await expect(page.getByTestId('result')).toBeHidden();
});

test('a sharp, well-lit photo goes straight to a result, without warnings', async ({ page }) => {
  await upload(page, 'sharp.png', gatePng('sharp'));
  await acceptCrop(page);
  await readResult(page);
  await expect(page.getByTestId('quality-gate')).toBeHidden();
  await expect(page.getByTestId('result')).toHaveAttribute('data-quality', '');
  // No quality warning; the only hint a sharp photo may get is a band not settled when reframed.
  const reframed = await page.getByTestId('result').getAttribute('data-reframed');
  const notSettled = page.getByTestId('input-warning').filter({ hasText: 'Not a settled answer' });
  await expect(page.getByTestId('input-warning')).toHaveCount(reframed ? 1 : 0);
  await expect(notSettled).toHaveCount(reframed ? 1 : 0);
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await page.getByTestId('history-item').first().getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-detail')).toBeVisible();
  await expect(page.getByTestId('scan-quality')).toHaveCount(0);
  // What the result said of its band is what the saved scan says.
  if (reframed) {
    await expect(page.getByTestId('scan-reframed')).toContainText(
      new RegExp(`framed a little tighter or wider, the photo read ${reframed}`, 'i'),
    );
  } else await expect(page.getByTestId('scan-reframed')).toHaveCount(0);
});
