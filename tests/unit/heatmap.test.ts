import { describe, expect, it } from 'vitest';
import { colour, heatmapRgba, upsampleBilinear } from '../../src/lib/image/heatmap';

describe('upsampleBilinear (half-pixel centres)', () => {
  it('keeps a constant map constant and a 1x1 map flat', () => {
    expect(new Set(upsampleBilinear([0.4, 0.4, 0.4, 0.4], 2, 2, 8))).toEqual(
      new Set([Math.fround(0.4)]),
    );
    expect(Array.from(upsampleBilinear([0.7], 1, 1, 3))).toEqual(Array(9).fill(Math.fround(0.7)));
  });

  it('2 -> 4 is 0.25/0.75 interpolation inside and clamps at the edges (as torch)', () => {
    // torch.nn.functional.interpolate(tensor([[0., 1.]]), size=4, mode='linear') -> 0, .25, .75, 1
    const row = Array.from(upsampleBilinear([0, 1, 0, 1], 2, 2, 4).slice(0, 4));
    expect(row).toEqual([0, 0.25, 0.75, 1]);
  });

  it('keeps each cell over its own part of the image (7x7 -> 224: cell 3 at the centre)', () => {
    const map = new Array(49).fill(0);
    map[3 * 7 + 3] = 1;
    const up = upsampleBilinear(map, 7, 7, 224);
    expect(up[112 * 224 + 112]).toBeGreaterThan(0.9);
    expect(up[0]).toBe(0);
  });

  it('rejects a map whose size does not match', () => {
    expect(() => upsampleBilinear([1, 2, 3], 2, 2, 4)).toThrow();
  });
});

describe('colour map', () => {
  it('runs from near black to pale yellow, clamped, and brighter with the value', () => {
    expect(colour(0)).toEqual([0, 0, 4]);
    expect(colour(1)).toEqual([252, 255, 164]);
    expect(colour(-3)).toEqual(colour(0));
    expect(colour(Number.NaN)).toEqual(colour(0));
    const lum = (t: number) => colour(t).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 10; i++) expect(lum((i + 1) / 10)).toBeGreaterThan(lum(i / 10));
  });

  it('gives opaque RGBA at the requested size', () => {
    const rgba = heatmapRgba([0, 1, 1, 0], 2, 2, 5);
    expect(rgba.length).toBe(5 * 5 * 4);
    expect(rgba[3]).toBe(255);
  });
});
