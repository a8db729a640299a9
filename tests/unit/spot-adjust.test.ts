/** The crop step's maths: moving, zooming, pinching and clamping a square in photo pixels. */
import { describe, expect, it } from 'vitest';
import { cropFits, type SquareCrop } from '../../src/lib/image/preprocess';
import {
  atLeast,
  BIG_KEY_STEP,
  centreOn,
  clampCrop,
  keyAdjust,
  KEY_STEP,
  MIN_CROP_PIXELS,
  minCropSide,
  moveCrop,
  pinchCrop,
  sameCrop,
  scaleCrop,
  ZOOM_STEP,
} from '../../src/lib/image/spot/adjust';
import { prng } from '../../scripts/quality/degrade';

const PHOTO = { width: 1200, height: 1600 };
const CROP: SquareCrop = { x0: 300, y0: 500, side: 400 };
const centre = (c: SquareCrop) => ({ x: c.x0 + c.side / 2, y: c.y0 + c.side / 2 });

describe('clampCrop', () => {
  it('keeps a valid crop as it is', () => {
    expect(clampCrop(CROP, PHOTO)).toEqual(CROP);
  });

  it('moves a crop that sticks out back inside, side unchanged', () => {
    expect(clampCrop({ x0: -50, y0: 1400, side: 400 }, PHOTO)).toEqual({
      x0: 0,
      y0: 1200,
      side: 400,
    });
  });

  it('shrinks a crop larger than the short side to it, about its centre', () => {
    expect(clampCrop({ x0: -100, y0: 200, side: 1500 }, PHOTO)).toEqual({
      x0: 0,
      y0: 350,
      side: 1200,
    });
  });

  it('rounds to whole pixels and never goes below the minimum side', () => {
    expect(clampCrop({ x0: 10.4, y0: 20.6, side: 3 }, PHOTO)).toEqual({
      x0: 0,
      y0: 6,
      side: MIN_CROP_PIXELS,
    });
    expect(minCropSide({ width: 20, height: 16 })).toBe(16);
    // Grown about its centre (x 10): 16 wide from x 2.
    expect(clampCrop({ x0: 8, y0: 0, side: 4 }, { width: 20, height: 16 })).toEqual({
      x0: 2,
      y0: 0,
      side: 16,
    });
  });

  it('always gives a crop the preprocessing accepts (random input)', () => {
    const rand = prng(5);
    for (let i = 0; i < 500; i++) {
      const size = { width: 1 + Math.floor(rand() * 900), height: 1 + Math.floor(rand() * 900) };
      const crop = {
        x0: (rand() - 0.3) * 1000,
        y0: (rand() - 0.3) * 1000,
        side: rand() * 1200,
      };
      const out = clampCrop(crop, size);
      expect(cropFits(out, size.width, size.height)).toBe(true);
      expect(out.side).toBeGreaterThanOrEqual(minCropSide(size));
    }
  });
});

describe('moving', () => {
  it('moves by the given photo pixels, and stops at the edges', () => {
    expect(moveCrop(CROP, 25, -40, PHOTO)).toEqual({ x0: 325, y0: 460, side: 400 });
    expect(moveCrop(CROP, -1000, 5000, PHOTO)).toEqual({ x0: 0, y0: 1200, side: 400 });
  });

  it('a tap centres the square on the tapped point, as far as the edges allow', () => {
    expect(centreOn(CROP, { x: 600, y: 800 }, PHOTO)).toEqual({ x0: 400, y0: 600, side: 400 });
    expect(centreOn(CROP, { x: 1190, y: 5 }, PHOTO)).toEqual({ x0: 800, y0: 0, side: 400 });
  });
});

describe('zooming', () => {
  it('scales about the centre by default', () => {
    const out = scaleCrop(CROP, 0.5, PHOTO);
    expect(out).toEqual({ x0: 400, y0: 600, side: 200 });
    expect(centre(out)).toEqual(centre(CROP));
  });

  it('keeps the anchor (the pointer, the fingers) in place relative to the square', () => {
    const anchor = { x: 300, y: 500 }; // the top-left corner
    expect(scaleCrop(CROP, 0.5, PHOTO, anchor)).toEqual({ x0: 300, y0: 500, side: 200 });
    const inside = { x: 400, y: 600 }; // a quarter in from the corner
    const out = scaleCrop(CROP, 2, PHOTO, inside);
    expect(out).toEqual({ x0: 200, y0: 400, side: 800 });
    expect((inside.x - out.x0) / out.side).toBeCloseTo((inside.x - CROP.x0) / CROP.side, 6);
  });

  it('stops at the minimum side and at the short side', () => {
    expect(scaleCrop(CROP, 0.001, PHOTO).side).toBe(MIN_CROP_PIXELS);
    const whole = scaleCrop(CROP, 100, PHOTO);
    expect(whole.side).toBe(1200);
    expect(cropFits(whole, PHOTO.width, PHOTO.height)).toBe(true);
  });

  it('refuses a scale that is not a positive number', () => {
    expect(() => scaleCrop(CROP, 0, PHOTO)).toThrow(/scale/);
    expect(() => scaleCrop(CROP, Number.NaN, PHOTO)).toThrow(/scale/);
  });
});

describe('keys', () => {
  it('arrows move by a tenth of the side, with Shift by half', () => {
    const step = CROP.side * KEY_STEP;
    expect(keyAdjust(CROP, 'ArrowLeft', PHOTO)).toEqual({ ...CROP, x0: CROP.x0 - step });
    expect(keyAdjust(CROP, 'ArrowRight', PHOTO)).toEqual({ ...CROP, x0: CROP.x0 + step });
    expect(keyAdjust(CROP, 'ArrowUp', PHOTO)).toEqual({ ...CROP, y0: CROP.y0 - step });
    expect(keyAdjust(CROP, 'ArrowDown', PHOTO, true)).toEqual({
      ...CROP,
      y0: CROP.y0 + CROP.side * BIG_KEY_STEP,
    });
  });

  it('+ (or =) zooms in, - zooms out, about the centre', () => {
    for (const key of ['+', '=', 'Add']) {
      const out = keyAdjust(CROP, key, PHOTO)!;
      expect(out.side).toBe(Math.round(CROP.side / ZOOM_STEP));
      expect(centre(out).x).toBeCloseTo(centre(CROP).x, 0);
    }
    for (const key of ['-', '_', 'Subtract']) {
      expect(keyAdjust(CROP, key, PHOTO)!.side).toBe(Math.round(CROP.side * ZOOM_STEP));
    }
  });

  it('ignores other keys (Enter accepts, Tab moves focus)', () => {
    for (const key of ['Enter', 'Tab', ' ', 'a', 'Escape']) {
      expect(keyAdjust(CROP, key, PHOTO)).toBeNull();
    }
  });

  it('zooming in and out again comes back to about the same square', () => {
    const back = keyAdjust(keyAdjust(CROP, '+', PHOTO)!, '-', PHOTO)!;
    expect(Math.abs(back.side - CROP.side)).toBeLessThanOrEqual(1);
    expect(Math.abs(centre(back).x - centre(CROP).x)).toBeLessThanOrEqual(1);
  });
});

describe('pinching', () => {
  const fingers = [
    { x: 400, y: 700 },
    { x: 600, y: 700 },
  ] as const;

  it('spreading the fingers to twice the distance doubles the side about their midpoint', () => {
    const out = pinchCrop(
      CROP,
      fingers,
      [
        { x: 300, y: 700 },
        { x: 700, y: 700 },
      ],
      PHOTO,
    );
    expect(out).toEqual({ x0: 100, y0: 300, side: 800 });
  });

  it('moving both fingers moves the square with them', () => {
    const out = pinchCrop(
      CROP,
      fingers,
      [
        { x: 450, y: 650 },
        { x: 650, y: 650 },
      ],
      PHOTO,
    );
    expect(out).toEqual({ x0: 350, y0: 450, side: 400 });
  });

  it('fingers on one point change nothing', () => {
    const same = [fingers[0], fingers[0]] as const;
    expect(sameCrop(pinchCrop(CROP, same, same, PHOTO), CROP)).toBe(true);
  });
});

describe('atLeast', () => {
  it('grows a small square about its centre, as far as the photo allows; leaves a large one', () => {
    expect(atLeast({ x0: 40, y0: 20, side: 100 }, 128, { width: 200, height: 150 })).toEqual({
      x0: 26,
      y0: 6,
      side: 128,
    });
    expect(atLeast({ x0: 0, y0: 0, side: 100 }, 128, { width: 200, height: 110 })).toEqual({
      x0: 0,
      y0: 0,
      side: 110,
    });
    expect(atLeast(CROP, 128, PHOTO)).toBe(CROP);
  });
});
