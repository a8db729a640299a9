/**
 * The "taken from afar" hint: its rule, its threshold against the report that chose it and the
 * doc that quotes it, and the result carrying it only for a crop small in its photo.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AFAR_CLOSE_UP_CAP,
  AFAR_CROP_SHARE,
  AFAR_HINT,
  cropShare,
  takenFromAfar,
} from '../../src/lib/image/spot/afar';
import { checkQuality, preparePhoto, scanResult } from '../../src/lib/scan/pipeline';
import { meta, prediction } from './fixtures/classification';
import { drawSpot } from './quality-draw';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');

describe('taken from afar: the rule', () => {
  it('the crop share is the crop side over the short side', () => {
    expect(cropShare({ x0: 0, y0: 0, side: 600 }, 1200, 1600)).toBe(0.5);
    expect(takenFromAfar({ x0: 10, y0: 10, side: 300 }, 1200, 1600)).toBe(true);
    expect(takenFromAfar({ x0: 0, y0: 200, side: 1200 }, 1200, 1600)).toBe(false);
  });
});

describe('taken from afar: threshold, report and doc agree', () => {
  interface Report {
    readonly model: { readonly id: string };
    readonly afar: {
      readonly chosen: number;
      readonly closeUpsHinted: number;
      readonly farCopiesHinted: number;
    };
    readonly all: { readonly lowerBandWithoutAnyHint: number };
  }
  const accurate = JSON.parse(read('docs/spot-bands-report.json')) as Report;
  const fast = JSON.parse(read('docs/spot-bands-fast-report.json')) as Report;

  it.each([
    ['accurate', accurate],
    ['fast', fast],
  ])('the %s report counts at AFAR_CROP_SHARE; the hint reaches few close-ups', (_, report) => {
    expect(report.afar.chosen).toBe(AFAR_CROP_SHARE);
    expect(report.afar.closeUpsHinted).toBeLessThanOrEqual(AFAR_CLOSE_UP_CAP);
  });

  it("the fit holds on the report's copies: no lower band without a hint for either model", () => {
    expect([accurate.model.id, fast.model.id]).toEqual(['derm-lite0-128', 'derm-fast-28']);
    expect(accurate.all.lowerBandWithoutAnyHint).toBe(0);
    expect(fast.all.lowerBandWithoutAnyHint).toBe(0);
  });

  it('the doc quotes the threshold and its measured rates', () => {
    const doc = read('docs/spot-fill.md');
    expect(doc).toContain(`AFAR_CROP_SHARE = ${AFAR_CROP_SHARE}`);
    for (const rate of [accurate.afar.closeUpsHinted, accurate.afar.farCopiesHinted])
      expect(doc).toContain(`${(rate * 100).toFixed(1)}%`);
  });
});

describe('taken from afar: the result', () => {
  const photo = { rgba: drawSpot(600, 60), original: { width: 600, height: 600 } };

  it.each([
    ['a small crop of the photo carries it', 150, true],
    ['a crop of most of the photo does not', 480, false],
    ['the whole photo does not', 600, false],
  ])('%s', (_, side, hinted) => {
    const prepared = preparePhoto(photo, { x0: 300 - side / 2, y0: 300 - side / 2, side });
    const check = checkQuality(prepared, 128);
    const result = scanResult(prediction, meta, prepared, check);
    expect(result.warnings.includes(AFAR_HINT)).toBe(hinted);
    expect(result.warnings.slice(0, check.hints.length)).toEqual(check.hints);
  });
});
