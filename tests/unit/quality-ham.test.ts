/**
 * The gate on real HAM10000 images (20 from the test split, read from ../shared/data, never
 * copied into the repo): originals mostly pass, their blurred / darkened copies are flagged.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { DEGRADATIONS } from '../../scripts/quality/degrade';
import type { RgbaImage } from '../../src/lib/image/preprocess';
import { qualityProblems, type QualityProblem } from '../../src/lib/image/quality/gate';
import { measureImage } from '../../src/lib/image/quality/metrics';
import { THRESHOLDS } from '../../src/lib/image/quality/thresholds';
import { sharedData } from '../shared-data';

const ROOT = resolve(import.meta.dirname, '../..');
const HAM = sharedData('ham10000/images', 'the quality gate on real HAM10000 images').path;
const COUNT = 20;

function testImages(dir: string): RgbaImage[] {
  const ids = readFileSync(join(ROOT, 'training/splits/dermamnist_c.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .filter((row) => row[1] === 'test')
    .map((row) => row[0] as string);
  const step = Math.floor(ids.length / COUNT);
  return Array.from({ length: COUNT }, (_, i) => {
    const raw = jpeg.decode(readFileSync(join(dir, `${ids[i * step]}.jpg`)), { useTArray: true });
    return { data: raw.data, width: raw.width, height: raw.height };
  });
}

describe.skipIf(HAM === null)('the gate on real HAM10000 images', () => {
  const images = HAM === null ? [] : testImages(HAM);
  const problems = (image: RgbaImage): QualityProblem[] =>
    qualityProblems(measureImage(image), image, 128, THRESHOLDS);
  const share = (f: (image: RgbaImage) => boolean): number =>
    images.filter(f).length / images.length;

  it('lets most originals through', () => {
    expect(share((image) => problems(image).length === 0)).toBeGreaterThanOrEqual(0.85);
  });

  it.each([
    ['blur σ=3', 'blurred'],
    ['dark ×0.35', 'dark'],
    ['blown out ×1.8', 'bright'],
  ] as const)('flags nearly all "%s" copies as %s', (name, problem) => {
    const degrade = DEGRADATIONS[name];
    expect(share((image) => problems(degrade(image)).includes(problem))).toBeGreaterThanOrEqual(
      0.9,
    );
  });
});
