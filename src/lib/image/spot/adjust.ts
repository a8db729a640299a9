/**
 * Moving and zooming the proposed square crop, in photo pixels: what the crop step does with a
 * drag, a pinch, the wheel, a tap, the arrow keys and + / -. Pure, so every gesture ends in the
 * same few functions and the rules (whole pixels, inside the photo, never smaller than
 * minCropSide) are checked in one place by unit tests.
 */
import type { SquareCrop } from '../preprocess';

export interface PhotoSize {
  readonly width: number;
  readonly height: number;
}

/** A point in photo pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The smallest square the person can zoom to, in photo pixels: below 32 pixels even the 28 model
 * would be fed an upscaled blur (the quality check calls anything under the model's input size
 * "small"; this only stops zooming into nothing). A photo smaller than that can only be used whole.
 */
export const MIN_CROP_PIXELS = 32;

/** One arrow-key press moves the square by this share of its side (with Shift: BIG_STEP). */
export const KEY_STEP = 0.1;
export const BIG_KEY_STEP = 0.5;
/** One + / - press (or zoom button) scales the square's side by 1 / ZOOM_STEP or ZOOM_STEP. */
export const ZOOM_STEP = 1.25;

/** The smallest side allowed in this photo. */
export function minCropSide(size: PhotoSize): number {
  return Math.max(1, Math.min(MIN_CROP_PIXELS, Math.min(size.width, size.height)));
}

/**
 * The nearest valid crop: whole pixels, side between minCropSide and the photo's short side,
 * moved inside the photo (its centre kept where possible). Accepts fractional input, so gestures
 * can compute freely and round once.
 */
export function clampCrop(crop: SquareCrop, size: PhotoSize): SquareCrop {
  const limit = Math.min(size.width, size.height);
  const side = Math.round(Math.min(limit, Math.max(minCropSide(size), crop.side)));
  const cx = crop.x0 + crop.side / 2;
  const cy = crop.y0 + crop.side / 2;
  return {
    x0: clamp(Math.round(cx - side / 2), 0, size.width - side),
    y0: clamp(Math.round(cy - side / 2), 0, size.height - side),
    side,
  };
}

/** The crop shifted by (dx, dy) photo pixels, stopped at the photo's edges. */
export function moveCrop(crop: SquareCrop, dx: number, dy: number, size: PhotoSize): SquareCrop {
  return clampCrop({ x0: crop.x0 + dx, y0: crop.y0 + dy, side: crop.side }, size);
}

/** The crop of the same side centred on `point` (a tap on the photo), as far as the edges allow. */
export function centreOn(crop: SquareCrop, point: Point, size: PhotoSize): SquareCrop {
  return clampCrop(
    { x0: point.x - crop.side / 2, y0: point.y - crop.side / 2, side: crop.side },
    size,
  );
}

/**
 * The crop with its side multiplied by `scale` (< 1 zooms in: a smaller square, the spot larger
 * in it), keeping `anchor` (default: the centre) at the same place relative to the square, as a
 * pinch or the wheel keeps the point under the fingers or the pointer.
 */
export function scaleCrop(
  crop: SquareCrop,
  scale: number,
  size: PhotoSize,
  anchor: Point = { x: crop.x0 + crop.side / 2, y: crop.y0 + crop.side / 2 },
): SquareCrop {
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`scale must be > 0, got ${scale}`);
  const limit = Math.min(size.width, size.height);
  const side = Math.min(limit, Math.max(minCropSide(size), crop.side * scale));
  // The side actually reached decides how far the corner moves towards or away from the anchor.
  const k = side / crop.side;
  return clampCrop(
    { x0: anchor.x - (anchor.x - crop.x0) * k, y0: anchor.y - (anchor.y - crop.y0) * k, side },
    size,
  );
}

/** What a key does to the crop, or null when the key is not one of the crop step's. */
export function keyAdjust(
  crop: SquareCrop,
  key: string,
  size: PhotoSize,
  big = false,
): SquareCrop | null {
  const step = crop.side * (big ? BIG_KEY_STEP : KEY_STEP);
  switch (key) {
    case 'ArrowLeft':
      return moveCrop(crop, -step, 0, size);
    case 'ArrowRight':
      return moveCrop(crop, step, 0, size);
    case 'ArrowUp':
      return moveCrop(crop, 0, -step, size);
    case 'ArrowDown':
      return moveCrop(crop, 0, step, size);
    case '+':
    case '=': // the + key without Shift on most layouts
    case 'Add': // the numeric keypad's, in older browsers
      return scaleCrop(crop, 1 / ZOOM_STEP, size);
    case '-':
    case '_':
    case 'Subtract':
      return scaleCrop(crop, ZOOM_STEP, size);
    default:
      return null;
  }
}

/**
 * The crop after a pinch: its side scaled with the distance between the two fingers (spreading
 * them makes the square larger, as if stretching it), and moved with their midpoint. `start*` are
 * the crop and fingers when the second finger came down, `now*` the fingers now, in photo pixels.
 */
export function pinchCrop(
  start: SquareCrop,
  startFingers: readonly [Point, Point],
  nowFingers: readonly [Point, Point],
  size: PhotoSize,
): SquareCrop {
  const d0 = distance(startFingers[0], startFingers[1]);
  const d1 = distance(nowFingers[0], nowFingers[1]);
  const m0 = midpoint(startFingers[0], startFingers[1]);
  const m1 = midpoint(nowFingers[0], nowFingers[1]);
  const scaled = d0 > 0 && d1 > 0 ? scaleCrop(start, d1 / d0, size, m0) : start;
  return moveCrop(scaled, m1.x - m0.x, m1.y - m0.y, size);
}

/**
 * The crop grown about its centre to a side of at least `side` (as far as the photo allows): a
 * proposal smaller than the model's input would be enlarged, and the quality check would hold it
 * as "small", on a photo that has the pixels for more.
 */
export function atLeast(crop: SquareCrop, side: number, size: PhotoSize): SquareCrop {
  return crop.side >= side ? crop : scaleCrop(crop, side / crop.side, size);
}

/** Whether two crops are the same square. */
export const sameCrop = (a: SquareCrop, b: SquareCrop): boolean =>
  a.x0 === b.x0 && a.y0 === b.y0 && a.side === b.side;

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const midpoint = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
