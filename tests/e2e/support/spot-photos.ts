/**
 * Real skin-spot close-ups for the e2e specs, read from ../shared/data at test time (never
 * committed): HAM10000 images of the DermaMNIST-C test split, scaled to cover the size a spec asks
 * for. The not-a-skin-spot gate rightly refuses drawn spots (they are not photos), so every spec
 * that needs a result uses one of these. Outside CI, without the data, the specs that need them
 * skip with a message; in CI (where the data always is) they fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import jpeg from 'jpeg-js';
import { sharedData } from '../../shared-data';

/**
 * Test-split close-ups (of the first 40 in spot-data's seeded order) that both shipped models'
 * gates passed with a margin (distance under 45% of its threshold, energy 0.55 below its own) at
 * 300x300, 640x480, 320x240, 480x640 and 256x256 with the proposed crop, and that the quality
 * check did not hold; a spec picks one by its seed.
 */
export const SPOT_IDS: readonly string[] = [
  'ISIC_0031246',
  'ISIC_0026050',
  'ISIC_0026731',
  'ISIC_0030395',
  'ISIC_0024607',
  'ISIC_0028322',
  'ISIC_0026112',
  'ISIC_0028711',
  'ISIC_0029324',
  'ISIC_0027081',
  'ISIC_0027141',
  'ISIC_0031877',
  'ISIC_0031330',
];

export interface SpotImage {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
}

const decoded = new Map<string, SpotImage>();

/**
 * The folder of close-ups. Called inside a test: without the data it skips that test (outside
 * CI) or fails it (in CI), through sharedData.
 */
function imagesFolder(): string {
  const ham = sharedData('ham10000/images', 'a spec that needs a real skin-spot photo');
  test.skip(ham.path === null, ham.skipped ?? '');
  return ham.path as string;
}

function decode(folder: string, id: string): SpotImage {
  const known = decoded.get(id);
  if (known) return known;
  const file = join(folder, `${id}.jpg`);
  const raw = jpeg.decode(readFileSync(file), { useTArray: true });
  const image = { rgba: raw.data, width: raw.width, height: raw.height };
  decoded.set(id, image);
  return image;
}

/**
 * The close-up chosen by `seed` (an index into SPOT_IDS, or an image id), centre-cropped to the
 * aspect of width x height and scaled to it (bilinear, over a box average when shrinking a lot),
 * with an alpha ramp from 40% on the left to opaque on the right when asked.
 */
export function spotImage(
  width: number,
  height: number,
  seed: number | string,
  alpha = false,
): SpotImage {
  return spotImageFrom(imagesFolder(), width, height, seed, alpha);
}

/** spotImage from a given folder of HAM10000 images (outside a test: no skipping). */
export function spotImageFrom(
  folder: string,
  width: number,
  height: number,
  seed: number | string,
  alpha = false,
): SpotImage {
  const id = typeof seed === 'string' ? seed : (SPOT_IDS[seed % SPOT_IDS.length] as string);
  const src = decode(folder, id);
  const scale = Math.max(width / src.width, height / src.height);
  const x0 = (src.width - width / scale) / 2;
  const y0 = (src.height - height / scale) / 2;
  // A box of about one output pixel in the source keeps small sizes from aliasing.
  const box = Math.max(1, Math.floor(1 / scale));
  const rgba = new Uint8Array(width * height * 4);
  const at = (x: number, y: number, c: number): number => {
    const cx = Math.min(src.width - 1, Math.max(0, x));
    const cy = Math.min(src.height - 1, Math.max(0, y));
    return src.rgba[(cy * src.width + cx) * 4 + c] as number;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = x0 + (x + 0.5) / scale - 0.5 - (box - 1) / 2;
      const sy = y0 + (y + 0.5) / scale - 0.5 - (box - 1) / 2;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let by = 0; by < box; by++) {
          for (let bx = 0; bx < box; bx++) {
            const fx = sx + bx;
            const fy = sy + by;
            const ix = Math.floor(fx);
            const iy = Math.floor(fy);
            const tx = fx - ix;
            const ty = fy - iy;
            sum +=
              at(ix, iy, c) * (1 - tx) * (1 - ty) +
              at(ix + 1, iy, c) * tx * (1 - ty) +
              at(ix, iy + 1, c) * (1 - tx) * ty +
              at(ix + 1, iy + 1, c) * tx * ty;
          }
        }
        rgba[o + c] = Math.round(sum / (box * box));
      }
      rgba[o + 3] = alpha ? Math.round(255 * (0.4 + 0.6 * (x / width))) : 255;
    }
  }
  return { rgba, width, height };
}
