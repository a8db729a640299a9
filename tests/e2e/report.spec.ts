/**
 * The report for a doctor, end to end: opened from a saved scan and from a spot, its content
 * checked against the stored records and the served model card, printed through Chromium's PDF
 * (A4 pages, only the report, the stored photos embedded, the text read back from the PDF), the
 * shared PNG handed to a stubbed share sheet, the Share button absent where files cannot be
 * shared, and axe on the page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { ModelCard } from '../../src/lib/card/model-card';
import { DISCLAIMER } from '../../src/ui/text';
import { screenshotPath, watchErrors } from './support/page';
import { readPdf, type Pdf } from './support/pdf';
import { readStore, seedV2, type SeedScan } from './support/seed';

// Dates are checked as a person in the UK reads them.
test.use({ locale: 'en-GB', timezoneId: 'UTC' });

const DAY = 86_400_000;
const T0 = Date.parse('2026-02-03T10:00:00Z');
const MODEL = 'derm-lite0-128';
const MOLE = { id: 'spot-mole', name: 'Left shoulder mole', createdAt: T0 - DAY };
const SCANS: SeedScan[] = [
  {
    id: 'scan-1',
    createdAt: T0,
    lesionId: MOLE.id,
    modelId: MODEL,
    note: 'itches a bit',
    probabilities: [0.02, 0.03, 0.1, 0.05, 0.12, 0.63, 0.05],
  },
  {
    id: 'scan-2',
    createdAt: T0 + 30 * DAY,
    lesionId: MOLE.id,
    modelId: MODEL,
    probabilities: [0.06, 0.04, 0.1, 0.02, 0.31, 0.44, 0.03],
  },
  {
    id: 'scan-3',
    createdAt: T0 + 61 * DAY,
    lesionId: MOLE.id,
    modelId: 'ham10000-28', // retired: no card to quote
    probabilities: [0.03, 0.04, 0.08, 0.05, 0.25, 0.5, 0.05],
  },
  {
    id: 'scan-4',
    createdAt: T0 + 10 * DAY,
    modelId: MODEL,
    bodySite: 'Arm',
    note: 'on the left forearm',
    probabilities: [0.01, 0.02, 0.15, 0.1, 0.04, 0.64, 0.04],
  },
];
/** The seeded times as en-GB, UTC writes them. */
const DATES: Record<string, string> = {
  'scan-1': '3 Feb 2026, 10:00',
  'scan-2': '5 Mar 2026, 10:00',
  'scan-3': '5 Apr 2026, 10:00',
  'scan-4': '13 Feb 2026, 10:00',
};

interface Stored {
  readonly id: string;
  readonly labels: string[];
  readonly labelNames: Record<string, string>;
  readonly probabilities: number[];
  readonly malignant: string[];
  readonly malignantRisk: number;
  readonly band: string;
  readonly thumbnail: string;
}

/** The records as stored (after the app upgraded them), by id. */
async function stored(page: Page): Promise<Map<string, Stored>> {
  const { records } = await readStore(page, 'scans');
  return new Map(records.map((r) => [r['id'] as string, r as unknown as Stored]));
}

const pct = (p: number): string => `${Math.round(p * 100)}%`;
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The report's lines about the model, from the card this build serves. */
function cardLines(): string[] {
  const card = JSON.parse(readFileSync(`dist/model/${MODEL}/card.json`, 'utf8')) as ModelCard;
  const phone = card.phone!;
  const sens = Math.round(100 * phone.malignant.threshold.sensitivity);
  const flagged = Math.round(100 * (1 - phone.malignant.threshold.specificity));
  return [
    `Of 100 skin cancers in testing on phone photos, it rated ${sens} as medium or high risk ` +
      `(so it missed ${100 - sens}); of 100 harmless spots it rated ${flagged} that high.`,
    `(${phone.malignant.positives + phone.malignant.negatives} test photos`,
    `${(card.parameters / 1e6).toFixed(2)} M parameters, ${card.inputSize}×${card.inputSize} pixel input`,
  ];
}

/** One entry on the page: its date, band and every class equal to the stored record's. */
async function expectEntry(page: Page, scan: Stored): Promise<void> {
  const entry = page.locator(`[data-testid="report-entry"][data-id="${scan.id}"]`);
  await expect(entry.locator('time')).toHaveText(DATES[scan.id]!);
  await expect(entry.locator('time')).toHaveAttribute(
    'datetime',
    new Date(SCANS.find((s) => s.id === scan.id)!.createdAt).toISOString(),
  );
  await expect(entry.getByTestId('report-risk')).toHaveText(
    `Malignant risk: ${capital(scan.band)} (${pct(scan.malignantRisk)})`,
  );
  const order = scan.labels
    .map((label, i) => ({ label, p: scan.probabilities[i]! }))
    .sort((a, b) => b.p - a.p);
  const rows = entry.locator('li[data-label]');
  expect(await rows.evaluateAll((li) => li.map((e) => e.getAttribute('data-label')))).toEqual(
    order.map((o) => o.label),
  );
  for (const { label, p } of order) {
    const row = entry.locator(`li[data-label="${label}"]`);
    await expect(row).toHaveAttribute('data-probability', String(p));
    const tag = scan.malignant.includes(label) ? ' (malignant type)' : '';
    await expect(row).toHaveText(`${scan.labelNames[label]}: ${pct(p)}${tag}`);
  }
  // The stored photo, decoded.
  const size = await entry.locator('img').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  });
  expect(size).toEqual([224, 224]);
}

/** Prints the page as Chromium does for Save as PDF (print media, the page's @page size). */
async function printPdf(page: Page): Promise<Pdf> {
  await page.emulateMedia({ media: 'print' });
  const pdf = readPdf(await page.pdf({ preferCSSPageSize: true }));
  await page.emulateMedia({ media: 'screen' });
  return pdf;
}

/** A4 pages with the print stylesheet's margins (16 mm top, 15 mm sides); mm from points. */
function expectA4(pdf: Pdf): void {
  const mm = (pt: number): number => (pt * 25.4) / 72;
  for (const p of pdf.pages) {
    expect(mm(p.size[0])).toBeCloseTo(210, 0);
    expect(mm(p.size[1])).toBeCloseTo(297, 0);
    const [x, y, w] = p.contentBox!;
    expect(mm(x)).toBeCloseTo(15, 0);
    expect(mm(y)).toBeCloseTo(16, 0);
    expect(mm(w)).toBeCloseTo(180, 0);
  }
}

/** The PDF's text, all pages, lines joined: wrapped sentences read whole. */
const flat = (pdf: Pdf): string => pdf.pages.map((p) => p.text.replace(/\n/g, ' ')).join(' ');

/**
 * The page with a line that is `start` (a scan's date heading, a class), or begins with it and a
 * space: not the same words inside a sentence, such as the dates in the spot's summary.
 */
const pageWith = (pdf: Pdf, start: string): number =>
  pdf.pages.findIndex((p) =>
    p.text.split('\n').some((l) => l === start || l.startsWith(`${start} `)),
  );

/** What the app around the report says, which paper must not show. */
const CHROME = ['Skin spot check, on your device', 'Print or save as PDF', '← Back'];

const axe = (page: Page) =>
  new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);

test('a saved scan’s report: its numbers, notes, the card’s lines, the notice; printed to A4', async ({
  page,
}) => {
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page);
  await page.goto('./');
  await page
    .locator('[data-testid="history-item"][data-id="scan-4"]')
    .getByRole('button', {
      name: 'Open',
    })
    .click();
  await page
    .getByTestId('scan-detail')
    .getByRole('link', { name: 'Report for your doctor' })
    .click();
  await expect(page).toHaveURL(/#\/scans\/scan-4\/report$/);
  const scan = (await stored(page)).get('scan-4')!;

  const report = page.getByTestId('report');
  await expect(report.getByRole('heading', { level: 2 })).toHaveText(
    'DermLens report for your doctor',
  );
  await expect(page.getByTestId('report-about')).toHaveText(
    `One photo of a skin spot, taken ${DATES['scan-4']}.`,
  );
  await expect(page.getByTestId('report-entry')).toHaveCount(1);
  await expectEntry(page, scan);
  const entry = page.getByTestId('report-entry');
  await expect(entry).toContainText('Body site: Arm');
  await expect(entry).toContainText('Note: on the left forearm');
  await expect(entry).toContainText(`Analysed on this device by: Accurate model (${MODEL}`);
  for (const line of cardLines())
    await expect(page.getByTestId('report-model')).toContainText(line);
  await expect(report.getByRole('complementary', { name: 'Important' })).toHaveText(
    `Not a diagnosis. ${DISCLAIMER}`,
  );
  // This Chromium (Linux) cannot share files: no Share button, printing is the way.
  expect(await page.evaluate(() => typeof navigator.canShare)).toBe('undefined');
  await expect(page.getByTestId('share-report')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeVisible();
  expect((await axe(page).analyze()).violations).toEqual([]);

  // The same page in a dark theme, where the app has one.
  await page.emulateMedia({ colorScheme: 'dark' });
  expect((await axe(page).analyze()).violations).toEqual([]);

  // Print media, from a dark screen: only the report, black on white, no app header or buttons.
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  await expect(page.locator('#app > header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
  await expect(report).toBeVisible();
  const colours = await report.evaluate((el) => [
    getComputedStyle(el).color,
    getComputedStyle(document.body).backgroundColor,
  ]);
  expect(colours).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);

  const pdf = await printPdf(page);
  expect(pdf.pages).toHaveLength(1);
  expectA4(pdf);
  expect(pdf.title).toBe(`DermLens report for your doctor: scan of ${DATES['scan-4']}`);
  // The photo is embedded as the stored JPEG, byte for byte (Skia passes JPEGs through).
  expect(pdf.images).toHaveLength(1);
  expect(pdf.images[0]).toMatchObject({ width: 224, height: 224, filter: 'DCTDecode' });
  expect(`image/jpeg:${pdf.images[0]!.bytes.toString('base64')}`).toBe(scan.thumbnail);
  expect(pdf.pages[0]!.images).toEqual([pdf.images[0]!.id]);
  const text = flat(pdf);
  for (const expected of [
    'DermLens report for your doctor',
    DATES['scan-4']!,
    `Malignant risk: ${capital(scan.band)} (${pct(scan.malignantRisk)})`,
    ...scan.labels.map((l, i) => `${scan.labelNames[l]}: ${pct(scan.probabilities[i]!)}`),
    'Body site: Arm',
    'Note: on the left forearm',
    `Not a diagnosis. ${DISCLAIMER}`,
    ...cardLines(),
  ]) {
    expect(text).toContain(expected);
  }
  for (const chrome of CHROME) expect(text).not.toContain(chrome);
  expect(errors).toEqual([]);
});

test('a spot’s report: the timeline oldest first, its chart, a retired model said so; the PNG handed to the share sheet', async ({
  page,
}) => {
  // A phone that can share files: the share sheet is stubbed, and keeps what it was handed.
  await page.addInitScript(() => {
    const handed: unknown[] = [];
    Object.assign(window, { handed });
    const isPng = (data?: ShareData): boolean =>
      !!data?.files?.length && data.files.every((f) => f instanceof File && f.type === 'image/png');
    Object.defineProperty(Navigator.prototype, 'canShare', { configurable: true, value: isPng });
    Object.defineProperty(Navigator.prototype, 'share', {
      configurable: true,
      value: async (data: ShareData) => {
        const file = data.files![0]!;
        const bytes = new Uint8Array(await file.arrayBuffer());
        const bitmap = await createImageBitmap(file);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        let ink = 0;
        let colour = 0;
        for (let i = 0; i < px.length; i += 4) {
          const [r, g, b] = [px[i]!, px[i + 1]!, px[i + 2]!];
          if (r + g + b < 300) ink++;
          if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colour++;
        }
        handed.push({
          name: file.name,
          type: file.type,
          size: file.size,
          signature: [...bytes.slice(0, 8)],
          width: bitmap.width,
          height: bitmap.height,
          ink: ink / (px.length / 4),
          colour: colour / (px.length / 4),
          title: data.title,
          files: data.files!.length,
        });
      },
    });
  });
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page);
  await page.goto(`./#/spots/${MOLE.id}`);
  await page.getByRole('link', { name: 'Report for your doctor' }).click();
  await expect(page).toHaveURL(/#\/spots\/spot-mole\/report$/);
  const scans = await stored(page);

  await expect(page.getByTestId('report')).toHaveAttribute('data-kind', 'spot');
  await expect(page.getByTestId('report-about').first()).toHaveText(
    `Skin spot “${MOLE.name}”, followed over time. 3 scans, from ${DATES['scan-1']} to ` +
      `${DATES['scan-3']}.`,
  );
  const entries = page.getByTestId('report-entry');
  expect(await entries.evaluateAll((li) => li.map((e) => e.getAttribute('data-id')))).toEqual([
    'scan-1',
    'scan-2',
    'scan-3',
  ]);
  for (const id of ['scan-1', 'scan-2', 'scan-3']) await expectEntry(page, scans.get(id)!);
  await expect(entries.nth(0)).toContainText('Note: itches a bit');
  await expect(entries.nth(2)).toContainText('ham10000-28 v1.0.0 (a retired model');
  await expect(page.getByTestId('risk-chart').locator('circle')).toHaveCount(3);
  const model = page.getByTestId('report-model');
  for (const line of cardLines()) await expect(model).toContainText(line);
  await expect(model).toContainText('The model (ham10000-28) is no longer part of this app');
  expect((await axe(page).analyze()).violations).toEqual([]);
  await page.screenshot({ path: screenshotPath('report.png') });

  // Share: the PNG drawn on the device, handed over with its name and type.
  const share = page.getByTestId('share-report');
  await expect(share).toHaveAttribute('data-ready', 'true');
  await share.click();
  await expect(page.getByTestId('share-status')).toHaveText('Report shared.');
  const [handed] = await page.evaluate(() => (window as unknown as { handed: unknown[] }).handed);
  const day = new Date().toISOString().slice(0, 10); // the browser's day, in UTC here
  expect(handed).toMatchObject({
    name: `dermlens-report-left-shoulder-mole-${day}.png`,
    type: 'image/png',
    signature: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    width: 1240,
    title: 'DermLens report for your doctor',
    files: 1,
  });
  const png = handed as { size: number; height: number; ink: number; colour: number };
  // Three photos and the text of three scans: a tall page, well over a blank canvas's bytes.
  expect(png.height).toBeGreaterThan(2400);
  expect(png.size).toBeGreaterThan(150_000);
  expect(png.ink).toBeGreaterThan(0.01); // text
  expect(png.colour).toBeGreaterThan(0.05); // photos: the rest is black on white

  // Printed: the chart's page, then scans that each stay whole on a page.
  await page.emulateMedia({ media: 'print' });
  // The A4 page's content box at 96 dpi (210 x 297 mm less the margins): the PDF's line breaks.
  await page.setViewportSize({ width: 680, height: 1002 });
  await page.screenshot({ path: screenshotPath('report-print.png'), fullPage: true });
  const pdf = await printPdf(page);
  expect(pdf.pages.length).toBeGreaterThanOrEqual(2);
  expectA4(pdf);
  expect(pdf.title).toBe(`DermLens report for your doctor: ${MOLE.name}`);
  // Each stored photo embedded once, as it is, and drawn whole on one page: its scan's page.
  const ids = ['scan-1', 'scan-2', 'scan-3'];
  const photoOf = new Map<string, number>(
    pdf.images.map((i) => [`image/jpeg:${i.bytes.toString('base64')}`, i.id]),
  );
  expect([...photoOf.keys()].sort()).toEqual(ids.map((id) => scans.get(id)!.thumbnail).sort());
  for (const id of ids) {
    const image = photoOf.get(scans.get(id)!.thumbnail)!;
    const onPages = pdf.pages.flatMap((p, n) => (p.images.includes(image) ? [n] : []));
    expect(onPages).toEqual([pageWith(pdf, DATES[id]!)]);
  }
  const text = flat(pdf);
  for (const expected of [
    'Malignant risk over time',
    ...['scan-1', 'scan-2', 'scan-3'].map((id) => DATES[id]!),
    'Note: itches a bit',
    `Not a diagnosis. ${DISCLAIMER}`,
    ...cardLines(),
  ]) {
    expect(text).toContain(expected);
  }
  // The scans in time order, each wholly on one page (its date and its last class together).
  const scansPart = text.slice(text.indexOf('The scans, oldest first'));
  const at = ['scan-1', 'scan-2', 'scan-3'].map((id) => scansPart.indexOf(DATES[id]!));
  expect(Math.min(...at)).toBeGreaterThan(0);
  expect(at).toEqual([...at].sort((a, b) => a - b));
  for (const id of ['scan-1', 'scan-2', 'scan-3']) {
    const s = scans.get(id)!;
    const lowest = s.probabilities.indexOf(Math.min(...s.probabilities));
    const last = `${s.labelNames[s.labels[lowest]!]}: ${pct(s.probabilities[lowest]!)}`;
    expect(pageWith(pdf, DATES[id]!)).toBe(pageWith(pdf, last));
  }
  for (const chrome of [...CHROME, 'Share the report']) expect(text).not.toContain(chrome);
  expect(errors).toEqual([]);
});

test('no Share button where files cannot be shared; a report for what is not there says so', async ({
  page,
}) => {
  // A browser with Web Share but without files (Level 1 only).
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'share', { configurable: true, value: () => {} });
    Object.defineProperty(Navigator.prototype, 'canShare', {
      configurable: true,
      value: (data?: ShareData) => !data?.files,
    });
  });
  await seedV2(page, [MOLE], SCANS);
  const errors = watchErrors(page);
  await page.goto('./#/scans/scan-1/report');
  await expect(page.getByTestId('report-entry')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeVisible();
  await expect(page.getByTestId('share-report')).toHaveCount(0);

  await page.goto('./#/scans/no-such-scan/report');
  await expect(page.getByRole('alert')).toHaveText(
    'This saved scan does not exist (any more), so there is no report to make.',
  );
  await expect(page.getByTestId('report')).toHaveCount(0);
  await page.goto('./#/spots/no-such-spot/report');
  await expect(page.getByRole('alert')).toHaveText(
    'This spot does not exist (any more), so there is no report to make.',
  );
  expect(errors).toEqual([]);
});

test("a scan by an earlier version of a shipped model: named so, without today's card numbers", async ({
  page,
}) => {
  const earlier: SeedScan = {
    id: 'scan-old',
    createdAt: T0,
    modelId: MODEL,
    modelVersion: '0.9.0',
    probabilities: [0.02, 0.02, 0.1, 0.06, 0.1, 0.65, 0.05],
  };
  await seedV2(page, [MOLE], [earlier, { ...SCANS[3]!, id: 'scan-now' }]);
  const errors = watchErrors(page);
  await page.goto('./');
  const open = async (id: string) => {
    await page
      .locator(`[data-testid="history-item"][data-id="${id}"]`)
      .getByRole('button', { name: 'Open' })
      .click();
    return page.getByTestId('scan-detail');
  };
  // The saved scan: today's card speaks for today's network only.
  const now = await open('scan-now');
  await expect(now.getByTestId('result-trust')).toContainText(cardLines()[0]!);
  const old = await open('scan-old');
  await expect(old).toContainText(`(${MODEL} v0.9.0), an earlier version (this app has v`);
  await expect(old.getByTestId('result-trust')).toHaveCount(0);

  await page.goto('./#/scans/scan-old/report');
  const model = page.getByTestId('report-model');
  await expect(model).toContainText(`The model (${MODEL} v0.9.0) was an earlier version`);
  await expect(model).not.toContainText('Of 100 skin cancers');
  expect(errors).toEqual([]);
});
