/**
 * Preprocessing parity with training: the browser pipeline (createImageBitmap decode + the pure
 * TS preprocessing) and training's numpy/PIL pipeline, given the same files, must produce input
 * tensors with mean |diff| <= 1/255 and the same top-1 class on >= 99% of >= 50 images.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedModels } from '../../build/assets';
import type {} from '../../src/lib/testhooks-api';
import { openWithTestHooks } from './support/page';
import { sharedData } from '../shared-data';
import { ensureFixtureDir, FIXTURE_DIR } from './support/fixtures';
import { spotPng } from './support/images';
import { ensurePython, pythonPreprocess } from './support/python';

const COUNT = 60;

/**
 * Real HAM10000 images when present (spread over the sorted list; in CI they must be, see
 * tests/shared-data.ts), else drawn ones only.
 */
function imageFiles(): string[] {
  ensureFixtureDir();
  // Always some drawn edge cases: transparency, odd sizes, portrait, smaller than 128.
  const drawn = (
    [
      [201, 150, 1, true],
      [150, 203, 2, false],
      [97, 64, 3, true],
      [640, 480, 4, false],
    ] as const
  ).map(([w, h, seed, alpha]) => {
    const file = join(FIXTURE_DIR, `parity-${w}x${h}-${seed}.png`);
    writeFileSync(file, spotPng(w, h, seed, alpha));
    return file;
  });
  const ham = sharedData('ham10000/images', 'parity on real photos (drawn ones only)').path;
  if (ham !== null) {
    const all = readdirSync(ham)
      .filter((f) => f.endsWith('.jpg'))
      .sort();
    const step = Math.floor(all.length / COUNT);
    return [
      ...all
        .filter((_, i) => i % step === 0)
        .slice(0, COUNT)
        .map((f) => join(ham, f)),
      ...drawn,
    ];
  }
  const more = Array.from({ length: COUNT }, (_, i) => {
    const file = join(FIXTURE_DIR, `parity-drawn-${i}.png`);
    writeFileSync(file, spotPng(200 + (i % 7) * 13, 150 + (i % 5) * 11, 100 + i, i % 4 === 0));
    return file;
  });
  return [...more, ...drawn];
}

const top1 = (p: readonly number[]): number => p.indexOf(Math.max(...p));

async function browserPreprocess(page: Page, file: string, size: number): Promise<number[]> {
  const base64 = readFileSync(file).toString('base64');
  return page.evaluate(([b, s]) => window.dermlensTest!.preprocess(b, s), [base64, size] as const);
}

test.describe.configure({ timeout: 1_800_000 });

test('browser and training preprocessing agree (mean |diff| <= 1/255, top-1 >= 99%)', async ({
  page,
}) => {
  ensurePython();
  const files = imageFiles();
  expect(files.length).toBeGreaterThanOrEqual(50);
  await openWithTestHooks(page);

  const models = shippedModels('dist/model').map((id) => ({
    id,
    size: (JSON.parse(readFileSync(`dist/model/${id}/meta.json`, 'utf8')) as { inputSize: number })
      .inputSize,
  }));
  const sizes = [...new Set([28, 128, ...models.map((m) => m.size)])];

  for (const size of sizes) {
    const python = pythonPreprocess(files, size, join(FIXTURE_DIR, `parity-${size}.json`));
    const browser: number[][] = [];
    let worst = 0;
    let maxAbs = 0;
    for (const [i, file] of files.entries()) {
      const ours = await browserPreprocess(page, file, size);
      const theirs = python[i]!;
      expect(ours).toHaveLength(size * size * 3);
      const mean = ours.reduce((s, v, k) => s + Math.abs(v - theirs[k]!), 0) / ours.length;
      worst = Math.max(worst, mean);
      maxAbs = ours.reduce((m, v, k) => Math.max(m, Math.abs(v - theirs[k]!)), maxAbs);
      expect(mean, `${file} @${size}: mean |diff| in uint8 levels`).toBeLessThanOrEqual(1);
      browser.push(ours);
    }
    test.info().annotations.push({
      type: 'parity',
      description: `${size}px: ${files.length} images, worst mean |diff| ${worst.toFixed(4)}/255, max |diff| ${maxAbs}/255`,
    });

    for (const model of models.filter((m) => m.size === size)) {
      await page.evaluate((id) => window.dermlensTest!.load(id), model.id);
      let same = 0;
      for (const [i, ours] of browser.entries()) {
        const [a, b] = await page.evaluate(
          ([id, x, y]) =>
            Promise.all([
              window.dermlensTest!.classifyUint8(id, x),
              window.dermlensTest!.classifyUint8(id, y),
            ]),
          [model.id, ours, python[i]!] as const,
        );
        if (top1(a.probabilities) === top1(b.probabilities)) same++;
      }
      test.info().annotations.push({
        type: 'parity',
        description: `${model.id}: same top-1 on ${same}/${files.length}`,
      });
      expect(same / files.length, `${model.id} top-1 agreement`).toBeGreaterThanOrEqual(0.99);
    }
  }
  console.log(
    test
      .info()
      .annotations.map((a) => a.description)
      .join('\n'),
  );
});
