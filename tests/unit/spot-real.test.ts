/**
 * The spot finder on real photos (20 HAM10000 test-split images and 10 PAD-UFES-20 phone photos,
 * read from ../shared/data, never copied into the repo): both sets are framed on the lesion, so
 * the spot found should lie near the middle, and on far-away copies of them the crop should land
 * on the pasted close-up. Skips without the data, except in CI, where it fails (shared-data.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/lib/image/preprocess';
import { cropBox, iou } from '../../src/lib/image/spot/crop';
import { farCopy } from '../../src/lib/image/spot/far';
import { findSpot } from '../../src/lib/image/spot/find';
import { sharedData } from '../shared-data';

const ROOT = resolve(import.meta.dirname, '../..');
// In CI a missing folder throws here and fails this file; elsewhere it skips with a message.
const ham = sharedData('ham10000', 'the spot finder on real photos');
const pad = sharedData('pad-ufes-20', 'the spot finder on real photos');
const HAM = ham.path && join(ham.path, 'images');
const PAD = pad.path && join(pad.path, 'images');

function decode(file: string): RgbaImage {
  const raw = jpeg.decode(readFileSync(file), { useTArray: true });
  return { data: raw.data, width: raw.width, height: raw.height };
}

/** `count` ids spread evenly over the sorted test split. */
function hamTest(dir: string, count: number): string[] {
  const ids = readFileSync(join(ROOT, 'training/splits/dermamnist_c.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .filter((row) => row[1] === 'test')
    .map((row) => row[0] as string);
  const step = Math.floor(ids.length / count);
  return Array.from({ length: count }, (_, i) => join(dir, `${ids[i * step]}.jpg`));
}

function padPhotos(dir: string, count: number): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  const step = Math.floor(files.length / count);
  return Array.from({ length: count }, (_, i) => join(dir, files[i * step] as string));
}

describe.skipIf(!HAM || !PAD)('findSpot on real photos', () => {
  const photos = HAM && PAD ? [...hamTest(HAM, 20), ...padPhotos(PAD, 10)].map(decode) : [];
  const share = (f: (image: RgbaImage, k: number) => boolean): number =>
    photos.filter(f).length / photos.length;

  it('finds a region near the middle of photos framed on the lesion', () => {
    const near = share((image) => {
      const { spot } = findSpot(image);
      if (!spot) return false;
      const d = Math.hypot(spot.centroid.x - image.width / 2, spot.centroid.y - image.height / 2);
      return d < 0.25 * Math.min(image.width, image.height);
    });
    expect(near).toBeGreaterThanOrEqual(0.8);
  });

  it('crops far-away copies to where the close-up went', () => {
    const overlaps = photos.map((image, k) => {
      const angle = k * 2.4;
      const copy = farCopy(image, {
        width: 1200,
        height: 1600,
        side: 240 + 6 * k,
        centre: { x: 600 + 300 * Math.cos(angle), y: 800 + 400 * Math.sin(angle) },
        seed: k + 1,
      });
      const crop = cropBox(findSpot(copy.image).crop);
      return { square: iou(crop, copy.square), touches: iou(crop, copy.rect) > 0 };
    });
    const n = overlaps.length;
    expect(overlaps.filter((o) => o.touches).length / n).toBeGreaterThanOrEqual(0.9);
    expect(overlaps.filter((o) => o.square >= 0.3).length / n).toBeGreaterThanOrEqual(0.75);
  });
});
