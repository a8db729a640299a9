/**
 * Connected regions of the cells whose contrast reaches a threshold (8-connected, so a spot drawn
 * at any angle stays one region), with the sums a region's score and extent are computed from.
 */

/** One region, in cells of the small image. */
export interface Region {
  /** Number of cells. */
  readonly area: number;
  /** Mean and peak contrast (ΔE) over its cells. */
  readonly meanContrast: number;
  readonly peakContrast: number;
  /** Mean darkness (skin L* minus the cell's; negative: lighter than the skin). */
  readonly meanDarkness: number;
  /** Centroid. */
  readonly cx: number;
  readonly cy: number;
  /** Second central moments (cells^2): the spread the compactness is judged by. */
  readonly varX: number;
  readonly varY: number;
  readonly covXY: number;
  /** Inclusive bounding box. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** How many sides of the image (0..4) the region touches. */
  readonly sidesTouched: number;
}

/** Regions of cells with contrast >= threshold, in scan order of their first cell. */
export function regions(
  contrast: Float32Array,
  darkness: Float32Array,
  width: number,
  height: number,
  threshold: number,
): Region[] {
  const n = width * height;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const out: Region[] = [];
  for (let seed = 0; seed < n; seed++) {
    if (seen[seed] || (contrast[seed] as number) < threshold) continue;
    let top = 0;
    stack[top++] = seed;
    seen[seed] = 1;
    let area = 0;
    let sum = 0;
    let dark = 0;
    let peak = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    while (top > 0) {
      const i = stack[--top] as number;
      const x = i % width;
      const y = (i - x) / width;
      const c = contrast[i] as number;
      area++;
      sum += c;
      dark += darkness[i] as number;
      if (c > peak) peak = c;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (seen[j] || (contrast[j] as number) < threshold) continue;
          seen[j] = 1;
          stack[top++] = j;
        }
      }
    }
    const cx = sx / area;
    const cy = sy / area;
    const sidesTouched =
      Number(minX === 0) +
      Number(minY === 0) +
      Number(maxX === width - 1) +
      Number(maxY === height - 1);
    out.push({
      area,
      meanContrast: sum / area,
      meanDarkness: dark / area,
      peakContrast: peak,
      cx,
      cy,
      varX: sxx / area - cx * cx,
      varY: syy / area - cy * cy,
      covXY: sxy / area - cx * cy,
      minX,
      minY,
      maxX,
      maxY,
      sidesTouched,
    });
  }
  return out;
}

/**
 * Area over the area of the ellipse with the same second moments (4π·sqrt(det Σ) for a filled
 * ellipse): about 1 for a solid disc, ellipse or square at any angle, low for a ring of ink, a
 * hair or scattered speckle. Capped at 1; a region of one cell counts as compact.
 */
export function compactness(region: Region): number {
  // +1/12 per axis: a cell is a unit square, not a point, so tiny regions are not overrated.
  const vx = region.varX + 1 / 12;
  const vy = region.varY + 1 / 12;
  const det = Math.max(vx * vy - region.covXY * region.covXY, 1e-12);
  return Math.min(1, region.area / (4 * Math.PI * Math.sqrt(det)));
}
