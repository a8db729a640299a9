import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { reproductionLine, type ModelCard } from '../../src/lib/card/model-card';
import { changeSummary, previousVersion, versionChanges } from '../../src/lib/card/compare';
import { screenshotPath, waitForModel, waitForOffline, watchErrors } from './support/page';

/** card.json of the model the app shows, as the build under test serves it. */
async function servedCard(page: Page): Promise<ModelCard> {
  const id = await page.getByTestId('model-card').getAttribute('data-model');
  return JSON.parse(readFileSync(`dist/model/${id}/card.json`, 'utf8')) as ModelCard;
}

/** Checks the page shows card.json's numbers and words (drawn, not pasted). */
async function expectCard(page: Page): Promise<void> {
  const root = page.getByTestId('model-card');
  await expect(root).toHaveAttribute('data-model', /^derm-/);
  const card = await servedCard(page);
  // Plain words first, phone photos before dermoscopy, numbers from the card.
  const plain = page.getByTestId('plain-summary');
  const first = plain.locator('[data-domain]').first();
  await expect(first).toHaveAttribute('data-domain', 'phone');
  const phone = card.phone!;
  const flagged = Math.round(100 * phone.malignant.threshold.sensitivity);
  await expect(first).toContainText(
    `Of 100 skin cancers in testing on phone photos, it rated ${flagged}`,
  );
  // Each model's numbers sit in its own group under its name, and at a phone's width (the
  // suite's viewport) neither table needs scrolling sideways to show a column.
  const ownPhoneRow = page.getByTestId('phone-metrics').locator('tbody').first();
  await expect(ownPhoneRow).toContainText(card.modelId);
  await expect(ownPhoneRow).toContainText(`${(phone.accuracy * 100).toFixed(1)}%`);
  expect(phone.malignantAuc).not.toBeNull();
  await expect(ownPhoneRow).toContainText(phone.malignantAuc!.toFixed(3));
  for (const id of ['phone-metrics', 'metrics']) {
    const hidden = await page
      .getByTestId(id)
      .evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth);
    expect(hidden, `${id} is wider than the screen`).toBeLessThanOrEqual(0);
  }
  const order = await root.locator('h3').allTextContents();
  expect(order[0]).toBe('In plain words');
  expect(order[1]).toMatch(/What it is for/);
  await expect(page.getByTestId('card-data')).toContainText('HAM10000');
  await expect(page.getByTestId('card-data')).toContainText('mostly light skin types');
  const metrics = page.getByTestId('metrics');
  await expect(metrics).toContainText(`${(card.test.accuracy * 100).toFixed(1)}%`);
  for (const b of card.baselines) await expect(metrics).toContainText(b.name);
  await expect(page.getByTestId('per-class').locator('tbody tr')).toHaveCount(card.labels.length);
  const mel = card.test.perClass['mel']!;
  await expect(page.getByTestId('per-class').locator('tr[data-label="mel"]')).toContainText(
    `${(mel.recall * 100).toFixed(1)}%`,
  );
  // The confusion matrix is an SVG whose cells carry card.test.confusionMatrix.
  const counts = await page.getByTestId('confusion-matrix').locator('text.count').allTextContents();
  expect(counts.map(Number)).toEqual(card.test.confusionMatrix.flat());
  const diagrams = page.getByTestId('reliability');
  await expect(diagrams).toHaveCount(2);
  const nonEmpty = card.reliability.after.filter((b) => b.count > 0).length;
  await expect(diagrams.nth(1).locator('rect.bar')).toHaveCount(nonEmpty);
  await expect(page.getByTestId('calibration')).toContainText(card.test.ece.after.toFixed(3));
  const malignant = page.getByTestId('malignant');
  await expect(malignant).toContainText(
    `${(card.test.malignant.threshold.sensitivity * 100).toFixed(1)}%`,
  );
  const tta = card.tta!.default!;
  await expect(page.getByTestId('tta-default')).toContainText(
    `cost ${tta.latency.ratio.toFixed(1)}× one prediction`,
  );
  await expect(page.getByTestId('tta-default')).toContainText(
    `it is ${tta.on ? 'on' : 'off'} by default`,
  );
  await expect(page.getByTestId('intended-use')).toHaveText(card.intendedUse);
  // A version that replaced another says what it gained and lost on the same test folds.
  const previous = previousVersion(card.previous);
  if (previous) {
    await expect(page.getByTestId('version-summary')).toHaveText(
      changeSummary(previous.version, versionChanges(previous, card)),
    );
  } else {
    await expect(page.getByTestId('version-changes')).toHaveCount(0);
  }
  await expect(page.getByTestId('licence')).toHaveText(card.data.licence);
  // A weight average names its ingredients and each run's hardware in its stages; a trained
  // network names where it trained.
  const soup = card.training.soup?.ingredients;
  if (soup?.length) {
    for (const name of soup) await expect(page.getByTestId('training')).toContainText(name);
    for (const stage of card.training.earlierStages ?? []) {
      await expect(page.getByTestId('training-stages')).toContainText(stage.run);
      if (stage.imagesPerSecond) {
        const rate = `${Math.round(stage.imagesPerSecond)} training images per second`;
        await expect(page.getByTestId('training-stages')).toContainText(rate);
      }
    }
  } else {
    await expect(page.getByTestId('training')).toContainText(card.training.hardware);
  }
  const reproduced = reproductionLine(card.training);
  if (reproduced)
    await expect(page.getByTestId('reproduction')).toHaveText(`Reproduced: ${reproduced}`);
  else await expect(page.getByTestId('reproduction')).toHaveCount(0);
}

test('model card page: data, metrics beside baselines, matrix and reliability drawn from numbers', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);
  await page.getByRole('link', { name: /About this model/ }).click();
  await expectCard(page);
  await page.screenshot({ path: screenshotPath('model-card.png'), fullPage: true });
  await page.getByRole('link', { name: /Back to the scanner/ }).click();
  await expect(page.getByTestId('file-input')).toBeAttached();
  expect(errors).toEqual([]);
});

test('model card works offline once the service worker controls the page', async ({
  page,
  context,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForOffline(page);
  await context.setOffline(true);
  await page.goto('./#/model-card');
  await page.reload(); // a whole page load offline, not only a hash change
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expectCard(page);
  await context.setOffline(false);
  expect(errors).toEqual([]);
});

/**
 * Opens the model card page with every card.json rewritten on its way to the page. The describe
 * blocks that use it block the service worker, which would answer from its cache instead.
 */
async function openCardRewritten(
  page: Page,
  rewrite: (card: ModelCard) => ModelCard,
): Promise<void> {
  await page.route('**/model/*/card.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: rewrite((await response.json()) as ModelCard) });
  });
  await page.goto('./');
  await waitForModel(page);
  await page.getByRole('link', { name: /About this model/ }).click();
}

test.describe('a card with a timed reproduction', () => {
  test.use({ serviceWorkers: 'block' });

  test('its Training section says how long the command took and what the network it made scored', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openCardRewritten(page, (card) => {
      const reproduction = {
        command: `npm run train:${card.role}`,
        machine: '2 cores, AMD EPYC',
        started: '2026-12-08T07:20:00Z',
        totalSeconds: 7300,
        measured: false,
        made: { dermoscopic: { accuracy: 0.811, balancedAccuracy: 0.702, macroAuc: 0.951 } },
      };
      return { ...card, training: { ...card.training, reproduction } };
    });
    const line = page.getByTestId('reproduction');
    await expect(line).toContainText(
      ' on 2 cores, AMD EPYC: at least 2 h 2 min in all (a lower bound',
    );
    await expect(line).toContainText(
      '(started 2026-12-08); the network it made: dermoscopic test ACC 0.81',
    );
    await expect(line).not.toContainText('phone photos');
    expect(errors).toEqual([]);
  });
});

test.describe('a version that replaced another', () => {
  test.use({ serviceWorkers: 'block' });

  test('its model page says first what went down against that version, then what went up', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    let expected = '';
    await openCardRewritten(page, (card) => {
      const previous = {
        version: '0.9.0',
        test: { accuracy: card.test.accuracy + 0.05, macroAuc: card.test.macroAuc },
        phone: { balancedAccuracy: card.phone!.balancedAccuracy - 0.1 },
      };
      expected = changeSummary('0.9.0', versionChanges(previous, card));
      return { ...card, previous };
    });
    const summary = page.getByTestId('version-summary');
    await expect(summary).toContainText('Lower than version 0.9.0: accuracy on dermoscopic images');
    await expect(summary).toContainText('Higher: balanced accuracy on phone photos');
    await expect(summary).toHaveText(expected);
    const rows = page.getByTestId('version-changes').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'Dermoscopic: accuracy' })).toContainText('lower');
    const axe = await new AxeBuilder({ page })
      .include('[data-testid="version-changes"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations).toEqual([]);
    await page
      .getByTestId('version-changes')
      .screenshot({ path: screenshotPath('model-card-changes.png') });
    expect(errors).toEqual([]);
  });
});
