/** Synthetic far-away copies (a close-up shrunk into a skin-coloured frame) and the finder on them. */
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/lib/image/preprocess';
import { cropBox, iou } from '../../src/lib/image/spot/crop';
import {
  borderColour,
  darkBorderShare,
  DARK_BORDER_LIMIT,
  farCopy,
  hash01,
} from '../../src/lib/image/spot/far';
import { findSpot } from '../../src/lib/image/spot/find';
import { resize } from '../../src/lib/image/spot/resize';
import { drawSpot, SKIN } from './quality-draw';

/** Mean RGB over a rectangle of an RGBA image. */
function meanRgb(image: RgbaImage, x0: number, y0: number, w: number, h: number): number[] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++)
      for (let c = 0; c < 3; c++)
        sum[c] = (sum[c] as number) + (image.data[(y * image.width + x) * 4 + c] as number);
  return sum.map((s) => s / (w * h));
}

const closeUp = drawSpot(200, 60); // 200 x 200 skin, dark disc of radius 60 in the middle

describe('farCopy', () => {
  const copy = farCopy(closeUp, {
    width: 1200,
    height: 1600,
    side: 240,
    centre: { x: 800, y: 500 },
    seed: 4,
  });

  it('places the shrunk close-up where asked and says where', () => {
    expect([copy.image.width, copy.image.height, copy.image.data.length]).toEqual([
      1200,
      1600,
      1200 * 1600 * 4,
    ]);
    expect(copy.rect).toEqual({ x: 680, y: 380, width: 240, height: 240 });
    expect(copy.square).toEqual(copy.rect);
    // The spot's middle is the close-up's spot colour; far from the rect it is skin.
    const inside = meanRgb(copy.image, 790, 490, 20, 20);
    expect(inside[0]).toBeLessThan(120);
    const outside = meanRgb(copy.image, 100, 1300, 40, 40);
    outside.forEach((v, c) =>
      expect(Math.abs(v - (SKIN[c] as number))).toBeLessThan(0.1 * (SKIN[c] as number)),
    );
  });

  it('keeps the aspect ratio and gives the centre square of a wide close-up', () => {
    const wide: RgbaImage = {
      data: new Uint8ClampedArray(200 * 150 * 4).fill(200),
      width: 200,
      height: 150,
    };
    const c = farCopy(wide, { width: 1200, height: 1600, side: 300, centre: { x: 400, y: 1000 } });
    expect(c.rect).toEqual({ x: 250, y: 888, width: 300, height: 225 });
    expect(c.square).toEqual({ x: 287, y: 888, width: 225, height: 225 });
  });

  it('moves a close-up that would stick out back inside the frame', () => {
    const c = farCopy(closeUp, { width: 600, height: 800, side: 200, centre: { x: 10, y: 790 } });
    expect(c.rect).toEqual({ x: 0, y: 600, width: 200, height: 200 });
  });

  it('is deterministic per seed and shaded differently across seeds', () => {
    const options = { width: 300, height: 400, side: 80, centre: { x: 100, y: 100 } };
    const pixels = (seed: number): Buffer =>
      Buffer.from(farCopy(closeUp, { ...options, seed }).image.data);
    expect(pixels(1).equals(pixels(1))).toBe(true);
    expect(pixels(1).equals(pixels(2))).toBe(false);
  });

  it('the finder crops to the pasted spot, not the frame centre', () => {
    const result = findSpot(copy.image);
    expect(result.found).toBe(true);
    expect(iou(cropBox(result.crop), copy.square)).toBeGreaterThan(0.5);
  });
});

describe("farCopy's surround", () => {
  /** A close-up whose corner squares (20-40 px in) are blue: skin the ellipse would fade out. */
  const cornered = (): RgbaImage => {
    const image = drawSpot(200, 50);
    for (let y = 0; y < 200; y++)
      for (let x = 0; x < 200; x++) {
        const ix = Math.min(x, 199 - x);
        const iy = Math.min(y, 199 - y);
        if (ix >= 20 && ix < 40 && iy >= 20 && iy < 40)
          image.data.set([60, 80, 200], (y * 200 + x) * 4);
      }
    return image;
  };
  const options = { width: 800, height: 1000, side: 200, centre: { x: 300, y: 600 }, seed: 2 };

  it("'kept' pastes the whole close-up, its corners included; 'faded' fades them out", () => {
    const kept = farCopy(cornered(), { ...options, surround: 'kept' });
    const faded = farCopy(cornered(), options);
    expect([kept.mask, faded.mask]).toEqual(['rectangle', 'ellipse']);
    expect(kept.rect).toEqual(faded.rect);
    const { x, y } = kept.rect;
    for (const [cx, cy] of [
      [x + 25, y + 25],
      [x + 165, y + 165],
    ] as const) {
      const [r, , b] = meanRgb(kept.image, cx, cy, 10, 10) as [number, number, number];
      expect(b).toBeGreaterThan(180);
      expect(r).toBeLessThan(80);
      meanRgb(faded.image, cx, cy, 10, 10).forEach((v, c) =>
        expect(Math.abs(v - (SKIN[c] as number))).toBeLessThan(0.15 * (SKIN[c] as number)),
      );
    }
    // The middle (the spot) is the close-up's either way; outside the rect both are plain skin.
    expect(meanRgb(kept.image, 295, 595, 10, 10)).toEqual(meanRgb(faded.image, 295, 595, 10, 10));
    expect(meanRgb(kept.image, 600, 100, 20, 20)).toEqual(meanRgb(faded.image, 600, 100, 20, 20));
  });

  it("'kept' still feathers the rectangle's outer edge into the frame: no seam", () => {
    const kept = farCopy(cornered(), { ...options, surround: 'kept' });
    const { x, y } = kept.rect;
    // The outermost pixel row of the rect is (nearly) the frame's; 10% in, the close-up's.
    const edge = meanRgb(kept.image, x + 60, y, 80, 1);
    const frame = meanRgb(kept.image, x + 60, y - 4, 80, 1);
    edge.forEach((v, c) => expect(Math.abs(v - (frame[c] as number))).toBeLessThan(8));
  });

  it("'kept' keeps the ellipse for a close-up with a dermatoscope's dark corners", () => {
    const scope = cornered();
    for (let y = 0; y < 200; y++)
      for (let x = 0; x < 200; x++)
        if (Math.hypot(x - 99.5, y - 99.5) > 115)
          scope.data.fill(0, (y * 200 + x) * 4, (y * 200 + x) * 4 + 3);
    expect(darkBorderShare(scope)).toBeGreaterThan(DARK_BORDER_LIMIT);
    expect(darkBorderShare(cornered())).toBe(0);
    const copy = farCopy(scope, { ...options, surround: 'kept' });
    expect(copy.mask).toBe('ellipse');
    // No black corner is pasted into the frame.
    const corner = meanRgb(copy.image, copy.rect.x + 1, copy.rect.y + 1, 8, 8);
    expect(Math.min(...corner)).toBeGreaterThan(100);
  });
});

describe('far-copy helpers', () => {
  it("borderColour is the border median, ignoring a dermatoscope's black corners", () => {
    const image = drawSpot(100, 20);
    for (let y = 0; y < 100; y++)
      for (let x = 0; x < 100; x++)
        if (Math.hypot(x - 49.5, y - 49.5) > 60)
          image.data.fill(0, (y * 100 + x) * 4, (y * 100 + x) * 4 + 3);
    borderColour(image).forEach((v, c) =>
      expect(Math.abs(v - (SKIN[c] as number))).toBeLessThan(4),
    );
  });

  it('resize: area means when shrinking, bilinear when enlarging', () => {
    const data = new Uint8ClampedArray(4 * 4 * 4);
    for (let i = 0; i < 16; i++) data.fill(i * 10, i * 4, i * 4 + 3);
    const image = { data, width: 4, height: 4 };
    // Top-left 2x2 block: pixels 0, 1, 4, 5 -> (0 + 10 + 40 + 50) / 4.
    expect(resize(image, 2, 2)[0]).toBeCloseTo(25, 4);
    const big = resize(
      { data: Uint8ClampedArray.of(0, 0, 0, 255, 100, 100, 100, 255), width: 2, height: 1 },
      8,
      1,
    );
    expect(big[0]).toBe(0);
    expect(big[7 * 3]).toBe(100);
    for (let x = 1; x < 8; x++)
      expect(big[x * 3]).toBeGreaterThanOrEqual(big[(x - 1) * 3] as number);
  });

  it('hash01 is in [0, 1) and evenly spread', () => {
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const v = hash01(i % 100, Math.floor(i / 100), 3);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      sum += v;
    }
    expect(sum / 10000).toBeCloseTo(0.5, 1);
  });
});
