/** Images the quality tests draw: a skin-coloured field with textured noise and a dark spot. */
import type { RgbaImage } from '../../src/lib/image/preprocess';
import { prng } from '../../scripts/quality/degrade';

export const SKIN = [214, 164, 138] as const;
export const SPOT = [96, 58, 40] as const;

/**
 * A size x size photo: skin with pixel noise (sd ~7, the grain of a real sensor and skin
 * texture) and a dark disc of `radius` pixels at the centre (no spot when radius = 0).
 */
export function drawSpot(size: number, radius: number, seed = 1): RgbaImage {
  const rand = prng(seed);
  const data = new Uint8ClampedArray(size * size * 4);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - c) ** 2 + (y - c) ** 2 <= radius * radius;
      const colour = inside ? SPOT : SKIN;
      const noise = (rand() - 0.5) * 24;
      const o = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) data[o + k] = (colour[k] as number) + noise;
      data[o + 3] = 255;
    }
  }
  return { data, width: size, height: size };
}

/** An opaque RGBA image from a grey-level function (R = G = B = f(x, y)). */
export function grey(
  width: number,
  height: number,
  f: (x: number, y: number) => number,
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      data.fill(f(x, y), o, o + 3);
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}
