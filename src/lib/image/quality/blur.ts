/** Sharpness: variance of the Laplacian of luminance (low = blurred). */

/**
 * Variance of the 4-neighbour Laplacian (0 1 0 / 1 -4 1 / 0 1 0) over the interior pixels of a
 * size x size luminance image. Blur removes the fine detail the Laplacian responds to, so the
 * variance drops; it also scales with contrast squared, so it is only read on a well-exposed
 * image (see gate.ts).
 */
export function laplacianVariance(lum: Float64Array, size: number): number {
  if (size < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      const v =
        (lum[i - size] as number) +
        (lum[i + size] as number) +
        (lum[i - 1] as number) +
        (lum[i + 1] as number) -
        4 * (lum[i] as number);
      sum += v;
      sumSq += v * v;
    }
  }
  const n = (size - 2) * (size - 2);
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
