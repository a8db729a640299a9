/**
 * Framings of one crop, for measuring whether an answer averaged over several framings holds its
 * risk band better than one view (spot-bands.ts, SPOT_BANDS_VIEWS). Not used by the app: on the
 * far-away copies it did not (docs/spot-fill.md).
 */
import {
  cropFits,
  preprocessRgba,
  toModelInput,
  type RgbaImage,
  type SquareCrop,
} from '../src/lib/image/preprocess';

/** Share of the side whose median colour fills what lies beyond the photo (as framing.py). */
const BORDER = 0.05;

/** The median R, G, B of the crop's outer ring (every k-th pixel of a big one). */
export function borderColour(image: RgbaImage, crop: SquareCrop): [number, number, number] {
  const { x0, y0, side } = crop;
  const band = Math.max(1, Math.floor(BORDER * side));
  const step = Math.max(1, Math.floor(side / 256));
  const channels: number[][] = [[], [], []];
  for (let y = 0; y < side; y += step) {
    for (let x = 0; x < side; x += step) {
      const inRing = x < band || y < band || x >= side - band || y >= side - band;
      if (!inRing) continue;
      const i = ((y0 + y) * image.width + (x0 + x)) * 4;
      for (let c = 0; c < 3; c++) channels[c]?.push(image.data[i + c] ?? 0);
    }
  }
  const median = (values: number[]): number => {
    const sorted = values.sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  return [median(channels[0] ?? []), median(channels[1] ?? []), median(channels[2] ?? [])];
}

/**
 * The crop framed `scale` times as wide about its centre (tighter below 1), at the model's input
 * size: the photo's own pixels wherever it has them, beyond its edge the crop's border colour.
 */
export function framedInput(
  image: RgbaImage,
  crop: SquareCrop,
  scale: number,
  size: number,
): Float32Array {
  const side = Math.max(1, Math.round(crop.side * scale));
  const x0 = Math.round(crop.x0 + (crop.side - side) / 2);
  const y0 = Math.round(crop.y0 + (crop.side - side) / 2);
  const framed = { x0, y0, side };
  if (cropFits(framed, image.width, image.height))
    return toModelInput(preprocessRgba(image, size, framed));
  const [r, g, b] = borderColour(image, crop);
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    const sy = y0 + y;
    for (let x = 0; x < side; x++) {
      const sx = x0 + x;
      const o = (y * side + x) * 4;
      if (sx >= 0 && sy >= 0 && sx < image.width && sy < image.height) {
        const i = (sy * image.width + sx) * 4;
        data[o] = image.data[i] ?? 0;
        data[o + 1] = image.data[i + 1] ?? 0;
        data[o + 2] = image.data[i + 2] ?? 0;
        data[o + 3] = image.data[i + 3] ?? 255;
      } else {
        data[o] = r;
        data[o + 1] = g;
        data[o + 2] = b;
        data[o + 3] = 255;
      }
    }
  }
  return toModelInput(preprocessRgba({ data, width: side, height: side }, size));
}
