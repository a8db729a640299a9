// Far copies for spot:bands: the first copy of each photo must stay spot-fill's (so one copy a
// photo reproduces the committed reports), and extra copies must be new placements in range.
import { describe, expect, it } from 'vitest';
import { prng } from '../../scripts/quality/degrade';
import {
  CLOSE_UP_SHARE,
  farPlacements,
  FRAME,
  OFFSET_SHARE,
  placement,
  SEED,
} from '../../scripts/spot-data';

const PHOTOS = 40;

/** spot-fill's own order of draws: one placement a photo from prng(SEED + 1). */
function spotFillPlacements(): ReturnType<typeof placement>[] {
  const rand = prng(SEED + 1);
  return Array.from({ length: PHOTOS }, () => placement(rand));
}

describe('farPlacements', () => {
  it('one copy a photo is exactly spot-fill placement, frame seed photo + 1', () => {
    const places = farPlacements(PHOTOS, 1, prng(SEED + 1), prng(SEED + 2));
    const expected = spotFillPlacements();
    expect(places.map((copies) => copies.length)).toEqual(Array(PHOTOS).fill(1));
    places.forEach((copies, i) => {
      expect(copies[0]).toEqual({ ...expected[i], seed: i + 1 });
    });
  });

  it('with five copies the first of each photo is unchanged and the others differ', () => {
    const single = farPlacements(PHOTOS, 1, prng(SEED + 1), prng(SEED + 2));
    const five = farPlacements(PHOTOS, 5, prng(SEED + 1), prng(SEED + 2));
    five.forEach((copies, i) => {
      expect(copies).toHaveLength(5);
      expect(copies[0]).toEqual(single[i]?.[0]);
      const sides = new Set(copies.map((c) => c.side));
      expect(sides.size).toBe(5);
    });
    const seeds = five.flat().map((c) => c.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('every copy is the size and off-centre distance spot-fill draws from', () => {
    for (const c of farPlacements(PHOTOS, 5, prng(SEED + 1), prng(SEED + 2)).flat()) {
      expect(c.side).toBeGreaterThanOrEqual(FRAME.width * CLOSE_UP_SHARE[0]);
      expect(c.side).toBeLessThanOrEqual(FRAME.width * CLOSE_UP_SHARE[1]);
      // The offset is a share of the half-size on each axis: an ellipse in pixels.
      const dx = (c.centre.x - FRAME.width / 2) / (FRAME.width / 2);
      const dy = (c.centre.y - FRAME.height / 2) / (FRAME.height / 2);
      const offset = Math.hypot(dx, dy);
      expect(offset).toBeGreaterThanOrEqual(OFFSET_SHARE[0] - 1e-9);
      expect(offset).toBeLessThanOrEqual(OFFSET_SHARE[1] + 1e-9);
    }
  });

  it('refuses a count of copies that is not a whole number >= 1', () => {
    expect(() => farPlacements(3, 0, prng(1), prng(2))).toThrow();
    expect(() => farPlacements(3, 1.5, prng(1), prng(2))).toThrow();
  });
});
