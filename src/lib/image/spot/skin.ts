/**
 * The skin colour of a photo, as a plane per CIELAB channel fitted on its border, and a cell's
 * contrast against it: the CIELAB distance, lighter-than-skin differences at half weight.
 */
import { otsuThreshold } from '../quality/coverage';
import type { LabPlanes } from './lab';
import { median } from './median';

/** A colour in CIELAB. */
export interface Lab {
  readonly l: number;
  readonly a: number;
  readonly b: number;
}

/**
 * The skin as a plane per CIELAB channel, v = c0 + c1 * u + c2 * w, with u, w the cell's position
 * scaled to -1..1 (so c0 is the colour at the centre). A phone photo's light falls off across
 * it; against a single skin colour its darker half would "stand out".
 */
export interface SkinModel {
  /** [c0, c1, c2] for L*, a*, b*. */
  readonly l: readonly [number, number, number];
  readonly a: readonly [number, number, number];
  readonly b: readonly [number, number, number];
}

/** Width of the border band the skin is fitted on, as a fraction of the short side. */
export const BORDER_BAND = 0.12;
/**
 * Cells darker than this L* are not skin (a dermatoscope's black corners, deep shadow) and are
 * left out of the skin fit; the darkest skin types sit around L* 25-35.
 */
const MIN_SKIN_L = 15;
/**
 * Lesions are darker, redder or bluer than the skin around them; lighter patches are more often
 * glare, scars or a bright background, so they count at half weight.
 */
export const LIGHTER_WEIGHT = 0.5;
/** Refitting rounds of the robust fit: the spot's cells drop out after the first. */
const FIT_ROUNDS = 3;
/** A band cell further than this many robust standard deviations from the fit is not skin. */
const OUTLIER_SDS = 2.5;

/** The model's colour at the image centre. */
export const centreColour = (m: SkinModel): Lab => ({ l: m.l[0], a: m.a[0], b: m.b[0] });

/**
 * A band whose L* splits (Otsu) into two groups this far apart is skin and something darker: a
 * spot filling most of a close-up, a dark background, deep shade. Skin noise and gentle shading
 * split into groups a few units apart.
 */
const SPLIT_DL = 12;
/** ...provided the lighter group is at least this share of the band. */
const SPLIT_MIN_SHARE = 0.1;

/**
 * Fits the skin on a band along the border only: a close-up's spot usually fills the middle, its
 * border is mostly skin; in a photo taken from further away both are skin. Robustly: start from
 * the per-channel median of the band (of its lighter part, if it clearly splits in two: lesions
 * are darker than the skin around them, so a spot reaching round most of the border cannot pass
 * for skin), a constant that cannot be tilted; then refit planes by least squares on the band
 * cells within OUTLIER_SDS robust deviations of the previous fit, the deviation measured over the
 * cells taken as skin the round before, so that it stays the skin's own.
 */
export function fitSkin(lab: LabPlanes, width: number, height: number): SkinModel {
  const cells = bandCells(lab, width, height);
  let skin = lighterPart(lab, cells);
  const values = new Float32Array(cells.length);
  const pick = (plane: Float32Array): number => {
    for (let k = 0; k < skin.length; k++) values[k] = plane[skin[k] as number] as number;
    return median(values.subarray(0, skin.length));
  };
  let model: SkinModel = { l: [pick(lab.l), 0, 0], a: [pick(lab.a), 0, 0], b: [pick(lab.b), 0, 0] };
  const us = scaledPositions(width);
  const ws = scaledPositions(height);
  const residual = new Float32Array(cells.length);
  const isSkin = new Uint8Array(lab.l.length);
  for (let round = 0; round < FIT_ROUNDS; round++) {
    isSkin.fill(0);
    for (const i of skin) isSkin[i] = 1;
    let n = 0;
    for (let k = 0; k < cells.length; k++) {
      const i = cells[k] as number;
      const x = i % width;
      const r = contrastAt(lab, i, model, us[x] as number, ws[(i - x) / width] as number);
      residual[k] = r;
      if (isSkin[i]) values[n++] = r;
    }
    const limit = OUTLIER_SDS * Math.max(1, 1.4826 * median(values.subarray(0, n)));
    const kept = cells.filter((_, k) => (residual[k] as number) <= limit);
    const fitted = fitPlanes(lab, kept, width, us, ws);
    if (!fitted) break;
    model = fitted;
    skin = kept;
  }
  return model;
}

/** The band cells lighter than its Otsu split on L*, if the band clearly splits; else all. */
function lighterPart(lab: LabPlanes, cells: Int32Array): Int32Array {
  // otsuThreshold bins 0..255: L* x 2.55 keeps its resolution at ~0.4 units.
  const t =
    (otsuThreshold(Float32Array.from(cells, (i) => (lab.l[i] as number) * 2.55)) + 0.5) / 2.55;
  let nLight = 0;
  let sumLight = 0;
  let sumDark = 0;
  for (const i of cells) {
    const l = lab.l[i] as number;
    if (l > t) {
      nLight++;
      sumLight += l;
    } else sumDark += l;
  }
  const nDark = cells.length - nLight;
  if (nLight < SPLIT_MIN_SHARE * cells.length || nDark === 0) return cells;
  if (sumLight / nLight - sumDark / nDark < SPLIT_DL) return cells;
  return cells.filter((i) => (lab.l[i] as number) > t);
}

/** Indices of the border band's cells that may be skin (all of them if nearly none may). */
function bandCells(lab: LabPlanes, width: number, height: number): Int32Array {
  const band = Math.max(1, Math.round(BORDER_BAND * Math.min(width, height)));
  const all: number[] = [];
  const usable: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= band && x < width - band && y >= band && y < height - band) continue;
      const i = y * width + x;
      all.push(i);
      if ((lab.l[i] as number) >= MIN_SKIN_L) usable.push(i);
    }
  }
  // A band that is nearly all dark (a very dark photo) is still the best guess there is.
  return Int32Array.from(usable.length >= all.length / 4 ? usable : all);
}

/** Positions 0..n-1 scaled to -1..1 (0 when n = 1): the planes' coordinates. */
export function scaledPositions(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (n > 1 ? (2 * i) / (n - 1) - 1 : 0));
}

/** Least-squares planes through the cells (null when they do not span a plane). */
function fitPlanes(
  lab: LabPlanes,
  cells: Int32Array,
  width: number,
  us: Float64Array,
  ws: Float64Array,
): SkinModel | null {
  // Normal equations (A^T A) c = A^T v with rows [1, u, w]; one matrix serves all three channels.
  let n = 0;
  let su = 0;
  let sw = 0;
  let suu = 0;
  let suw = 0;
  let sww = 0;
  const rhs = new Float64Array(9); // [channel * 3 + term]
  const planes = [lab.l, lab.a, lab.b];
  for (const i of cells) {
    const x = i % width;
    const u = us[x] as number;
    const w = ws[(i - x) / width] as number;
    n++;
    su += u;
    sw += w;
    suu += u * u;
    suw += u * w;
    sww += w * w;
    for (let k = 0; k < 3; k++) {
      const v = (planes[k] as Float32Array)[i] as number;
      rhs[k * 3] = (rhs[k * 3] as number) + v;
      rhs[k * 3 + 1] = (rhs[k * 3 + 1] as number) + u * v;
      rhs[k * 3 + 2] = (rhs[k * 3 + 2] as number) + w * v;
    }
  }
  const m = Float64Array.of(n, su, sw, su, suu, suw, sw, suw, sww);
  const l = solve3(m, rhs.subarray(0, 3));
  const a = solve3(m, rhs.subarray(3, 6));
  const b = solve3(m, rhs.subarray(6, 9));
  return l && a && b ? { l, a, b } : null;
}

/** Solves the 3x3 system m x = v by Cramer's rule (null when nearly singular). */
function solve3(m: Float64Array, v: Float64Array): [number, number, number] | null {
  const [a, b, c, d, e, f, g, h, k] = Array.from(m) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [p, q, r] = Array.from(v) as [number, number, number];
  const det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
  // Cells along one line only (a one-pixel-high photo) leave a plane undetermined.
  if (Math.abs(det) < 1e-9 * Math.max(1, a) ** 3) return null;
  return [
    (p * (e * k - f * h) - b * (q * k - f * r) + c * (q * h - e * r)) / det,
    (a * (q * k - f * r) - p * (d * k - f * g) + c * (d * r - q * g)) / det,
    (a * (e * r - q * h) - b * (d * r - q * g) + p * (d * h - e * g)) / det,
  ];
}

/**
 * Contrast of cell i against the skin model at scaled position (u, w): ΔE (CIE76), with
 * lighter-than-skin differences weighted down. No temporaries: it runs for every cell.
 */
export function contrastAt(lab: LabPlanes, i: number, m: SkinModel, u: number, w: number): number {
  const dl = m.l[0] + m.l[1] * u + m.l[2] * w - (lab.l[i] as number);
  const dLum = dl >= 0 ? dl : -LIGHTER_WEIGHT * dl;
  const da = (lab.a[i] as number) - (m.a[0] + m.a[1] * u + m.a[2] * w);
  const db = (lab.b[i] as number) - (m.b[0] + m.b[1] * u + m.b[2] * w);
  return Math.sqrt(dLum * dLum + da * da + db * db);
}
