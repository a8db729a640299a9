// Framings of a crop (the app's steadiness check, spot:bands): the view at 1 is the app's own input,
// a tighter one stays inside the crop, and a wider one keeps the photo's pixels where it has them
// and fills what lies beyond its edge with the crop's border colour.
import { describe, expect, it } from 'vitest';
import { preprocessRgba, toModelInput } from '../../src/lib/image/preprocess';
import { borderColour, framedInput, framedRgb } from '../../src/lib/image/framed';

const SKIN = [200, 150, 120];
const SPOT = [60, 40, 30];

/** A w x h photo of skin with a dark square spot at [a, b) on both axes. */
function photo(w: number, h: number, a: number, b: number) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const colour = x >= a && x < b && y >= a && y < b ? SPOT : SKIN;
      data.set([...colour, 255], (y * w + x) * 4);
    }
  }
  return { data, width: w, height: h };
}

/** The input's pixel (x, y) at `size`, as 0-255 RGB. */
function pixel(input: Float32Array, size: number, x: number, y: number): number[] {
  const i = (y * size + x) * 3;
  return [0, 1, 2].map((c) => Math.round((input[i + c] ?? 0) * 255));
}

describe('framed views', () => {
  it('the view at 1 is the crop exactly as the app feeds it', () => {
    const image = photo(100, 80, 30, 50);
    const crop = { x0: 10, y0: 5, side: 64 };
    expect(framedInput(image, crop, 1, 32)).toEqual(toModelInput(preprocessRgba(image, 32, crop)));
  });

  it('a tighter view is the centre of the crop', () => {
    const image = photo(100, 100, 40, 60);
    const crop = { x0: 20, y0: 20, side: 60 };
    const tight = framedInput(image, crop, 0.5, 30);
    expect(tight).toEqual(toModelInput(preprocessRgba(image, 30, { x0: 35, y0: 35, side: 30 })));
  });

  it('a wider view inside the photo uses its pixels; beyond the edge, the border colour', () => {
    const image = photo(100, 100, 40, 60);
    const inside = framedInput(image, { x0: 30, y0: 30, side: 40 }, 1.5, 60);
    expect(inside).toEqual(toModelInput(preprocessRgba(image, 60, { x0: 20, y0: 20, side: 60 })));
    // The whole photo framed 2x wider: the spot's square in the middle half, skin colour around.
    const wide = framedInput(image, { x0: 0, y0: 0, side: 100 }, 2, 100);
    expect(pixel(wide, 100, 50, 50)).toEqual(SPOT);
    expect(pixel(wide, 100, 2, 2)).toEqual(SKIN);
    expect(pixel(wide, 100, 97, 50)).toEqual(SKIN);
    expect(borderColour(image, { x0: 0, y0: 0, side: 100 })).toEqual(SKIN);
  });

  it('a wide framing of a big photo is shrunk in blocks first, close to the full-size copy', () => {
    const image = photo(1000, 1000, 400, 600);
    const crop = { x0: 0, y0: 0, side: 1000 };
    const size = 32;
    const shrunk = framedRgb(image, crop, 1.25, size); // k = floor(1250 / 128) = 9
    // The exact framing: a full-size copy with skin beyond the edge, area-resized.
    const side = 1250;
    const data = new Uint8ClampedArray(side * side * 4);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const sx = x - 125;
        const sy = y - 125;
        const inside = sx >= 0 && sy >= 0 && sx < 1000 && sy < 1000;
        const spot = inside && sx >= 400 && sx < 600 && sy >= 400 && sy < 600;
        data.set([...(spot ? SPOT : SKIN), 255], (y * side + x) * 4);
      }
    }
    const exact = preprocessRgba({ data, width: side, height: side }, size);
    const diffs = Array.from(shrunk, (v, i) => Math.abs(v - (exact[i] as number)));
    expect(Math.max(...diffs)).toBeLessThanOrEqual(6);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(0.5);
    expect(pixel(toModelInput(shrunk), size, 16, 16)).toEqual(SPOT);
    expect(pixel(toModelInput(shrunk), size, 0, 0)).toEqual(SKIN);
  });
});
