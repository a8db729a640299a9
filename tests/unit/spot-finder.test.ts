/**
 * The spot finder on drawn photos: skin with sensor grain and soft-edged discs of a darker colour,
 * at several positions, sizes and contrasts; two spots; none; turned and flipped; 12 MP.
 */
import { describe, expect, it } from 'vitest';
import type { RgbaImage, SquareCrop } from '../../src/lib/image/preprocess';
import { prng } from '../../scripts/quality/degrade';
import { cropBox, cropRgba, iou, squareAround } from '../../src/lib/image/spot/crop';
import { downscaleRgb } from '../../src/lib/image/spot/downscale';
import { blurWidening, findSpot, LONG_SIDE, type SpotResult } from '../../src/lib/image/spot/find';
import { srgbToLab } from '../../src/lib/image/spot/lab';
import {
  FAR_SPOT_FILL_SIDE,
  marginForShare,
  SPOT_FILL_SIDE,
} from '../../src/lib/image/spot/margin';
import { AFAR_CROP_SHARE, cropShare } from '../../src/lib/image/spot/afar';
import { median } from '../../src/lib/image/spot/median';

type Rgb = readonly [number, number, number];
const SKIN: Rgb = [214, 164, 138];
const BROWN: Rgb = [96, 58, 40];

interface Disc {
  readonly x: number;
  readonly y: number;
  readonly r: number;
  /** 0..1: how far from the skin towards `colour` the disc's middle is. */
  readonly strength?: number;
  readonly colour?: Rgb;
  /** Horizontal stretch (an ellipse rx = r * stretch, ry = r). */
  readonly stretch?: number;
}

interface Field {
  readonly skin?: Rgb;
  /** Per-pixel grain, uniform ±grain levels. */
  readonly grain?: number;
  /** Light fall-off: gain 1 + shade * (x / width - 0.5) * 2. */
  readonly shade?: number;
  readonly seed?: number;
}

/** A width x height photo of skin with the discs drawn (edges soft over ~2 px, like a lens). */
function draw(width: number, height: number, discs: readonly Disc[], field: Field = {}): RgbaImage {
  const { skin = SKIN, grain = 12, shade = 0, seed = 3 } = field;
  const rand = prng(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gain = 1 + shade * ((2 * x) / width - 1);
      const colour: number[] = skin.map((c) => c * gain);
      for (const d of discs) {
        const dx = (x - d.x) / (d.stretch ?? 1);
        const edge = d.r - Math.hypot(dx, y - d.y);
        const t = Math.min(1, Math.max(0, (edge + 1) / 2)) * (d.strength ?? 1);
        const to = d.colour ?? BROWN;
        for (let c = 0; c < 3; c++)
          colour[c] = (colour[c] as number) * (1 - t) + (to[c] as number) * t;
      }
      const noise = (rand() * 2 - 1) * grain;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = (colour[c] as number) + noise;
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

function found(result: SpotResult): Extract<SpotResult, { found: true }> {
  if (!result.found) throw new Error(`no spot found (${result.reason})`);
  return result;
}

/** Whether the crop contains the whole disc (its ellipse's bounding box). */
function contains(crop: SquareCrop, d: Disc): boolean {
  const rx = d.r * (d.stretch ?? 1);
  return (
    crop.x0 <= d.x - rx &&
    d.x + rx <= crop.x0 + crop.side &&
    crop.y0 <= d.y - d.r &&
    d.y + d.r <= crop.y0 + crop.side
  );
}

const centreOf = (crop: SquareCrop): [number, number] => [
  crop.x0 + crop.side / 2,
  crop.y0 + crop.side / 2,
];

describe('findSpot on one disc', () => {
  const W = 640;
  const H = 480;
  const cell = W / LONG_SIDE;

  it.each([
    ['centre', 320, 240],
    ['off-centre', 200, 300],
    ['top left', 60, 60],
    ['top right', 580, 55],
    ['bottom left', 50, 425],
    ['bottom right', 585, 420],
    ['left edge, middle', 45, 240],
  ])('%s: the crop holds the disc and the spot is centred on it', (_, x, y) => {
    const disc = { x, y, r: 30 };
    const result = found(findSpot(draw(W, H, [disc])));
    expect(contains(result.crop, disc)).toBe(true);
    expect(Math.hypot(result.spot.centroid.x - x, result.spot.centroid.y - y)).toBeLessThan(
      2 * cell,
    );
    // The crop is centred on the disc unless the photo's edge pushed it.
    const [cx, cy] = centreOf(result.crop);
    const free = (v: number, lo: number, hi: number): boolean => v > lo && v < hi;
    if (free(result.crop.x0, 0, W - result.crop.side))
      expect(Math.abs(cx - x)).toBeLessThan(cell * 2);
    if (free(result.crop.y0, 0, H - result.crop.side))
      expect(Math.abs(cy - y)).toBeLessThan(cell * 2);
    expect(result.confidence).toBeGreaterThan(0.5);
  });

  it.each([8, 15, 30, 60, 100])('radius %i: the crop is the disc over the fill margin', (r) => {
    const disc = { x: 300, y: 250, r };
    const result = found(findSpot(draw(W, H, [disc])));
    expect(contains(result.crop, disc)).toBe(true);
    // The training margin, or the tighter one when that crop is small in the photo (from afar).
    const side = (fill: number): number => Math.min(H, Math.max((2 * r) / fill, 12 * cell));
    const wanted = side(marginForShare(side(SPOT_FILL_SIDE) / H));
    expect(result.crop.side / wanted).toBeGreaterThan(0.8);
    expect(result.crop.side / wanted).toBeLessThan(1.3);
  });

  it.each([0.3, 0.5, 1])('contrast %f of full brown: found', (strength) => {
    const disc = { x: 350, y: 220, r: 35, strength };
    const result = found(findSpot(draw(W, H, [disc])));
    expect(contains(result.crop, disc)).toBe(true);
  });

  it('finds a red (vascular-like) spot of about the skin lightness', () => {
    const disc = { x: 280, y: 260, r: 25, colour: [200, 60, 80] as Rgb };
    expect(contains(found(findSpot(draw(W, H, [disc]))).crop, disc)).toBe(true);
  });

  it('finds a spot on dark skin', () => {
    const disc = { x: 330, y: 230, r: 30, colour: [45, 28, 22] as Rgb };
    const image = draw(W, H, [disc], { skin: [112, 74, 54], grain: 8 });
    expect(contains(found(findSpot(image)).crop, disc)).toBe(true);
  });

  it('keeps to the spot beside a dark background strip along one side', () => {
    const disc = { x: 380, y: 250, r: 25 };
    const image = draw(W, H, [disc]);
    for (let y = 0; y < H; y++) image.data.fill(30, y * W * 4, (y * W + 100) * 4);
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    const result = found(findSpot(image));
    expect(contains(result.crop, disc)).toBe(true);
    expect(result.crop.x0).toBeGreaterThanOrEqual(100);
  });

  it('a very faint disc is no clear spot', () => {
    const result = findSpot(draw(W, H, [{ x: 320, y: 240, r: 40, strength: 0.06 }]));
    expect(result.found).toBe(false);
  });
});

describe('the margin of a spot photographed from afar', () => {
  const W = 1200;
  const H = 1600;
  const sideOf = (r: number, farFill?: number | null): number =>
    found(findSpot(draw(W, H, [{ x: 500, y: 700, r }]), { farFill })).crop.side;

  it('a spot small in the photo is cropped at FAR_SPOT_FILL_SIDE, round the same box', () => {
    // At the training margin its crop would be ~0.17 of the short side: under the afar share.
    const wide = sideOf(60, null);
    expect(cropShare({ x0: 0, y0: 0, side: wide }, W, H)).toBeLessThan(AFAR_CROP_SHARE);
    const tight = found(findSpot(draw(W, H, [{ x: 500, y: 700, r: 60 }])));
    expect(tight.crop.side / wide).toBeCloseTo(SPOT_FILL_SIDE / FAR_SPOT_FILL_SIDE, 1);
    expect(contains(tight.crop, { x: 500, y: 700, r: 60 })).toBe(true);
    const [cx, cy] = centreOf(tight.crop);
    expect(Math.hypot(cx - 500, cy - 700)).toBeLessThan(2 * (H / LONG_SIDE));
  });

  it('a spot whose crop is over the afar share keeps the training margin', () => {
    // 2 x 150 / 0.59 = 508 px, 0.42 of the short side.
    expect(sideOf(150)).toBe(sideOf(150, null));
    expect(sideOf(150) / 1200).toBeGreaterThan(AFAR_CROP_SHARE);
  });

  it('the crop step and its ring use the same rule (marginForShare)', () => {
    expect(marginForShare(AFAR_CROP_SHARE - 0.01)).toBe(FAR_SPOT_FILL_SIDE);
    expect(marginForShare(AFAR_CROP_SHARE)).toBe(SPOT_FILL_SIDE);
    expect(FAR_SPOT_FILL_SIDE).toBeGreaterThan(SPOT_FILL_SIDE);
  });
});

describe('findSpot on two spots', () => {
  it('prefers the central one of two alike', () => {
    const image = draw(640, 480, [
      { x: 300, y: 250, r: 25 },
      { x: 570, y: 70, r: 25 },
    ]);
    const result = found(findSpot(image));
    expect(result.spot.centroid.x).toBeLessThan(400);
    expect(contains(result.crop, { x: 300, y: 250, r: 25 })).toBe(true);
  });

  it('prefers a large dark spot to a small faint one, even off-centre', () => {
    const big = { x: 200, y: 170, r: 45 };
    const image = draw(640, 480, [big, { x: 330, y: 250, r: 8, strength: 0.4 }]);
    const result = found(findSpot(image));
    expect(contains(result.crop, big)).toBe(true);
    expect(Math.hypot(result.spot.centroid.x - big.x, result.spot.centroid.y - big.y)).toBeLessThan(
      10,
    );
  });
});

describe('findSpot on photos without a spot', () => {
  it.each<[string, RgbaImage]>([
    ['flat skin with grain', draw(640, 480, [])],
    ['heavy grain', draw(640, 480, [], { grain: 40 })],
    ['a gentle gradient of light', draw(640, 480, [], { shade: 0.08 })],
    ['a strong gradient of light', draw(640, 480, [], { shade: 0.3 })],
    ['dark skin, flat', draw(480, 640, [], { skin: [96, 62, 46] })],
    ['a tiny image', draw(4, 3, [])],
  ])('%s: no clear spot, centre square proposed', (_, image) => {
    const result = findSpot(image);
    expect(result.found).toBe(false);
    const side = Math.min(image.width, image.height);
    expect(result.crop).toEqual({
      x0: Math.floor((image.width - side) / 2),
      y0: Math.floor((image.height - side) / 2),
      side,
    });
  });

  it('a spot filling the frame is reported, with the centre square', () => {
    const result = findSpot(draw(400, 300, [{ x: 200, y: 150, r: 200 }]));
    expect(result.found).toBe(false);
    if (!result.found) expect(result.reason).toBe('fills-frame');
    expect(result.spot).not.toBeNull();
    expect(result.crop).toEqual({ x0: 50, y0: 0, side: 300 });
  });
});

describe('findSpot does not depend on orientation', () => {
  const W = 600;
  const H = 400;
  // The big spot's crop share (about 0.46) is clear of the afar share (0.39), where the margin
  // changes and a cell's difference in the box could change the crop's side by a quarter.
  const discs: Disc[] = [
    { x: 380, y: 150, r: 30, stretch: 1.8 },
    { x: 150, y: 300, r: 10, strength: 0.5 },
  ];
  const base = findSpot(draw(W, H, discs));

  /** The image turned a quarter clockwise: (x, y) -> (H - 1 - y, x). */
  function turn(image: RgbaImage): RgbaImage {
    const { width, height } = image;
    const data = new Uint8ClampedArray(image.data.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        data.set(
          image.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4),
          (x * height + (height - 1 - y)) * 4,
        );
    return { data, width: height, height: width };
  }

  function flip(image: RgbaImage): RgbaImage {
    const { width, height } = image;
    const data = new Uint8ClampedArray(image.data.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        data.set(
          image.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4),
          (y * width + width - 1 - x) * 4,
        );
    return { data, width, height };
  }

  it('turned a quarter: the same spot, turned', () => {
    const a = found(base);
    expect(cropShare(a.crop, W, H)).toBeGreaterThan(AFAR_CROP_SHARE + 0.04);
    const b = found(findSpot(turn(draw(W, H, discs))));
    expect(b.spot.centroid.x).toBeCloseTo(H - a.spot.centroid.y, -1);
    expect(b.spot.centroid.y).toBeCloseTo(a.spot.centroid.x, -1);
    expect(Math.abs(b.spot.box.width - a.spot.box.height)).toBeLessThanOrEqual(2 * (W / LONG_SIDE));
    expect(Math.abs(b.crop.side - a.crop.side)).toBeLessThanOrEqual(2 * (W / LONG_SIDE));
  });

  it('mirrored: the same spot, mirrored', () => {
    const a = found(base);
    const b = found(findSpot(flip(draw(W, H, discs))));
    expect(b.spot.centroid.x).toBeCloseTo(W - a.spot.centroid.x, -1);
    expect(b.spot.centroid.y).toBeCloseTo(a.spot.centroid.y, -1);
    expect(Math.abs(b.crop.side - a.crop.side)).toBeLessThanOrEqual(2 * (W / LONG_SIDE));
  });
});

describe('findSpot on a 12 MP photo', () => {
  it('works on the downscaled copy and answers in photo pixels', () => {
    const disc = { x: 2700, y: 1100, r: 160 };
    const image = draw(4000, 3000, [disc], { grain: 20 });
    const result = found(findSpot(image));
    expect(contains(result.crop, disc)).toBe(true);
    expect(
      Math.hypot(result.spot.centroid.x - disc.x, result.spot.centroid.y - disc.y),
    ).toBeLessThan(40);
    expect(result.spot.area / (Math.PI * disc.r ** 2)).toBeGreaterThan(0.6);
    expect(result.spot.area / (Math.PI * disc.r ** 2)).toBeLessThan(1.5);
  });
});

describe('crop maths', () => {
  it('squareAround: the box over the fill, centred, at least minSide', () => {
    expect(squareAround({ x: 100, y: 100, width: 60, height: 30 }, 1000, 800, 0.6, 10)).toEqual({
      x0: 80,
      y0: 65,
      side: 100,
    });
    expect(squareAround({ x: 100, y: 100, width: 6, height: 3 }, 1000, 800, 0.6, 50).side).toBe(50);
  });

  it('squareAround: clamped inside the photo, never larger than its short side', () => {
    expect(squareAround({ x: 0, y: 0, width: 40, height: 40 }, 1000, 800, 0.5, 1)).toEqual({
      x0: 0,
      y0: 0,
      side: 80,
    });
    expect(squareAround({ x: 950, y: 770, width: 50, height: 30 }, 1000, 800, 0.5, 1)).toEqual({
      x0: 900,
      y0: 700,
      side: 100,
    });
    expect(squareAround({ x: 100, y: 100, width: 700, height: 300 }, 1000, 800, 0.5, 1)).toEqual({
      x0: 50,
      y0: 0,
      side: 800,
    });
    expect(() => squareAround({ x: 0, y: 0, width: 1, height: 1 }, 10, 10, 0, 1)).toThrow();
  });

  it('cropRgba copies the square, iou of boxes', () => {
    const image = draw(20, 10, [], { grain: 0 });
    image.data[(3 * 20 + 5) * 4] = 1;
    const crop = cropRgba(image, { x0: 5, y0: 3, side: 4 });
    expect(crop.width).toBe(4);
    expect(crop.data[0]).toBe(1);
    expect(() => cropRgba(image, { x0: 18, y0: 0, side: 4 })).toThrow();
    expect(
      iou(cropBox({ x0: 0, y0: 0, side: 10 }), { x: 5, y: 0, width: 10, height: 10 }),
    ).toBeCloseTo(50 / 150);
    expect(iou({ x: 0, y: 0, width: 1, height: 1 }, { x: 2, y: 2, width: 1, height: 1 })).toBe(0);
  });
});

describe('helpers', () => {
  it('median by quickselect equals the sorted middle (upper one for even counts)', () => {
    const rand = prng(9);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Float32Array.from({ length: n }, () => Math.round(rand() * 20));
      const sorted = Float32Array.from(values).sort();
      expect(median(values)).toBe(sorted[n >> 1]);
    }
    expect(median(new Float32Array(0))).toBe(0);
  });

  it('srgbToLab: white, black and sRGB red', () => {
    const white = srgbToLab(255, 255, 255);
    expect(white[0]).toBeCloseTo(100, 2);
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(0.01);
    expect(srgbToLab(0, 0, 0)[0]).toBeCloseTo(0, 5);
    const red = srgbToLab(255, 0, 0);
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
  });

  it('downscaleRgb: cell means, long side as asked, never upscales', () => {
    const image = draw(400, 300, [], { grain: 0 });
    for (let y = 0; y < 300; y++) image.data.fill(0, (y * 400 + 200) * 4, (y * 400 + 400) * 4);
    const small = downscaleRgb(image, 100);
    expect([small.width, small.height]).toEqual([100, 75]);
    expect(small.rgb[0]).toBeCloseTo(SKIN[0], 3);
    expect(small.rgb[(10 * 100 + 99) * 3]).toBe(0);
    const tiny = downscaleRgb(draw(30, 20, []), 100);
    expect([tiny.width, tiny.height, tiny.scaleX]).toEqual([30, 20, 1]);
  });
});

describe("the box corrected for the blur's widening", () => {
  it('blurWidening: none at half the contrast, up to the blur radius over a low threshold', () => {
    expect(blurWidening(10, 20)).toBe(0);
    expect(blurWidening(15, 20)).toBe(0);
    expect(blurWidening(8, 80)).toBeCloseTo(1.6, 6);
    expect(blurWidening(8, 0)).toBe(0);
  });

  it.each([
    ['strong', 1],
    ['faint', 0.45],
  ])(
    'a %s disc far away in a 1200 x 1600 photo: the box is its diameter, within a cell',
    (_, s) => {
      const disc = { x: 430, y: 1010, r: 90, strength: s };
      const result = found(findSpot(draw(1200, 1600, [disc], { seed: 9 })));
      const cell = 1600 / LONG_SIDE;
      const { width, height } = result.spot.box;
      expect(Math.abs(width - 2 * disc.r)).toBeLessThanOrEqual(cell * 1.5);
      expect(Math.abs(height - 2 * disc.r)).toBeLessThanOrEqual(cell * 1.5);
    },
  );
});
