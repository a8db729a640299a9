/**
 * sRGB -> CIELAB (D65), so that "how different from the skin" is a perceptual distance: equal
 * steps of ΔE look about equally different whether the skin is light or dark, which a distance
 * in raw RGB is not (dark skin's differences are compressed by the sRGB curve).
 */

/** L*, a*, b* planes of a small image (one float per cell each). */
export interface LabPlanes {
  readonly l: Float32Array;
  readonly a: Float32Array;
  readonly b: Float32Array;
}

/** sRGB value (0..255) -> linear light (0..1), the IEC 61966-2-1 curve. */
export function linear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** linear() at quarter steps of 0..255, interpolated: a pow per channel and cell cost ~10 ms. */
const LUT_STEPS = 4;
const LUT = Float64Array.from({ length: 255 * LUT_STEPS + 2 }, (_, i) =>
  linear(Math.min(255, i / LUT_STEPS)),
);

function linearFast(v: number): number {
  const p = Math.min(Math.max(v, 0), 255) * LUT_STEPS;
  const i = Math.floor(p);
  const lo = LUT[i] as number;
  return lo + ((LUT[i + 1] as number) - lo) * (p - i);
}

/** The CIELAB companding function f(t). */
function f(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116;
}

/** CIELAB of a linear RGB colour, written into the planes at index i. */
function labInto(lr: number, lg: number, lb: number, out: LabPlanes, i: number): void {
  // XYZ relative to the D65 white (Xn = 0.95047, Zn = 1.08883).
  const fx = f((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047);
  const fy = f(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const fz = f((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883);
  out.l[i] = 116 * fy - 16;
  out.a[i] = 500 * (fx - fy);
  out.b[i] = 200 * (fy - fz);
}

/** One sRGB colour (0..255 each) -> [L*, a*, b*], exact (no table). */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const out = { l: new Float32Array(1), a: new Float32Array(1), b: new Float32Array(1) };
  labInto(linear(r), linear(g), linear(b), out, 0);
  return [out.l[0] as number, out.a[0] as number, out.b[0] as number];
}

/** Interleaved sRGB floats (r, g, b per cell) -> L*, a*, b* planes. */
export function rgbToLab(rgb: Float32Array): LabPlanes {
  const n = Math.floor(rgb.length / 3);
  const out = { l: new Float32Array(n), a: new Float32Array(n), b: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    const r = linearFast(rgb[o] as number);
    const g = linearFast(rgb[o + 1] as number);
    labInto(r, g, linearFast(rgb[o + 2] as number), out, i);
  }
  return out;
}
