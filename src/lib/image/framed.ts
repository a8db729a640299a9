/**
 * Framings of one crop: the same spot framed tighter or wider, at the model's input size. The app
 * predicts the accepted crop at two of them as well (scan/steadiness.ts): where the risk band then
 * rises, the result says the answer is not settled. spot:bands measures with the same
 * code (and can average over framings: SPOT_BANDS_VIEWS).
 */
import {
  cropFits,
  preprocessRgba,
  toModelInput,
  type RgbaImage,
  type SquareCrop,
} from './preprocess';

/** Share of the side whose median colour fills what lies beyond the photo (as framing.py). */
const BORDER = 0.05;

/**
 * A framing that crosses the photo's edge is first averaged over k x k blocks down to at most this
 * many times the model's side, so a wide framing of a 16 MP photo never needs a full copy.
 */
const PRE_SHRINK = 4;

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
 * The crop framed `scale` times as wide about its centre (tighter below 1), at `size` x `size`,
 * uint8 RGB: the photo's own pixels wherever it has them, beyond its edge the crop's border colour.
 * Inside the photo it is preprocessRgba of the framed square exactly (the view at 1 is the app's
 * own input).
 */
export function framedRgb(
  image: RgbaImage,
  crop: SquareCrop,
  scale: number,
  size: number,
): Uint8Array {
  const side = Math.max(1, Math.round(crop.side * scale));
  const x0 = Math.round(crop.x0 + (crop.side - side) / 2);
  const y0 = Math.round(crop.y0 + (crop.side - side) / 2);
  const framed = { x0, y0, side };
  if (cropFits(framed, image.width, image.height)) return preprocessRgba(image, size, framed);
  const fill = [...borderColour(image, crop), 255];
  // Mean of k x k blocks (the last row and column of blocks may be narrower), then the area resize.
  const k = Math.max(1, Math.floor(side / (PRE_SHRINK * size)));
  const small = Math.ceil(side / k);
  const data = new Uint8ClampedArray(small * small * 4);
  const sum = [0, 0, 0, 0];
  for (let by = 0; by < small; by++) {
    for (let bx = 0; bx < small; bx++) {
      sum.fill(0);
      let n = 0;
      for (let y = by * k; y < Math.min(side, (by + 1) * k); y++) {
        const sy = y0 + y;
        for (let x = bx * k; x < Math.min(side, (bx + 1) * k); x++) {
          const sx = x0 + x;
          const inside = sx >= 0 && sy >= 0 && sx < image.width && sy < image.height;
          const i = (sy * image.width + sx) * 4;
          for (let c = 0; c < 4; c++) {
            sum[c] = (sum[c] as number) + (inside ? (image.data[i + c] ?? 0) : (fill[c] as number));
          }
          n++;
        }
      }
      const o = (by * small + bx) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round((sum[c] as number) / n);
    }
  }
  return preprocessRgba({ data, width: small, height: small }, size);
}

/** framedRgb as the network's float32 input. */
export function framedInput(
  image: RgbaImage,
  crop: SquareCrop,
  scale: number,
  size: number,
): Float32Array {
  return toModelInput(framedRgb(image, crop, scale, size));
}
