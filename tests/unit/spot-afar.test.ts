/**
 * The "taken from afar" hint: its rule, its threshold against the report that chose it and the
 * doc that quotes it, and the result carrying it only for a crop small in its photo.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AFAR_CLOSE_UP_RATE,
  AFAR_CROP_SHARE,
  AFAR_HINT,
  chooseAfarShare,
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

  it('chooses the largest share at most `rate` of the close-ups fall below', () => {
    // 100 close-ups: two at 0.3 and 0.4, the rest whole (1.0).
    const shares = [0.3, 0.4, ...Array<number>(98).fill(1)];
    expect(chooseAfarShare(shares, 0.02)).toBe(1); // two of 100 below 1.0 is allowed
    expect(chooseAfarShare(shares, 0.01)).toBe(0.4); // only the 0.3 may fall below
    expect(chooseAfarShare(shares, 0)).toBe(0.3);
    expect(chooseAfarShare([0.005, 1], 0)).toBe(0);
  });
});

describe('taken from afar: threshold, report and doc agree', () => {
  interface Afar {
    readonly chosen: number;
    readonly closeUpsHinted: number;
    readonly farCopiesHinted: number;
  }
  const report = JSON.parse(read('docs/spot-bands-report.json')) as { afar: Afar };

  it('AFAR_CROP_SHARE is the share spot:bands chose by the rule', () => {
    expect(report.afar.chosen).toBe(AFAR_CROP_SHARE);
    expect(report.afar.closeUpsHinted).toBeLessThanOrEqual(AFAR_CLOSE_UP_RATE);
  });

  it('the doc quotes the threshold and its measured rates', () => {
    const doc = read('docs/spot-fill.md');
    expect(doc).toContain(`AFAR_CROP_SHARE = ${AFAR_CROP_SHARE}`);
    for (const rate of [report.afar.closeUpsHinted, report.afar.farCopiesHinted])
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
