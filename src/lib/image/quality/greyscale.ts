/** Whether a photo has no colour at all (a black-and-white picture). */

/** True when every pixel has R = G = B (within `tolerance`): a black-and-white photo. */
export function isGreyscale(rgb: Uint8Array, tolerance = 2): boolean {
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const r = rgb[i] as number;
    const g = rgb[i + 1] as number;
    const b = rgb[i + 2] as number;
    if (Math.abs(r - g) > tolerance || Math.abs(g - b) > tolerance) return false;
  }
  return true;
}
