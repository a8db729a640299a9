/**
 * Lesion coverage: the fraction of the (square) frame taken by the dark region at the centre.
 * Otsu's threshold splits luminance into darker (lesion) and lighter (skin) pixels; the
 * largest dark region reaching the centre is the spot. A spot that fills little of the frame
 * means the camera was too far away.
 */

/** Otsu's threshold on 0..255 values: the level that maximises between-class variance. */
export function otsuThreshold(values: ArrayLike<number>): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(0, Math.min(255, Math.round(values[i] as number)));
    hist[v] = (hist[v] as number) + 1;
  }
  const total = values.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * (hist[t] as number);
  let best = 0;
  let bestVar = -1;
  let wB = 0;
  let sumB = 0;
  for (let t = 0; t < 256; t++) {
    wB += hist[t] as number;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * (hist[t] as number);
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/**
 * The Otsu threshold is taken over the inscribed disc only: dermoscopes and phone vignetting
 * darken the corners, which would otherwise pull the split towards black.
 */
function discValues(lum: Float64Array, size: number): number[] {
  const c = (size - 1) / 2;
  const r2 = (size / 2) ** 2;
  const out: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x - c) ** 2 + (y - c) ** 2 <= r2) out.push(lum[y * size + x] as number);
    }
  }
  return out;
}

/** Mean over a (2r+1)^2 box, edges clamped: hair and skin grain no longer split the spot. */
export function boxSmooth(lum: Float64Array, size: number, r = 2): Float64Array {
  const out = new Float64Array(lum.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -r; dy <= r; dy++) {
        const sy = y + dy;
        if (sy < 0 || sy >= size) continue;
        for (let dx = -r; dx <= r; dx++) {
          const sx = x + dx;
          if (sx < 0 || sx >= size) continue;
          sum += lum[sy * size + sx] as number;
          n++;
        }
      }
      out[y * size + x] = sum / n;
    }
  }
  return out;
}

/**
 * Size of the 4-connected component of `mask` that contains `seed` (iterative flood fill);
 * marks its pixels in `seen`, so a caller can label several components with one array.
 */
export function componentSize(
  mask: Uint8Array,
  size: number,
  seed: number,
  seen = new Uint8Array(mask.length),
): number {
  if (seed < 0 || mask[seed] !== 1 || seen[seed] === 1) return 0;
  const stack = [seed];
  seen[seed] = 1;
  let count = 0;
  while (stack.length) {
    const i = stack.pop() as number;
    count++;
    const x = i % size;
    const neighbours = [
      x > 0 ? i - 1 : -1,
      x < size - 1 ? i + 1 : -1,
      i >= size ? i - size : -1,
      i < mask.length - size ? i + size : -1,
    ];
    for (const j of neighbours) {
      if (j >= 0 && mask[j] === 1 && seen[j] === 0) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  return count;
}

/**
 * Fraction (0..1) of the size x size frame covered by the lesion: the largest dark region (4-
 * connected, after smoothing) that reaches into the central disc of radius size / 4. Dark
 * regions elsewhere (vignetted corners, a hair at the edge) are not the spot being checked.
 */
export function lesionCoverage(lum: Float64Array, size: number): number {
  const smooth = boxSmooth(lum, size);
  const threshold = otsuThreshold(discValues(smooth, size));
  const mask = new Uint8Array(size * size);
  for (let i = 0; i < mask.length; i++) mask[i] = (smooth[i] as number) <= threshold ? 1 : 0;
  const seen = new Uint8Array(mask.length);
  const c = (size - 1) / 2;
  const r2 = (size / 4) ** 2;
  let best = 0;
  for (let i = 0; i < mask.length; i++) {
    if ((i % size) - c > size / 4 || ((i % size) - c) ** 2 + (Math.floor(i / size) - c) ** 2 > r2)
      continue;
    best = Math.max(best, componentSize(mask, size, i, seen));
  }
  return best / (size * size);
}
