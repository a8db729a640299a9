import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type {} from '../../src/lib/testhooks-api';
import { sharedData } from '../shared-data';
import { spotPng } from './support/images';
import {
  acceptCrop,
  openWithTestHooks,
  readResult,
  screenshotPath,
  upload,
  waitForModel,
  watchErrors,
} from './support/page';

/** The model the app chose (the checked radio). */
const activeModel = (page: Page): Promise<string> =>
  page.locator('input[name="model"]:checked').inputValue();

test('Grad-CAM overlay: folded at first, one tap opens it on the crop; follows the image and the chosen class', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);

  await upload(page, 'spot.png', spotPng(640, 480, 7));
  await acceptCrop(page);
  const first = await readResult(page);
  const overlay = page.getByTestId('heatmap');
  const toggle = page.getByTestId('heatmap-toggle');
  // Folded: the photo and the risk come first, the map is one tap away (below the classes).
  await expect(overlay).toHaveCount(0);
  await expect(page.getByTestId('heatmap-class')).toHaveCount(0);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const lastClass = await page.getByTestId('result').locator('li').last().boundingBox();
  expect((await toggle.boundingBox())!.y).toBeGreaterThan(lastClass!.y);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(overlay).toBeVisible();
  await expect(overlay).toHaveAttribute('data-class', first.top1);
  const signature1 = await overlay.getAttribute('data-signature');
  expect(signature1).toMatch(/[1-9]/); // not an empty (all-zero) map
  // The canvas holds colour, not a blank bitmap.
  const lit = await overlay.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return new Set(Array.from({ length: d.length / 4 }, (_, i) => d[i * 4])).size;
  });
  expect(lit).toBeGreaterThan(10);
  await page.getByTestId('result').screenshot({ path: screenshotPath('heatmap.png') });

  // Another image: folded again at first, as every new result; opened, another map.
  await upload(page, 'other.png', spotPng(480, 640, 21));
  await acceptCrop(page);
  await readResult(page);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(overlay).not.toHaveAttribute('data-signature', signature1 ?? '');

  // Another class of the same image: its map, labelled as such.
  const signature2 = await overlay.getAttribute('data-signature');
  const classSelect = page.getByTestId('heatmap-class');
  const current = Number(await classSelect.inputValue());
  await classSelect.selectOption(String((current + 1) % 7));
  await expect(overlay).not.toHaveAttribute('data-signature', signature2 ?? '');

  // Tapping a class in the list explains that class and brings the map into view.
  const bars = page.getByTestId('result').locator('li');
  const last = (await bars.last().getAttribute('data-label')) ?? '';
  await page.getByTestId('result-details').scrollIntoViewIfNeeded(); // the map out of view
  await bars.last().getByRole('button').click();
  await expect(overlay).toHaveAttribute('data-class', last);
  await expect(bars.last().getByRole('button')).toHaveAttribute('aria-pressed', 'true');
  await expect(overlay).toBeInViewport({ ratio: 1 });

  // Opacity slider and toggle.
  await page.getByLabel('Opacity').fill('0.8');
  await expect(overlay).toHaveCSS('opacity', '0.8');
  await toggle.click();
  await expect(overlay).toHaveCount(0);
  await expect(page.getByLabel('Opacity')).toHaveCount(0);
  // Folded, a tap on a class opens the map for that class.
  const third = (await bars.nth(2).getAttribute('data-label')) ?? '';
  await bars.nth(2).getByRole('button').click();
  await expect(overlay).toHaveAttribute('data-class', third);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  expect(errors).toEqual([]);
});

/** Two test-split photos the quality gate lets straight through: a melanoma and a naevus. */
const REAL_PHOTOS = ['ISIC_0031177.jpg', 'ISIC_0024698.jpg'];

/** The overlay's signature and how many distinct red levels its canvas holds. */
async function overlayState(page: Page) {
  const overlay = page.getByTestId('heatmap');
  const toggle = page.getByTestId('heatmap-toggle');
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await expect(overlay).toBeVisible();
  return {
    signature: (await overlay.getAttribute('data-signature')) ?? '',
    cls: await overlay.getAttribute('data-class'),
    levels: await overlay.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return new Set(Array.from({ length: d.length / 4 }, (_, i) => d[i * 4])).size;
    }),
  };
}

test('Grad-CAM overlay on real HAM10000 photos: drawn for the top class, another photo gives another map', async ({
  page,
}) => {
  const ham = sharedData(
    'ham10000/images',
    'the Grad-CAM overlay on real photos (the drawn-image overlay test still runs)',
  );
  const dir = ham.path;
  test.skip(dir === null, ham.skipped ?? '');
  if (dir === null) return;
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);

  const [first, second] = REAL_PHOTOS.map((name) => readFileSync(resolve(dir, name)));
  await upload(page, 'mel.jpg', first!, 'image/jpeg');
  await acceptCrop(page);
  const result1 = await readResult(page);
  const map1 = await overlayState(page);
  expect(map1.cls).toBe(result1.top1);
  expect(map1.signature).toMatch(/[1-9]/);
  expect(map1.levels).toBeGreaterThan(10);

  await upload(page, 'nv.jpg', second!, 'image/jpeg');
  await acceptCrop(page);
  const result2 = await readResult(page);
  const map2 = await overlayState(page); // folded again for the new photo: opened here
  expect(map2.signature).not.toBe(map1.signature);
  expect(map2.cls).toBe(result2.top1);
  expect(map2.levels).toBeGreaterThan(10);
  await expect(page.getByTestId('quality-gate')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("TTA setting: automatic = the card's default unless too slow here; On and Off override it", async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitForModel(page);
  const model = await activeModel(page);
  const card = JSON.parse(readFileSync(resolve('model', model, 'card.json'), 'utf8'));
  const cardDefault = card.tta.default as { on: boolean; maxLatencyRatio: number };
  await page.getByText('Advanced').click();
  const setting = page.getByTestId('tta-setting');
  await expect(setting).toHaveAttribute('data-card-default', String(cardDefault.on));
  // TTA is timed on the device only where automatic could turn it on: a default that is off
  // keeps it off whatever it costs, so that load skips the 8-view warm-up and timing.
  let automatic = false;
  if (cardDefault.on) {
    const ratio = Number(await setting.getAttribute('data-ratio'));
    expect(ratio).toBeGreaterThan(0);
    automatic = ratio <= cardDefault.maxLatencyRatio;
  } else {
    await expect(setting).not.toHaveAttribute('data-ratio');
    await expect(page.getByTestId('tta-explained')).toContainText('Not timed on wasm here');
  }
  await expect(setting).toHaveAttribute('data-on', String(automatic));
  await expect(page.getByTestId('tta-explained')).toContainText(
    `The model card's default is ${cardDefault.on ? 'on' : 'off'}`,
  );

  await upload(page, 'spot.png', spotPng(300, 300, 5));
  await acceptCrop(page);
  await expect(page.getByTestId('result')).toHaveAttribute('data-tta', String(automatic));
  // The person's choice re-runs the photo with it, and is kept over a reload.
  const other = automatic ? 'off' : 'on';
  await page.getByTestId('tta-select').selectOption(other);
  await expect(page.getByTestId('result')).toHaveAttribute('data-tta', String(!automatic));
  // Turned on where it was not timed at load: timed now (the worker keeps the model loaded).
  if (!cardDefault.on) await expect(setting).toHaveAttribute('data-ratio', /^\d/);
  await page.reload();
  await waitForModel(page);
  await expect(page.getByTestId('tta-select')).toHaveValue(other);
  await expect(page.getByTestId('tta-setting')).toHaveAttribute('data-on', String(!automatic));
  expect(errors).toEqual([]);
});

test('no tensors leak in the worker across 50 predictions with Grad-CAM (and TTA)', async ({
  page,
}) => {
  await openWithTestHooks(page);
  const model = await activeModel(page);
  const out = await page.evaluate(async (model) => {
    const hooks = window.dermlensTest!;
    const loaded = await hooks.load(model);
    const n = Number(model.split('-').pop());
    const rgb = (seed: number) => Array.from({ length: n * n * 3 }, (_, i) => (i * seed) % 256);
    const options = { gradcam: true, tta: true };
    await hooks.classifyUint8(model, rgb(37), options); // lazily created kernels are in place
    const before = (await hooks.memory()).numTensors;
    const ms: number[] = [];
    for (let i = 0; i < 50; i++) {
      const p = await hooks.classifyUint8(model, rgb(31 + i), options);
      ms.push(p.heatmap!.ms);
    }
    const after = (await hooks.memory()).numTensors;
    ms.sort((a, b) => a - b);
    return { before, after, gradcamMs: ms[25], backend: loaded.backend, ratio: loaded.ttaCost };
  }, model);
  // The test hooks load as the benchmark does, with TTA timed (the default of a load request).
  const cost = out.ratio!;
  console.log(
    `${model} on ${out.backend}: Grad-CAM median ${out.gradcamMs?.toFixed(1)} ms; ` +
      `TTA ${cost.ttaMs.toFixed(1)} ms vs ${cost.singleMs.toFixed(1)} ms ` +
      `(${cost.ratio.toFixed(2)}x)`,
  );
  expect(out.before).toBeGreaterThan(0);
  expect(out.after).toBe(out.before);
  expect(cost.ratio).toBeGreaterThan(0);
});

test('TTA in the worker = the mean of the 8 single-view logits', async ({ page }) => {
  await openWithTestHooks(page);
  const model = await activeModel(page);
  const diff = await page.evaluate(async (model) => {
    const hooks = window.dermlensTest!;
    await hooks.load(model);
    const n = Number(model.split('-').pop());
    const rgb = Array.from({ length: n * n * 3 }, (_, i) => (i * 37 + (i % 7) * 11) % 256);
    // training's view(): bit 0 flips width, bit 1 flips height, bit 2 transposes (in order).
    const view = (v: number) =>
      Array.from({ length: n * n * 3 }, (_, i) => {
        const c = i % 3;
        const x = Math.floor(i / 3) % n;
        const y = Math.floor(i / 3 / n);
        let [sy, sx] = v & 4 ? [x, y] : [y, x];
        if (v & 2) sy = n - 1 - sy;
        if (v & 1) sx = n - 1 - sx;
        return rgb[(sy * n + sx) * 3 + c]!;
      });
    const tta = await hooks.classifyUint8(model, rgb, { tta: true });
    const mean = new Array<number>(tta.logits.length).fill(0);
    for (let v = 0; v < 8; v++) {
      const single = await hooks.classifyUint8(model, view(v), { tta: false });
      single.logits.forEach((l, i) => (mean[i]! += l / 8));
    }
    const plain = await hooks.classifyUint8(model, rgb, { tta: false });
    return {
      tta: tta.tta,
      vsMean: Math.max(...tta.logits.map((l, i) => Math.abs(l - mean[i]!))),
      vsPlain: Math.max(...tta.logits.map((l, i) => Math.abs(l - plain.logits[i]!))),
    };
  }, model);
  expect(diff.tta).toBe(true);
  expect(diff.vsMean).toBeLessThan(1e-3);
  expect(diff.vsPlain).toBeGreaterThan(1e-3);
});

test('framings sent with a prediction: each comes back as its own risk and gate evidence, the answer stays the input’s', async ({
  page,
}) => {
  await openWithTestHooks(page);
  const model = await activeModel(page);
  const out = await page.evaluate(async (model) => {
    const hooks = window.dermlensTest!;
    await hooks.load(model);
    const n = Number(model.split('-').pop());
    const rgb = (seed: number) =>
      Array.from({ length: n * n * 3 }, (_, i) => (i * seed + (i % 5) * 13) % 256);
    const input = (values: number[]) => Float32Array.from(values, (v) => v / 255);
    const [photo, tighter, wider] = [rgb(37), rgb(53), rgb(71)];
    const framings = [input(tighter), input(wider)];
    const framed = await hooks.classifyUint8(model, photo, { tta: false, framings });
    const alone = await hooks.classifyUint8(model, photo, { tta: false });
    const own = [
      await hooks.classifyUint8(model, tighter, { tta: false }),
      await hooks.classifyUint8(model, wider, { tta: false }),
    ];
    const expected = own.map((p) => p.malignantRisk);
    const evidence = own.map((p) => ({ distance: p.featureDistance, energy: p.energy }));
    return { framed, alone: alone.malignantRisk, expected, evidence };
  }, model);
  expect(out.framed.framedRisks).toHaveLength(2);
  out.framed.framedRisks.forEach((risk, i) => expect(risk).toBeCloseTo(out.expected[i]!, 5));
  // The gate's evidence of each framing (ood.json's tighterFraming reads one): as if predicted alone.
  expect(out.framed.framedEvidence).toHaveLength(2);
  out.framed.framedEvidence.forEach((e, i) => {
    const alone = out.evidence[i]!;
    expect(Math.abs(e.distance - alone.distance)).toBeLessThan(1e-3 * Math.max(1, alone.distance));
    expect(e.energy).toBeCloseTo(alone.energy, 4);
  });
  expect(out.framed.framedEvidence[0]!.distance).not.toBeCloseTo(out.framed.featureDistance, 3);
  expect(out.framed.malignantRisk).toBeCloseTo(out.alone, 5);
  // Three different inputs: the framings were predicted, not the photo again.
  expect(new Set([out.alone, ...out.expected].map((r) => r.toFixed(6))).size).toBe(3);
});
