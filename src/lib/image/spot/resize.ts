/** Resizing a photo to RGB floats, for the synthetic far-away copies (far.ts). */
import { areaWeights, type AxisTap, type RgbaImage } from '../preprocess';

/**
 * `image` resized to rw x rh as RGB floats: exact area averaging when shrinking (preprocess.ts's
 * weights, what a camera's larger pixels would do), bilinear when enlarging (a 200 x 150
 * HAM10000 image in a 1600-pixel frame), where area weights would give blocky nearest pixels.
 */
export function resize(image: RgbaImage, rw: number, rh: number): Float32Array {
  const xs = axis(image.width, rw);
  const ys = axis(image.height, rh);
  const rows = new Float32Array(rh * image.width * 3);
  for (let y = 0; y < rh; y++) {
    const tap = ys[y] as AxisTap;
    tap.weights.forEach((w, k) => {
      const from = (tap.start + k) * image.width * 4;
      for (let x = 0; x < image.width; x++) {
        for (let c = 0; c < 3; c++) {
          const o = (y * image.width + x) * 3 + c;
          rows[o] = (rows[o] as number) + w * (image.data[from + x * 4 + c] as number);
        }
      }
    });
  }
  const out = new Float32Array(rw * rh * 3);
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const tap = xs[x] as AxisTap;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        tap.weights.forEach((w, k) => {
          sum += w * (rows[(y * image.width + tap.start + k) * 3 + c] as number);
        });
        out[(y * rw + x) * 3 + c] = sum;
      }
    }
  }
  return out;
}

/** Taps along one axis: area weights when shrinking, bilinear (pixel centres aligned) otherwise. */
function axis(source: number, target: number): AxisTap[] {
  if (target <= source) return areaWeights(source, target);
  const taps: AxisTap[] = [];
  for (let i = 0; i < target; i++) {
    const p = Math.min(Math.max(((i + 0.5) * source) / target - 0.5, 0), source - 1);
    const start = Math.min(Math.floor(p), Math.max(0, source - 2));
    const f = p - start;
    taps.push({ start, weights: source > 1 ? Float64Array.of(1 - f, f) : Float64Array.of(1) });
  }
  return taps;
}
