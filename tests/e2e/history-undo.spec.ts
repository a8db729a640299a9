/**
 * Deleting with undo, end to end, on a history seeded as v2 wrote it: a scan deleted and put back
 * (every field, the photo byte for byte, its spot), by button and by Ctrl+Z; a delete left alone
 * stays; a reload during the undo window keeps the delete the person asked for; the focus after
 * Close and Delete; a spot deleted on its page and put back with its scans; axe on the bar.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { screenshotPath, watchErrors } from './support/page';
import { readStore, seedV2, type SeedScan } from './support/seed';

const DAY = 86_400_000;
const T0 = Date.parse('2026-02-03T10:00:00Z');
const MOLE = { id: 'spot-mole', name: 'Left shoulder mole', createdAt: T0 - DAY };
const P = [0.02, 0.03, 0.1, 0.05, 0.1, 0.65, 0.05];
const SCANS: SeedScan[] = [
  { id: 'scan-1', createdAt: T0, lesionId: MOLE.id, probabilities: P },
  { id: 'scan-2', createdAt: T0 + 30 * DAY, lesionId: MOLE.id, probabilities: P, note: 'itchy' },
  { id: 'scan-3', createdAt: T0 + 10 * DAY, note: 'not in a spot', probabilities: P },
  {
    id: 'scan-4',
    createdAt: T0 + 20 * DAY,
    modelId: 'ham10000-28',
    probabilities: [0.3, 0.2, 0.1, 0.05, 0.25, 0.05, 0.05],
  },
];

const items = (page: Page) => page.getByTestId('history-item');
const item = (page: Page, id: string) =>
  page.locator(`[data-testid="history-item"][data-id="${id}"]`);
const ids = async (page: Page) =>
  (await readStore(page, 'scans')).records.map((r) => String(r['id'])).sort();
const byId = (records: Record<string, unknown>[]) =>
  [...records].sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
const axe = (page: Page) =>
  new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);

test('a deleted scan comes back with every field by Undo or Ctrl+Z; the focus follows', async ({
  page,
}) => {
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(items(page)).toHaveCount(4);
  const before = await readStore(page, 'scans');
  // Newest first: scan-2 (in the spot, with a note), scan-4, scan-3, scan-1.
  expect(await items(page).evaluateAll((li) => li.map((e) => e.getAttribute('data-id')))).toEqual([
    'scan-2',
    'scan-4',
    'scan-3',
    'scan-1',
  ]);

  await item(page, 'scan-2')
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(items(page)).toHaveCount(3);
  // Deleted at once (every tab sees it); the focus goes to the next scan in the list.
  expect(await ids(page)).toEqual(['scan-1', 'scan-3', 'scan-4']);
  await expect(item(page, 'scan-4').getByRole('button', { name: 'Open' })).toBeFocused();
  const bar = page.getByTestId('undo-bar');
  await expect(bar).toContainText('deleted.');
  // The bar never covers the focus (it is scrolled out from under it).
  const focused = await item(page, 'scan-4').getByRole('button', { name: 'Open' }).boundingBox();
  const barBox = await bar.boundingBox();
  expect(focused!.y + focused!.height).toBeLessThanOrEqual(barBox!.y);
  await expect(page.getByTestId('undo-said')).toContainText('To undo, press Undo');
  expect((await axe(page).analyze()).violations).toEqual([]);
  await page.screenshot({ path: screenshotPath('undo.png') });

  await bar.getByRole('button', { name: 'Undo' }).click();
  await expect(items(page)).toHaveCount(4);
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('undo-said')).toHaveText('Undone: it is back.');
  await expect(item(page, 'scan-2').getByRole('button', { name: 'Open' })).toBeFocused();
  // Every field, the photo byte for byte, and its spot.
  const restored = await readStore(page, 'scans');
  expect(restored.version).toBe(4);
  expect(byId(restored.records)).toEqual(byId(before.records));

  // By the keyboard only: Delete with Enter, then Ctrl+Z.
  await item(page, 'scan-3')
    .getByRole('button', { name: /^Delete/ })
    .focus();
  await page.keyboard.press('Enter');
  await expect(items(page)).toHaveCount(3);
  await expect(item(page, 'scan-1').getByRole('button', { name: 'Open' })).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(items(page)).toHaveCount(4);
  expect(byId((await readStore(page, 'scans')).records)).toEqual(byId(before.records));
  await page.getByRole('link', { name: /Your spots/ }).click();
  await expect(page.getByTestId('spot-item')).toContainText('2 scans');
  expect(errors).toEqual([]);
});

test('a delete left alone stays; a reload in the undo window keeps it; focus after Close and the last Delete', async ({
  page,
}) => {
  await seedV2(page, [], [SCANS[2]!, SCANS[3]!]);
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(items(page)).toHaveCount(2);

  // Close puts the focus back on the scan's Open button.
  await item(page, 'scan-3').getByRole('button', { name: 'Open' }).click();
  const detail = page.getByTestId('scan-detail');
  await expect(detail.getByRole('heading')).toBeFocused();
  await detail.getByRole('button', { name: 'Close' }).click();
  await expect(detail).toBeHidden();
  await expect(item(page, 'scan-3').getByRole('button', { name: 'Open' })).toBeFocused();

  // Deleted, and the undo window left to pass: the bar goes, the scan stays deleted.
  await item(page, 'scan-4')
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(page.getByTestId('undo-bar')).toBeVisible();
  await expect(page.getByTestId('undo-bar')).toBeHidden({ timeout: 30_000 });
  await expect(items(page)).toHaveCount(1);
  expect(await ids(page)).toEqual(['scan-3']);

  // The last one: the focus goes to the History heading. A reload while Undo is still offered
  // keeps the delete (what the person asked for); nothing else is touched.
  await item(page, 'scan-3')
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(page.getByRole('heading', { name: /^History/ })).toBeFocused();
  await expect(page.getByTestId('undo-bar')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('history')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByText('No saved scans yet.')).toBeVisible();
  await expect(page.getByTestId('undo-bar')).toBeHidden();
  expect(await ids(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('a spot deleted on its page comes back with its scans in it', async ({ page }) => {
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page);
  await page.goto(`./#/spots/${MOLE.id}`);
  await expect(page.getByTestId('timeline-item')).toHaveCount(2);
  const scans = await readStore(page, 'scans');
  const spots = await readStore(page, 'lesions');

  await page.getByRole('button', { name: 'Delete spot…' }).click();
  await page.getByRole('button', { name: 'Yes, delete the spot' }).click();
  await expect(page.getByRole('heading', { name: 'Your spots' })).toBeFocused();
  await expect(page.getByText('No spots yet.')).toBeVisible();
  const bar = page.getByTestId('undo-bar');
  await expect(bar).toContainText(`Spot “${MOLE.name}” deleted`);
  expect((await readStore(page, 'scans')).records.filter((r) => 'lesionId' in r)).toEqual([]);

  await bar.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('heading', { name: MOLE.name })).toBeFocused();
  await expect(page.getByTestId('timeline-item')).toHaveCount(2);
  expect(byId((await readStore(page, 'scans')).records)).toEqual(byId(scans.records));
  expect((await readStore(page, 'lesions')).records).toEqual(spots.records);
  expect(errors).toEqual([]);
});
