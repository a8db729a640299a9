/** Luminance of uint8 RGB pixels (Rec. 601 weights, as JPEG and PIL's "L" mode use). */
export function luminance(rgb: Uint8Array): Float64Array {
  const out = new Float64Array(Math.floor(rgb.length / 3));
  for (let i = 0; i < out.length; i++) {
    out[i] =
      0.299 * (rgb[i * 3] as number) +
      0.587 * (rgb[i * 3 + 1] as number) +
      0.114 * (rgb[i * 3 + 2] as number);
  }
  return out;
}
