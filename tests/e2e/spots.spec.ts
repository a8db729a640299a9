/**
 * Spot tracking end to end: a v2 database upgraded with every scan kept; saving into spots and
 * moving a scan into one; the timeline and the comparison; export in one browser, import into
 * another (byte-identical), re-import adding nothing, conflicts listed and kept unless ticked,
 * invalid files refused with nothing written.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { HistoryExport } from '../../src/lib/storage/export';
import { spotPng } from './support/images';
import {
  acceptCrop,
  readResult,
  screenshotPath,
  upload,
  waitForModel,
  watchErrors,
} from './support/page';
import { readStore, seedV2, type SeedScan } from './support/seed';

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

test('a v2 database (as v2 wrote it) opens as v4: every scan and the spot kept, timeline works', async ({
  page,
}) => {
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page); // from here on (robots.txt has no favicon.ico)
  const before = await readStore(page, 'scans');
  expect(before.version).toBe(2);

  await page.goto('./');
  await expect(items(page)).toHaveCount(4);
  const after = await readStore(page, 'scans');
  expect(after.version).toBe(4);
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

  // Rename and place it with the keyboard only: a region from the list, then an arrow key.
  await page.getByRole('button', { name: 'Rename or move…' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Mole, left shoulder');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByLabel(/Or choose a region/).selectOption('Left shoulder');
  await page.getByRole('button', { name: /Where the spot is, back/ }).press('ArrowRight');
  await expect(page.getByTestId('placed')).toHaveText('Placed: Left shoulder (back)');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: 'Mole, left shoulder' })).toBeVisible();
  expect((await readStore(page, 'lesions')).records).toEqual([
    { ...MOLE, name: 'Mole, left shoulder', location: { view: 'back', x: 0.33, y: 0.19 } },
  ]);

  // Deleting the spot asks, says its scans stay, and keeps them (in no spot).
  await page.getByRole('button', { name: 'Delete spot…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Its 3 scans stay in History');
  await page.getByRole('button', { name: 'Yes, delete the spot' }).click();
  await expect(page.getByText('No spots yet.')).toBeVisible();
  const kept = (await readStore(page, 'scans')).records;
  expect(kept.map((r) => r['id']).sort()).toEqual(['scan-1', 'scan-2', 'scan-3', 'scan-4']);
  expect(kept.filter((r) => 'lesionId' in r)).toEqual([]);
  expect(errors).toEqual([]);
});

test('save into a new spot (placed on the outline), into it again, move a scan in; timeline and comparison', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.clock.setFixedTime(new Date('2026-03-02T09:30:00Z'));
  await page.goto('./');
  await waitForModel(page);

  await upload(page, 'spot-1.png', spotPng(320, 240, 31));
  await acceptCrop(page);
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
  await expect(page.getByTestId('saved')).toContainText('See the timeline of “Left shoulder mole”');

  await page.clock.setFixedTime(new Date('2026-04-06T18:10:00Z'));
  await upload(page, 'spot-2.png', spotPng(320, 240, 32));
  await acceptCrop(page);
  await readResult(page);
  await page.getByTestId('spot-choice').selectOption({ label: 'Left shoulder mole' });
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();

  await page.clock.setFixedTime(new Date('2026-05-11T08:45:00Z'));
  await upload(page, 'spot-3.png', spotPng(320, 240, 33));
  await acceptCrop(page);
  await readResult(page);
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await expect(items(page)).toHaveCount(3);
  await items(page).first().getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('move-to-spot').selectOption({ label: 'Left shoulder mole' });
  await page
    .getByTestId('scan-detail')
    .getByRole('link', { name: /See the timeline of/ })
    .click();

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

test('New scan of this spot: the scanner opens with the spot chosen, the scan lands in it; its saved note follows the scan', async ({
  page,
}) => {
  const placed = { ...MOLE, location: { view: 'back', x: 0.31, y: 0.19 } };
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page);
  // The spot placed on the outline through its page, as the person would.
  await page.goto(`./#/spots/${MOLE.id}`);
  await page.getByRole('button', { name: 'Rename or move…' }).click();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByLabel(/Or choose a region/).selectOption('Left shoulder');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('spot-where')).toHaveText('Left shoulder (back)');
  expect((await readStore(page, 'lesions')).records).toEqual([placed]);
  await page.screenshot({ path: 'test-results/screenshots/spot-page.png', fullPage: true });

  await page.getByRole('link', { name: 'New scan of this spot' }).click();
  await expect(page).toHaveURL(new RegExp(`#/scan/${MOLE.id}$`));
  const banner = page.getByTestId('scan-for');
  await expect(banner).toContainText(`New scan of “${MOLE.name}” (Left shoulder (back))`);
  await expect(banner.locator('p')).toBeFocused();
  const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  expect((await axe.analyze()).violations).toEqual([]);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Take a photo' })).toBeFocused();
  await waitForModel(page);
  await upload(page, 'again.png', spotPng(320, 240, 34));
  await acceptCrop(page);
  await readResult(page);
  // Chosen already; where it is comes from the spot's place, and no body site is asked.
  await expect(page.getByTestId('spot-choice')).toHaveValue(MOLE.id);
  await expect(page.getByTestId('spot-place')).toHaveText('Where: Left shoulder (back)');
  await expect(page.getByLabel('Body site')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/save-into-spot.png', fullPage: true });
  await page.getByRole('button', { name: 'Save to history' }).click();
  const saved = page.getByTestId('saved');
  await expect(saved).toContainText(`See the timeline of “${MOLE.name}”`);
  const stored = (await readStore(page, 'scans')).records;
  const fresh = stored.find((r) => !SCANS.some((s) => s.id === r['id']));
  expect(fresh).toMatchObject({ lesionId: MOLE.id });
  expect(fresh).not.toHaveProperty('bodySite');
  expect(fresh).not.toHaveProperty('legacyBodySite');

  // Deleted from History: the note goes (the form is back); undone: it comes back.
  const id = String(fresh?.['id']);
  const row = page.locator(`[data-testid="history-item"][data-id="${id}"]`);
  await expect(row).toContainText('Left shoulder (back)');
  await row.getByRole('button', { name: /^Delete/ }).click();
  await expect(saved).toBeHidden();
  await expect(page.getByRole('button', { name: 'Save to history' })).toBeVisible();
  await page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click();
  await expect(saved).toBeVisible();

  await saved.getByRole('link', { name: /See the timeline/ }).click();
  await expect(page.getByTestId('timeline-item')).toHaveCount(4);
  await expect(page.getByTestId('timeline-item').last()).toHaveAttribute('data-id', id);
  expect(errors).toEqual([]);
});

test('a v2 scan whose body site disagrees with its spot: one place shown, the old site kept and said', async ({
  page,
}) => {
  // The case that was reported: "Back" on the scan, the spot at the right shoulder (front).
  const spot = { ...MOLE, bodySite: 'Back' };
  await seedV2(
    page,
    [spot],
    [
      { ...SCANS[0]!, bodySite: 'Back' },
      { ...SCANS[3]!, bodySite: 'Arm' },
    ],
  );
  const errors = watchErrors(page);
  await page.goto(`./#/spots/${MOLE.id}`);
  await expect(page.getByTestId('spot-legacy-site')).toContainText('“Back”, kept as it was');
  await page.getByRole('button', { name: 'Rename or move…' }).click();
  await page.getByLabel(/Or choose a region/).selectOption('Right shoulder');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('spot-where')).toHaveText('Right shoulder (front)');

  await page.goto('./');
  await expect(items(page)).toHaveCount(2);
  // In the list: the spot's place for the scan in it, its own site for the other.
  await expect(items(page).nth(0)).toContainText('Arm');
  await expect(items(page).nth(1)).toContainText('Right shoulder (front)');
  await expect(items(page).nth(1)).not.toContainText('Back');
  await items(page).nth(1).getByRole('button', { name: 'Open' }).click();
  const detail = page.getByTestId('scan-detail');
  await expect(detail.getByTestId('scan-site')).toHaveText(
    `Where: Right shoulder (front) (the place of the spot “${MOLE.name}”)`,
  );
  await expect(detail.getByTestId('legacy-site')).toContainText('body site “Back”, kept as it was');
  const stored = (await readStore(page, 'scans')).records.find((r) => r['id'] === SCANS[0]!.id);
  expect(stored).toMatchObject({ legacyBodySite: 'Back', lesionId: MOLE.id });
  expect(stored).not.toHaveProperty('bodySite');
  expect(errors).toEqual([]);
});

/** Imports a file through the History's file picker. */
async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

test('export in one browser, import into another: same scans byte for byte, spots, timeline; again adds nothing; conflicts kept; bad files refused', async ({
  page,
  browser,
  baseURL,
}) => {
  await seedV2(page, [MOLE], SCANS);
  await page.goto('./');
  await expect(items(page)).toHaveCount(4);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export all (file)' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  const file = JSON.parse(text) as HistoryExport;
  expect(file).toMatchObject({ app: 'DermLens', format: 3, schemaVersion: 4 });
  expect(file.lesions).toEqual([MOLE]);
  expect(file.scans).toHaveLength(4);
  const source = {
    scans: (await readStore(page, 'scans')).records,
    lesions: (await readStore(page, 'lesions')).records,
  };

  const fresh = await browser.newContext({ baseURL: baseURL ?? '' });
  try {
    const other = await fresh.newPage();
    const errors = watchErrors(other);
    await other.goto('./');
    await expect(other.getByTestId('history')).toHaveAttribute('data-status', 'ready');
    await expect(items(other)).toHaveCount(0);

    const message = other.getByTestId('import-message');
    await importFile(other, 'history.json', text);
    await expect(message).toHaveText('4 scans and 1 spot imported, 0 already here.');
    await expect(items(other)).toHaveCount(4);
    const sorted = (r: Record<string, unknown>[]) =>
      [...r].sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    expect(sorted((await readStore(other, 'scans')).records)).toEqual(sorted(source.scans));
    expect((await readStore(other, 'lesions')).records).toEqual(source.lesions);

    // The same file again: everything is already here.
    await importFile(other, 'history.json', text);
    await expect(message).toHaveText('0 scans and 0 spots imported, 5 already here.');
    await expect(items(other)).toHaveCount(4);

    // Same ids, other content: asked, and by default this device's records stay.
    const edited = {
      ...file,
      lesions: file.lesions.map((l) => ({ ...l, name: 'Renamed elsewhere' })),
      scans: file.scans.map((s, i) => (i === 0 ? { ...s, note: 'edited elsewhere' } : s)),
    };
    await importFile(other, 'edited.json', JSON.stringify(edited));
    const dialog = other.getByTestId('import-conflicts');
    await expect(dialog).toContainText('2 records in the file have the same id');
    // Each conflict named as it is here, with what the file changes; none ticked at first.
    const rows = dialog.getByTestId('import-conflict');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(`Spot “${MOLE.name}”`);
    await expect(rows.nth(0)).toContainText('differs in: name (“Renamed elsewhere” in the file).');
    await expect(rows.nth(1)).toContainText('Scan of');
    await expect(rows.nth(1)).toContainText('differs in: note (“edited elsewhere” in the file).');
    for (const box of await rows.getByRole('checkbox').all()) await expect(box).not.toBeChecked();
    const axe = new AxeBuilder({ page: other })
      .include('[data-testid="import-conflicts"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
    expect((await axe.analyze()).violations).toEqual([]);
    await dialog.screenshot({ path: screenshotPath('import-conflicts.png') });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(message).toHaveText(
      '0 scans and 0 spots imported, 3 already here, 2 kept as on this device.',
    );
    expect((await readStore(other, 'lesions')).records).toEqual(source.lesions);
    // ...and replaced only where the person ticks: the spot's new name, not the scan's note.
    await importFile(other, 'edited.json', JSON.stringify(edited));
    await rows.nth(0).getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(message).toHaveText(
      '0 scans and 0 spots imported, 3 already here, 1 kept as on this device, 1 replaced with the imported version.',
    );
    expect((await readStore(other, 'lesions')).records).toEqual(edited.lesions);
    const notes = (await readStore(other, 'scans')).records.map((r) => r['note']);
    expect(notes).not.toContain('edited elsewhere');
    // The original file again: only the spot differs now, named as it is here.
    await importFile(other, 'history.json', text);
    await expect(rows).toHaveCount(1);
    await expect(rows.nth(0)).toContainText('Spot “Renamed elsewhere”');
    await rows.nth(0).getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(message).toHaveText(
      '0 scans and 0 spots imported, 4 already here, 1 replaced with the imported version.',
    );
    expect((await readStore(other, 'lesions')).records).toEqual(source.lesions);
    // "Tick all" takes every one of the file's versions.
    await importFile(other, 'edited.json', JSON.stringify(edited));
    await dialog.getByRole('button', { name: 'Tick all' }).click();
    for (const box of await rows.getByRole('checkbox').all()) await expect(box).toBeChecked();
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(message).toHaveText(
      '0 scans and 0 spots imported, 3 already here, 2 replaced with the imported version.',
    );
    expect((await readStore(other, 'lesions')).records).toEqual(edited.lesions);
    expect((await readStore(other, 'scans')).records.map((r) => r['note'])).toContain(
      'edited elsewhere',
    );
    // Back to the original for the checks below.
    await importFile(other, 'history.json', text);
    await dialog.getByRole('button', { name: 'Tick all' }).click();
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(message).toHaveText(
      '0 scans and 0 spots imported, 3 already here, 2 replaced with the imported version.',
    );
    expect((await readStore(other, 'lesions')).records).toEqual(source.lesions);

    // Bad files: a clear message, nothing written.
    const bad = {
      ...file,
      scans: file.scans.map((s, i) => (i === 1 ? { ...s, probabilities: [0.5, 0.5] } : s)),
    };
    await importFile(other, 'bad.json', JSON.stringify(bad));
    await expect(message).toContainText('scan 2 has 2 probabilities for 7 labels');
    await expect(message).toContainText('Nothing was imported.');
    await importFile(other, 'photo.json', 'not json at all');
    await expect(message).toContainText('it is not JSON');
    const fake = {
      ...file,
      scans: [{ ...file.scans[0], id: 'new', thumbnail: 'data:image/jpeg;base64,aGVsbG8=' }],
    };
    await importFile(other, 'fake.json', JSON.stringify(fake));
    await expect(message).toContainText('thumbnail says jpeg but its bytes are unknown');
    expect(sorted((await readStore(other, 'scans')).records)).toEqual(sorted(source.scans));

    // The spot and its timeline came across.
    await other.getByRole('link', { name: /Your spots/ }).click();
    await other.getByRole('link', { name: MOLE.name }).click();
    await expect(other.getByTestId('timeline-item')).toHaveCount(3);
    expect(errors).toEqual([]);
  } finally {
    await fresh.close();
  }
});
