/**
 * How much each cell of the small image stands out from the skin around it (skin.ts), then
 * smoothed so that grain and hairs fade and spots keep their contrast.
 */
import type { LabPlanes } from './lab';
import { contrastAt, scaledPositions, type SkinModel } from './skin';

/** Per-cell contrast against the skin model at that cell, in ΔE units. */
export function contrastMap(
  lab: LabPlanes,
  model: SkinModel,
  width: number,
  height: number,
): Float32Array {
  const us = scaledPositions(width);
  const ws = scaledPositions(height);
  const out = new Float32Array(lab.l.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out[y * width + x] = contrastAt(lab, y * width + x, model, us[x] as number, ws[y] as number);
    }
  }
  return out;
}

/** Per-cell darkness: the skin model's L* at that cell minus the cell's (negative: lighter). */
export function darknessMap(
  lab: LabPlanes,
  model: SkinModel,
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(lab.l.length);
  const us = scaledPositions(width);
  const ws = scaledPositions(height);
  const [c0, c1, c2] = model.l;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      out[i] = c0 + c1 * (us[x] as number) + c2 * (ws[y] as number) - (lab.l[i] as number);
    }
  }
  return out;
}

/**
 * Mean over a (2r+1)^2 box, edges clamped (the mean of the cells that exist), as two running-sum
 * passes: skin grain and thin hairs fade, a spot of a few cells keeps its contrast.
 */
export function boxBlur(
  values: Float32Array,
  width: number,
  height: number,
  r: number,
): Float32Array {
  const tmp = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  blurLines(values, tmp, height, width, width, 1, r);
  blurLines(tmp, out, width, height, 1, width, r);
  return out;
}

/** Box-blurs `lines` lines of `length` cells (line k starts at k * lineStep, cells `step` apart). */
function blurLines(
  src: Float32Array,
  dst: Float32Array,
  lines: number,
  length: number,
  lineStep: number,
  step: number,
  r: number,
): void {
  for (let k = 0; k < lines; k++) {
    const base = k * lineStep;
    let sum = 0;
    let lo = 0;
    let hi = -1;
    for (let i = 0; i < length; i++) {
      const wantHi = Math.min(length - 1, i + r);
      const wantLo = Math.max(0, i - r);
      while (hi < wantHi) sum += src[base + ++hi * step] as number;
      while (lo < wantLo) sum -= src[base + lo++ * step] as number;
      dst[base + i * step] = sum / (hi - lo + 1);
    }
  }
}
