/**
 * Follow-up reminders end to end: intervals set on spots' pages (stored with the spot), the home
 * page listing the spot that is due (scanned 4 months ago, every 3 months) and not the one that is
 * not, a link to it, and its "Add to calendar" file (RFC 5545) read back; axe on both pages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { screenshotPath, watchErrors } from './support/page';
import { readStore, seedV2 } from './support/seed';

const NOW = new Date('2026-06-15T12:00:00Z');
const FOUR_MONTHS_AGO = Date.parse('2026-02-15T12:00:00Z');
const ARM = { id: 'spot-arm', name: 'Right forearm, inner side', createdAt: FOUR_MONTHS_AGO };
const KNEE = { id: 'spot-knee', name: 'Left knee', createdAt: FOUR_MONTHS_AGO };
const P = [0.02, 0.03, 0.1, 0.05, 0.1, 0.65, 0.05];

const axe = (page: Page) =>
  new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);

async function setInterval(page: Page, spotId: string, label: string): Promise<void> {
  await page.goto(`./#/spots/${spotId}`);
  await page.getByLabel('Re-check reminder').selectOption({ label });
  await expect(page.getByTestId('recheck-due')).toBeVisible();
}

test('a spot scanned 4 months ago with a 3-month interval is listed as due; its .ics', async ({
  page,
}) => {
  await page.clock.setFixedTime(NOW);
  await seedV2(
    page,
    [ARM, KNEE],
    [
      {
        id: 'arm-1',
        createdAt: FOUR_MONTHS_AGO - 30 * 86_400_000,
        lesionId: ARM.id,
        probabilities: P,
      },
      { id: 'arm-2', createdAt: FOUR_MONTHS_AGO, lesionId: ARM.id, probabilities: P },
      { id: 'knee-1', createdAt: FOUR_MONTHS_AGO, lesionId: KNEE.id, probabilities: P },
    ],
  );
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByTestId('history')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('due-spots')).toHaveCount(0); // no intervals yet

  await setInterval(page, ARM.id, 'Every 3 months');
  await expect(page.getByTestId('recheck-due')).toContainText('Due for a re-check since');
  await setInterval(page, KNEE.id, 'Every 6 months');
  await expect(page.getByTestId('recheck-due')).toContainText('Next re-check:');
  expect((await readStore(page, 'lesions')).records).toEqual([
    { ...ARM, recheckMonths: 3 },
    { ...KNEE, recheckMonths: 6 },
  ]);
  expect((await axe(page).analyze()).violations).toEqual([]);

  // Opening the app: the due spot is listed, with links to it and to a new scan of it.
  await page.goto('./');
  const due = page.getByTestId('due-spot');
  await expect(due).toHaveCount(1);
  await expect(due).toHaveAttribute('data-id', ARM.id);
  await expect(due).toContainText('every 3 months');
  await expect(due.getByRole('link', { name: /New scan of/ })).toHaveAttribute(
    'href',
    `#/scan/${ARM.id}`,
  );
  expect((await axe(page).analyze()).violations).toEqual([]);
  await page.screenshot({ path: screenshotPath('reminders.png') });

  await due.getByRole('link', { name: ARM.name, exact: true }).click();
  await expect(page.getByRole('heading', { name: ARM.name })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Add to calendar' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('dermlens-recheck-right-forearm-inner-side.ics');
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const unfolded = text.replace(/\r\n /g, '').split('\r\n');
  const origin = new URL(page.url()).origin;
  expect(unfolded).toEqual([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//DermLens//Re-check reminder//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:recheck-${ARM.id}@dermlens`,
    'DTSTAMP:20260615T120000Z',
    // Overdue since 15 May: the reminder is for today, not a day already gone.
    'DTSTART;VALUE=DATE:20260615',
    'DTEND;VALUE=DATE:20260616',
    'SUMMARY:Re-check skin spot: Right forearm\\, inner side',
    `DESCRIPTION:Time to photograph “${ARM.name.replace(',', '\\,')}” again with DermLens and compare it with its last scan. DermLens is a screening aid\\, not a diagnosis: see a doctor about any change.`,
    `URL:${origin}/#/spots/${ARM.id}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ]);

  // No interval: nothing due, nothing to add.
  await page.getByLabel('Re-check reminder').selectOption({ label: 'None' });
  await expect(page.getByRole('button', { name: 'Add to calendar' })).toHaveCount(0);
  await page.goto('./');
  await expect(page.getByTestId('history')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('due-spots')).toHaveCount(0);
  expect(errors).toEqual([]);
});
