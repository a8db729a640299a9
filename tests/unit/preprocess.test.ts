import { describe, expect, it } from 'vitest';
import {
  areaWeights,
  centreSquare,
  preprocessRgba,
  rgbToRgba,
  overWhite,
  toModelInput,
} from '../../src/lib/image/preprocess';
import { grey } from './quality-draw';

const channel = (rgb: Uint8Array, c = 0): number[] => [...rgb].filter((_, i) => i % 3 === c);

describe('centreSquare', () => {
  it('crops the middle of landscape and portrait images, flooring odd margins', () => {
    expect(centreSquare(200, 150)).toEqual({ x0: 25, y0: 0, side: 150 });
    expect(centreSquare(150, 200)).toEqual({ x0: 0, y0: 25, side: 150 });
    expect(centreSquare(7, 4)).toEqual({ x0: 1, y0: 0, side: 4 }); // (7-4)/2 = 1.5 -> 1
    expect(centreSquare(5, 5)).toEqual({ x0: 0, y0: 0, side: 5 });
  });
});

describe('areaWeights', () => {
  it('5 -> 2: s = 2.5, pixel 2 is split between both outputs', () => {
    const taps = areaWeights(5, 2);
    expect(taps[0]?.start).toBe(0);
    expect([...(taps[0]?.weights ?? [])]).toEqual([0.4, 0.4, 0.2]);
    expect(taps[1]?.start).toBe(2);
    expect([...(taps[1]?.weights ?? [])].map((w) => +w.toFixed(12))).toEqual([0.2, 0.4, 0.4]);
  });

  it('weights of every output sum to 1 (an average), for shrinking and enlarging', () => {
    for (const [src, dst] of [
      [150, 28],
      [150, 128],
      [3000, 128],
      [20, 28],
      [7, 3],
    ] as const) {
      for (const tap of areaWeights(src, dst)) {
        expect(tap.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
    }
  });

  it('4 -> 2 averages disjoint pairs', () => {
    expect(areaWeights(4, 2).map((t) => [t.start, ...t.weights])).toEqual([
      [0, 0.5, 0.5],
      [2, 0.5, 0.5],
    ]);
  });
});

describe('preprocessRgba', () => {
  it('4x4 -> 2x2 is the mean of each 2x2 block', () => {
    const img = grey(4, 4, (x, y) => [10, 20, 30, 40][x]! + 100 * Math.floor(y / 2));
    // blocks: rows 0-1 cols 0-1: (10+20)/2 = 15; cols 2-3: 35; rows 2-3 add 100.
    expect(channel(preprocessRgba(img, 2))).toEqual([15, 35, 115, 135]);
  });

  it('rounds halves up: floor(v + 0.5)', () => {
    const img = grey(2, 2, (x) => (x === 0 ? 100 : 101)); // mean 100.5
    expect(channel(preprocessRgba(img, 1))).toEqual([101]);
  });

  it('crops the centre square before resizing (7x4: columns 1..4)', () => {
    const img = grey(7, 4, (x) => (x >= 1 && x <= 4 ? 200 : 0));
    expect(channel(preprocessRgba(img, 2))).toEqual([200, 200, 200, 200]);
  });

  it('crops a given square instead (the spot finder’s proposal), in the image’s pixels', () => {
    const img = grey(7, 4, (x, y) => (x >= 4 && y >= 1 && y <= 2 ? 90 : 10));
    // The 2x2 square at (4, 1) is all 90: the centre square would have mixed in 10s.
    expect(channel(preprocessRgba(img, 1, { x0: 4, y0: 1, side: 2 }))).toEqual([90]);
    expect(channel(preprocessRgba(img, 1, centreSquare(7, 4)))).toEqual(
      channel(preprocessRgba(img, 1)),
    );
  });

  it('refuses a crop that does not lie inside the image or is not a whole-pixel square', () => {
    const img = grey(7, 4, () => 0);
    for (const crop of [
      { x0: 4, y0: 1, side: 4 }, // past the right and bottom edges
      { x0: -1, y0: 0, side: 2 },
      { x0: 0, y0: 0, side: 0 },
      { x0: 0.5, y0: 0, side: 2 },
    ]) {
      expect(() => preprocessRgba(img, 2, crop), JSON.stringify(crop)).toThrow(/does not lie/);
    }
  });

  it('5 -> 2 with a hand-computed weighted mean', () => {
    const values = [0, 50, 100, 150, 200];
    const img = grey(5, 5, (x) => values[x]!);
    // out0 = 0.4*0 + 0.4*50 + 0.2*100 = 40 ; out1 = 0.2*100 + 0.4*150 + 0.4*200 = 160
    expect(channel(preprocessRgba(img, 2))).toEqual([40, 160, 40, 160]);
  });

  it('enlarges by box upsampling (2 -> 4 repeats each pixel twice)', () => {
    const img = grey(2, 2, (x, y) => 10 * (x + 2 * y));
    expect(channel(preprocessRgba(img, 4))).toEqual([
      0, 0, 10, 10, 0, 0, 10, 10, 20, 20, 30, 30, 20, 20, 30, 30,
    ]);
  });

  it('keeps channels apart (RGB order, HWC layout)', () => {
    const data = new Uint8ClampedArray([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 255,
    ]);
    expect([...preprocessRgba({ data, width: 2, height: 2 }, 2)]).toEqual([
      255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9,
    ]);
  });

  it('composites transparency over white, rounding like PIL', () => {
    const data = new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 128, 100, 50, 0, 255, 10, 10, 10, 1]);
    const out = preprocessRgba({ data, width: 2, height: 2 }, 2);
    // a=0 -> white; a=128 over white: (0*128 + 255*127)/255 = 127; a=1: (10 + 255*254)/255 = 254.04
    expect([...out]).toEqual([255, 255, 255, 127, 127, 127, 100, 50, 0, 254, 254, 254]);
  });

  it('matches round((c*a + 255*(255-a)) / 255) for every value and alpha', () => {
    for (let a = 0; a <= 255; a++) {
      for (let c = 0; c <= 255; c += 5) {
        const exact = (c * a + 255 * (255 - a)) / 255;
        expect(Math.abs(overWhite(c, a) - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
      }
    }
  });

  it('rejects empty or short buffers', () => {
    expect(() => preprocessRgba({ data: new Uint8Array(0), width: 0, height: 0 }, 2)).toThrow();
    expect(() => preprocessRgba({ data: new Uint8Array(4), width: 2, height: 2 }, 2)).toThrow();
  });
});

describe('toModelInput / rgbToRgba', () => {
  it('divides by 255 into float32', () => {
    const f = toModelInput(Uint8Array.from([0, 51, 255]));
    expect(f).toBeInstanceOf(Float32Array);
    expect([...f]).toEqual([0, Math.fround(0.2), 1]);
  });

  it('adds an opaque alpha channel', () => {
    expect([...rgbToRgba(Uint8Array.from([1, 2, 3, 4, 5, 6]))]).toEqual([
      1, 2, 3, 255, 4, 5, 6, 255,
    ]);
  });
});
