/** Exposure: how bright the photo is on average, and how much of it is blown out to white. */

/** Luminance at or above this counts as clipped (blown out): detail there is gone. */
export const CLIP_LEVEL = 250;

export function meanLuminance(lum: Float64Array): number {
  let sum = 0;
  for (const v of lum) sum += v;
  return lum.length ? sum / lum.length : 0;
}

/** Fraction of pixels whose luminance is >= CLIP_LEVEL. */
export function clippedFraction(lum: Float64Array): number {
  let n = 0;
  for (const v of lum) if (v >= CLIP_LEVEL) n++;
  return lum.length ? n / lum.length : 0;
}
