/** Scoring the candidate regions of the spot finder, and how sure it is of the best one. */
import { compactness, type Region } from './components';
import { median } from './median';

/** Score factor per image side a region touches: a spot is rarely cut by the frame, shadows are. */
const BORDER_FACTOR = 0.6;
/** Added to the robust deviation of the background contrast (ΔE): no spread is not infinite z. */
const Z_FLOOR = 0.5;

export interface Scored {
  readonly region: Region;
  readonly score: number;
  readonly compact: number;
}

/**
 * How clearly a region's contrast stands out, 0..1: by its size in ΔE (saturating ~10 above
 * minContrast), or, if larger, by how many robust deviations it lies above the rest of the
 * photo's contrast (saturating ~6 beyond 3). The second lets a faint spot on smooth skin count
 * (a spot shrunk into a photo taken from further away, where the skin's grain has averaged out),
 * but not the same ΔE among textured, freckled skin.
 */
export function strength(
  meanContrast: number,
  contrast: Float32Array,
  threshold: number,
  minContrast: number,
): number {
  const absolute = 1 - Math.exp(-(meanContrast - minContrast) / 10);
  const rest = contrast.filter((c) => c < threshold);
  if (rest.length === 0) return absolute;
  const centre = median(rest);
  const spread = 1.4826 * median(rest.map((c) => Math.abs(c - centre))) + Z_FLOOR;
  const z = (meanContrast - centre) / spread;
  return Math.max(absolute, 1 - Math.exp(-Math.max(0, z - 3) / 6));
}

/** Whether the region's bounding box contains the point (x, y) in cells. */
export function covers(r: Region, x: number, y: number): boolean {
  return r.minX <= x && x <= r.maxX && r.minY <= y && y <= r.maxY;
}

/**
 * Prominence (mean contrast x linear size) x sqrt(compactness) x nearness to the centre
 * (1 at the centre, 0.5 in a corner: people aim at the spot, but a lone spot in a corner
 * should still win over nothing) x BORDER_FACTOR per side touched.
 */
export function score(region: Region, width: number, height: number): Scored {
  const compact = compactness(region);
  const dx = (region.cx - (width - 1) / 2) / (width / 2);
  const dy = (region.cy - (height - 1) / 2) / (height / 2);
  const centre = 1 - 0.25 * (dx * dx + dy * dy);
  const value =
    region.meanContrast *
    Math.sqrt(region.area) *
    Math.sqrt(compact) *
    centre *
    BORDER_FACTOR ** region.sidesTouched;
  return { region, score: value, compact };
}
