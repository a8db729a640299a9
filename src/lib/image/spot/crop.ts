/** Square crops around a found spot, in photo pixels, and cutting one out of a photo. */
import type { RgbaImage, SquareCrop } from '../preprocess';

/** An axis-aligned rectangle in photo pixels: [x, x + width) x [y, y + height). */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The square centred on `box` whose side is the box's longer side divided by `fill` (at least
 * `minSide`), shrunk to the photo's short side if larger and shifted to lie inside the photo.
 */
export function squareAround(
  box: PixelBox,
  imageWidth: number,
  imageHeight: number,
  fill: number,
  minSide: number,
): SquareCrop {
  if (!(fill > 0 && fill <= 1)) throw new Error(`fill must be in (0, 1], got ${fill}`);
  const limit = Math.min(imageWidth, imageHeight);
  const wanted = Math.max(box.width, box.height) / fill;
  const side = Math.max(1, Math.min(limit, Math.round(Math.max(wanted, minSide))));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const clamp = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  return {
    x0: clamp(Math.round(cx - side / 2), imageWidth - side),
    y0: clamp(Math.round(cy - side / 2), imageHeight - side),
    side,
  };
}

/** The pixels of `crop` as a new image (the crop must lie inside the photo). */
export function cropRgba(image: RgbaImage, crop: SquareCrop): RgbaImage {
  const { x0, y0, side } = crop;
  if (x0 < 0 || y0 < 0 || x0 + side > image.width || y0 + side > image.height)
    throw new Error('crop outside the image');
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    const from = ((y0 + y) * image.width + x0) * 4;
    data.set(image.data.subarray(from, from + side * 4), y * side * 4);
  }
  return { data, width: side, height: side };
}

/** The area two boxes share, in pixels (0 when they do not meet). */
export function intersection(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w <= 0 || h <= 0 ? 0 : w * h;
}

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: PixelBox, b: PixelBox): number {
  const inter = intersection(a, b);
  if (inter === 0) return 0;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** A square crop as a box. */
export const cropBox = (crop: SquareCrop): PixelBox => ({
  x: crop.x0,
  y: crop.y0,
  width: crop.side,
  height: crop.side,
});
