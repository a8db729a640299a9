/**
 * The spot finder: on a decoded photo, the most lesion-like region and a square crop around it
 * with the margin at which spots fill the training images (margin.ts). Pure and synchronous (no
 * DOM), so it runs the same in the page, a worker and Node.
 *
 * Steps: shrink the photo to a grid of LONG_SIDE cells on its long side (downscale.ts); CIELAB
 * (lab.ts); the skin as a plane per channel fitted robustly on the border band (skin.ts); each
 * cell's ΔE from it, box-blurred (contrast.ts); Otsu's threshold on that map, never below
 * MIN_CONTRAST; 8-connected regions (components.ts); regions that cannot be a spot dropped, the
 * rest scored by contrast, size, compactness, nearness to the centre and sides touched
 * (score.ts); the best region's box, and the square around it (crop.ts), tighter for a spot
 * photographed from afar (margin.ts).
 */
import { otsuThreshold } from '../quality/coverage';
import { ANALYSIS_SIZE } from '../quality/metrics';
import { centreSquare, type RgbaImage, type SquareCrop } from '../preprocess';
import { AFAR_CROP_SHARE, cropShare } from './afar';
import { regions } from './components';
import { boxBlur, contrastMap, darknessMap } from './contrast';
import { squareAround, type PixelBox } from './crop';
import { downscaleRgb } from './downscale';
import { rgbToLab } from './lab';
import { centreColour, fitSkin, type Lab } from './skin';
import { FAR_SPOT_FILL_SIDE, SPOT_FILL_SIDE } from './margin';
import { covers, score, strength, type Scored } from './score';

/** Cells on the small grid's long side: a spot 2% of the photo wide is still ~4 cells. */
export const LONG_SIDE = 192;
/** Box-blur radius in cells: fades skin grain and hairs, keeps a 4-cell spot. */
const BLUR_RADIUS = 2;
/**
 * The least mean ΔE from the skin that counts as a spot. Skin texture, pores and gentle shading
 * stay within ~5 after the blur; a faint naevus is ~10 or more.
 */
export const MIN_CONTRAST = 8;
/** Fewer cells than this is a speck (a pore, dust, one hair crossing), not a spot to crop to. */
const MIN_AREA = 6;
/** The crop's side never goes below this many cells: smaller, the box's own error dominates. */
const MIN_CROP_CELLS = 12;
/** Below this confidence the photo has no clear spot. */
export const MIN_CONFIDENCE = 0.15;
/** Otsu runs on 0..255 integers: contrast x 2 keeps half-ΔE steps (ΔE above 127 clips). */
const OTSU_SCALE = 2;

/** The chosen region, in photo pixels. */
export interface SpotRegion {
  readonly box: PixelBox;
  readonly centroid: { readonly x: number; readonly y: number };
  /** Area in photo pixels (cells x cell area). */
  readonly area: number;
  /** Mean ΔE from the skin colour over the region. */
  readonly contrast: number;
  /** 0..1, 1 for a solid disc or ellipse (see components.ts). */
  readonly compactness: number;
}

/** Why no spot was proposed: nothing stands out, or the region fills the frame (a close-up). */
export type NoSpotReason = 'no-contrast' | 'unclear' | 'fills-frame';

interface Common {
  /** The crop to propose: around the spot, else the centre square (today's behaviour). */
  readonly crop: SquareCrop;
  /** 0..1, a heuristic (how far the contrast stands out, lead over the runner-up; score.ts). */
  readonly confidence: number;
  /** The skin colour the contrast was measured against, at the photo's centre. */
  readonly skin: Lab;
}

export type SpotResult =
  | (Common & { readonly found: true; readonly spot: SpotRegion })
  | (Common & {
      readonly found: false;
      readonly reason: NoSpotReason;
      /** The best region even so (e.g. the lesion filling a close-up), or null. */
      readonly spot: SpotRegion | null;
    });

export interface FindOptions {
  /** Bounding-box side over crop side (default: SPOT_FILL_SIDE, measured on training images). */
  readonly fill?: number;
  /**
   * The same, when the crop at `fill` is under the afar share (default FAR_SPOT_FILL_SIDE; null:
   * `fill` whatever the crop's share).
   */
  readonly farFill?: number | null;
}

/** The most lesion-like region of `image` and the square crop to propose. */
export function findSpot(image: RgbaImage, options: FindOptions = {}): SpotResult {
  const small = downscaleRgb(image, LONG_SIDE);
  const { width, height } = small;
  const lab = rgbToLab(small.rgb);
  const model = fitSkin(lab, width, height);
  const skin = centreColour(model);
  const contrast = boxBlur(contrastMap(lab, model, width, height), width, height, BLUR_RADIUS);
  const darkness = darknessMap(lab, model, width, height);
  const otsu = (otsuThreshold(contrast.map((c) => c * OTSU_SCALE)) + 1) / OTSU_SCALE;
  const threshold = Math.max(otsu, MIN_CONTRAST);
  const scored = regions(contrast, darkness, width, height, threshold)
    .filter((r) => r.area >= MIN_AREA && r.meanContrast >= MIN_CONTRAST)
    // Lighter than the skin and cut by the frame: a bright background, or the skin in the corners
    // of a close-up whose spot fills nearly all of it (then the spot was taken for the skin).
    .filter((r) => r.sidesTouched === 0 || r.meanDarkness >= 0)
    // Shading or a background along three or four sides is not a spot, unless it covers the
    // centre: then it is the spot of a close-up, filling the frame.
    .filter((r) => r.sidesTouched < 3 || covers(r, (width - 1) / 2, (height - 1) / 2))
    .map((region) => score(region, width, height))
    .sort((p, q) => q.score - p.score);

  const fallback = centreSquare(image.width, image.height);
  const best = scored[0];
  if (!best)
    return { found: false, reason: 'no-contrast', spot: null, crop: fallback, confidence: 0, skin };
  const spot = toPixels(best, small.scaleX, small.scaleY, threshold);
  const second = scored[1]?.score ?? 0;
  // Scaled by the lead over the runner-up: two alike spots make either choice less sure.
  const confidence =
    strength(best.region.meanContrast, contrast, threshold, MIN_CONTRAST) *
    (0.5 + 0.5 * (1 - second / best.score));
  if (best.region.sidesTouched >= 3)
    return { found: false, reason: 'fills-frame', spot, crop: fallback, confidence, skin };
  if (confidence < MIN_CONFIDENCE)
    return { found: false, reason: 'unclear', spot, crop: fallback, confidence, skin };
  const minSide = MIN_CROP_CELLS * Math.max(small.scaleX, small.scaleY);
  const around = (fill: number): SquareCrop =>
    squareAround(spot.box, image.width, image.height, fill, minSide);
  const first = around(options.fill ?? SPOT_FILL_SIDE);
  // A spot small in the photo (taken from afar) is framed tighter (margin.ts). Judged on the
  // crop as the crop step will propose it (never under the model's ANALYSIS_SIZE), so that every
  // tightened crop is one the result calls "photographed from afar" (afar.ts).
  const far = options.farFill === undefined ? FAR_SPOT_FILL_SIDE : options.farFill;
  const proposed = { ...first, side: Math.max(first.side, ANALYSIS_SIZE) };
  const crop =
    far !== null && cropShare(proposed, image.width, image.height) < AFAR_CROP_SHARE
      ? around(far)
      : first;
  return { found: true, spot, crop, confidence, skin };
}

/**
 * How many cells the blur widened a region's box on each side. Blurring a spot's edge turns it
 * into a ramp 2 x BLUR_RADIUS + 1 cells wide from the spot's contrast C down to the skin's 0, and
 * the threshold t cuts that ramp BLUR_RADIUS x (1 - 2t / C) cells outside the true edge: nothing
 * when t is half the spot's contrast, almost the whole radius for a strong spot over a low
 * threshold. On a close-up that is a few per cent of the box; on a spot 20 cells wide, far away
 * in a big photo, it made the box ~15% too large (docs/spot-fill.md).
 */
export function blurWidening(threshold: number, peakContrast: number): number {
  if (!(peakContrast > 0)) return 0;
  return BLUR_RADIUS * Math.max(0, 1 - (2 * threshold) / peakContrast);
}

/** A scored region in photo pixels, its box corrected for the blur's widening. */
function toPixels(s: Scored, sx: number, sy: number, threshold: number): SpotRegion {
  const r = s.region;
  const width = r.maxX - r.minX + 1;
  const height = r.maxY - r.minY + 1;
  // Never below one cell: a region is at least that.
  const inX = Math.min(blurWidening(threshold, r.peakContrast), (width - 1) / 2);
  const inY = Math.min(blurWidening(threshold, r.peakContrast), (height - 1) / 2);
  return {
    box: {
      x: (r.minX + inX) * sx,
      y: (r.minY + inY) * sy,
      width: (width - 2 * inX) * sx,
      height: (height - 2 * inY) * sy,
    },
    centroid: { x: (r.cx + 0.5) * sx, y: (r.cy + 0.5) * sy },
    area: r.area * sx * sy,
    contrast: r.meanContrast,
    compactness: s.compact,
  };
}
