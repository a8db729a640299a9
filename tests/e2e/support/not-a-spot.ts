/** The not-a-skin-spot refusal as the e2e specs check it. */
import { expect, type Page } from '@playwright/test';

export const NOT_A_SPOT_TITLE = "This doesn't look like a close-up of a skin spot";

/**
 * After the crop step: the photo-quality check may hold a drawn image first (a flat field reads as
 * blurred or "spot small in the frame"); "Analyse anyway" is how a person would go on, and the
 * gate must still refuse it then (the flower was held as "too dark", then scored).
 */
export async function pastQualityCheck(page: Page): Promise<void> {
  const held = page.getByTestId('quality-gate');
  const refused = page.getByTestId('not-a-spot');
  await expect(held.or(refused)).toBeVisible();
  if (await held.isVisible()) {
    await held.getByRole('button', { name: 'Analyse anyway' }).click();
  }
}

/** The refusal is on screen, focused and announced, and nothing of a result exists. */
export async function expectRefused(page: Page): Promise<void> {
  const refusal = page.getByTestId('not-a-spot');
  await expect(refusal).toBeVisible();
  await expect(page.getByRole('heading', { name: NOT_A_SPOT_TITLE })).toBeFocused();
  await expect(refusal.getByLabel('Your photo (not analysed)')).toBeVisible();
  await expect(refusal.getByTestId('not-a-spot-reason').first()).toBeVisible();
  await expect(refusal).toContainText('What to do instead');
  await expect(refusal.getByTestId('not-a-spot-doctor')).toContainText('see a doctor anyway');
  // The status line is a live region: it says so too.
  await expect(page.getByTestId('status')).toContainText(`Not analysed. ${NOT_A_SPOT_TITLE}.`);
  // No result, no probability, no risk band, nothing to save; scans saved before, in History,
  // keep theirs.
  await expect(page.getByTestId('result')).toHaveCount(0);
  await expect(page.getByTestId('quality-gate')).toHaveCount(0);
  const scanArea = page.locator(
    'main :not(section[aria-labelledby="history-title"], section[aria-labelledby="history-title"] *)',
  );
  await expect(scanArea.getByText(/risk/i)).toHaveCount(0);
  await expect(scanArea.getByText(/\d+(\.\d+)?\s*%/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save to history' })).toHaveCount(0);
}

/** "Retake" leaves the refusal and puts the focus back where a photo is taken or chosen. */
export async function retake(page: Page): Promise<void> {
  await page.getByTestId('not-a-spot-retake').click();
  await expect(page.getByTestId('not-a-spot')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Take a photo' })).toBeFocused();
  await expect(page.getByTestId('status')).not.toContainText('Not analysed');
}
