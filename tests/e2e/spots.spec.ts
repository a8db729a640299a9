/**
 * Lesion tracking end to end: a v2 database upgraded with every scan kept; saving into spots and
 * moving a scan into one; the timeline and the comparison; export in one browser, import into
 * another (byte-identical), re-import adding nothing, conflicts kept by default, invalid files
 * refused with nothing written.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { HistoryExport } from '../../src/lib/storage/export';
import { lesionPng } from './images';
import { readResult, screenshotPath, upload, waitForModel, watchErrors } from './page';
import { readStore, seedV2, type SeedScan } from './seed';

const items = (page: Page) => page.getByTestId('history-item');
const DAY = 86_400_000;
const T0 = Date.parse('2026-02-03T10:00:00Z');

const MOLE = { id: 'spot-mole', name: 'Left shoulder mole', createdAt: T0 - DAY };
const SCANS: SeedScan[] = [
  {
    id: 'scan-1',
    createdAt: T0,
    lesionId: MOLE.id,
    probabilities: [0.02, 0.03, 0.1, 0.05, 0.1, 0.65, 0.05],
  },
  {
    id: 'scan-2',
    createdAt: T0 + 30 * DAY,
    lesionId: MOLE.id,
    probabilities: [0.02, 0.03, 0.1, 0.05, 0.15, 0.6, 0.05],
  },
  {
    id: 'scan-3',
    createdAt: T0 + 61 * DAY,
    lesionId: MOLE.id,
    modelId: 'ham10000-28',
    probabilities: [0.03, 0.04, 0.08, 0.05, 0.25, 0.5, 0.05],
  },
  {
    id: 'scan-4',
    createdAt: T0 + 10 * DAY,
    note: 'not in a spot',
    probabilities: [0.01, 0.01, 0.1, 0.1, 0.03, 0.7, 0.05],
  },
];

test('a v2 database (as v2 wrote it) opens as v3: every scan and the spot kept, timeline works', async ({
  page,
}) => {
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page); // from here on (robots.txt has no favicon.ico)
  const before = await readStore(page, 'scans');
  expect(before.version).toBe(2);

  await page.goto('./');
  await expect(items(page)).toHaveCount(4);
  const after = await readStore(page, 'scans');
  expect(after.version).toBe(3);
  expect(after.records).toEqual(before.records); // field for field, thumbnails byte for byte
  expect((await readStore(page, 'lesions')).records).toEqual([MOLE]);

  await page.getByRole('link', { name: /Your spots/ }).click();
  await expect(page.getByTestId('spot-item')).toHaveCount(1);
  await expect(page.getByTestId('spot-item')).toContainText('3 scans');
  await page.getByRole('link', { name: MOLE.name }).click();
  const timeline = page.getByTestId('timeline-item');
  await expect(timeline).toHaveCount(3);
  expect(await timeline.evaluateAll((li) => li.map((e) => e.getAttribute('data-id')))).toEqual([
    'scan-1',
    'scan-2',
    'scan-3',
  ]);
  // Oldest and newest compared by default; they come from different models, which it says.
  const compare = page.getByTestId('compare');
  await expect(compare.getByTestId('model-differs')).toBeVisible();
  await expect(compare.getByTestId('risk-change')).toHaveAttribute('data-points', '17.00');
  await expect(compare.getByTestId('risk-change')).toContainText(
    '+17.0 points (higher than before)',
  );
  await expect(compare.locator('tr[data-label="mel"] td').last()).toHaveText('+15.0 points');
  await expect(compare.locator('tr[data-label="nv"] td').last()).toHaveText('−15.0 points');
  // Picking the middle scan lets go of the one picked first: now the 2nd against the 3rd.
  await timeline.nth(1).getByLabel('Compare').check();
  await expect(compare.getByTestId('risk-change')).toHaveAttribute('data-points', '12.00');
  await expect(timeline.first().getByLabel('Compare')).not.toBeChecked();
  expect(errors).toEqual([]);
});

test('save into a new spot (placed on the outline), into it again, move a scan in; timeline and comparison', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.clock.setFixedTime(new Date('2026-03-02T09:30:00Z'));
  await page.goto('./');
  await waitForModel(page);

  await upload(page, 'spot-1.png', lesionPng(320, 240, 31));
  await readResult(page);
  await page.getByTestId('spot-choice').selectOption({ label: 'New spot…' });
  await page.getByLabel('Name of the spot').fill('Left shoulder mole');
  const outline = page.getByTestId('body-outline');
  await outline.getByRole('button', { name: 'Back', exact: true }).click();
  const pad = outline.getByRole('button', { name: /Where the spot is, back/ });
  const box = await pad.boundingBox();
  if (!box) throw new Error('no outline');
  await pad.click({ position: { x: box.width * 0.31, y: box.height * 0.19 } });
  await expect(outline.getByTestId('placed')).toHaveText('Placed: Left shoulder (back)');
  await pad.press('ArrowDown'); // the keyboard moves it too
  await expect(outline.getByTestId('placed')).toContainText('(back)');
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();

  await page.clock.setFixedTime(new Date('2026-04-06T18:10:00Z'));
  await upload(page, 'spot-2.png', lesionPng(320, 240, 32));
  await readResult(page);
  await page.getByTestId('spot-choice').selectOption({ label: 'Left shoulder mole' });
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();

  await page.clock.setFixedTime(new Date('2026-05-11T08:45:00Z'));
  await upload(page, 'spot-3.png', lesionPng(320, 240, 33));
  await readResult(page);
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await expect(items(page)).toHaveCount(3);
  await items(page).first().getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('move-to-spot').selectOption({ label: 'Left shoulder mole' });
  await page.getByRole('link', { name: /See the timeline of/ }).click();

  const timeline = page.getByTestId('timeline-item');
  await expect(timeline).toHaveCount(3);
  const stored = (await readStore(page, 'scans')).records as {
    id: string;
    createdAt: number;
    malignantRisk: number;
  }[];
  stored.sort((a, b) => a.createdAt - b.createdAt);
  expect(await timeline.evaluateAll((li) => li.map((e) => e.getAttribute('data-id')))).toEqual(
    stored.map((s) => s.id),
  );
  const first = stored[0]!;
  const last = stored[2]!;
  await expect(page.getByTestId('risk-change')).toHaveAttribute(
    'data-points',
    ((last.malignantRisk - first.malignantRisk) * 100).toFixed(2),
  );
  await expect(page.getByTestId('compare').locator('tbody tr')).toHaveCount(7);
  await expect(page.getByTestId('model-differs')).toHaveCount(0);
  await expect(page.getByTestId('risk-chart').locator('circle')).toHaveCount(3);
  await page.screenshot({ path: screenshotPath('timeline.png'), fullPage: true });
  await page.getByTestId('compare').screenshot({ path: screenshotPath('compare.png') });

  await page.getByRole('link', { name: 'All spots' }).click();
  await expect(page.getByTestId('spot-item')).toContainText('3 scans · latest:');
  await expect(
    page.getByRole('link', { name: /Left shoulder mole, Left shoulder \(back\)/ }),
  ).toBeVisible();
  await page.screenshot({ path: screenshotPath('body-map.png') });
  expect(errors).toEqual([]);
});
