/**
 * Synthetic "taken from further away" copies of a close-up, for measuring the spot finder: the
 * close-up shrunk and pasted off-centre into a large frame of skin of its own colour, with gentle
 * shading and grain, so that we know exactly where the spot went.
 */
import type { RgbaImage } from '../preprocess';
import type { PixelBox } from './crop';
import { resize } from './resize';

export interface FarCopyOptions {
  /** Frame size in pixels (e.g. 1200 x 1600, a phone photo). */
  readonly width: number;
  readonly height: number;
  /** The close-up's long side in the frame, pixels. */
  readonly side: number;
  /** Where the close-up's centre goes, frame pixels (moved inwards if it would stick out). */
  readonly centre: { readonly x: number; readonly y: number };
  /** Seed of the shading and grain (same seed, same frame). */
  readonly seed?: number;
  /**
   * What is kept of the close-up round its spot (default 'faded'):
   * - 'faded': only the inscribed ellipse, the rest faded into the plain frame (a hard case:
   *   about half the close-up's centre square becomes synthetic skin);
   * - 'kept': the whole rectangle, feathered at its outer 5% only, as a photo taken from further
   *   away keeps the skin round the spot; the ellipse still where the close-up's border is dark
   *   (a dermatoscope's corners, a dark background), which a frame of skin would cut off.
   */
  readonly surround?: 'faded' | 'kept';
}

export interface FarCopy {
  readonly image: {
    readonly data: Uint8ClampedArray;
    readonly width: number;
    readonly height: number;
  };
  /** Where the close-up went. */
  readonly rect: PixelBox;
  /** Its centre square: the part of the close-up the model saw in training (centre crop). */
  readonly square: PixelBox;
  /** How the close-up was blended in: the ellipse, or its whole rectangle. */
  readonly mask: 'ellipse' | 'rectangle';
}

/** Share of the close-up's short side its border band is, for the skin colour. */
const BORDER = 0.08;
/**
 * The pasted close-up is opaque inside the inscribed ellipse scaled by FEATHER_START and fades
 * out towards the ellipse: no seam, and a dermatoscope's dark corners are left out.
 */
const FEATHER_START = 0.8;
/** A kept surround is opaque inside this share of the half-sizes (max-norm) and fades outside. */
const RECT_FEATHER_START = 0.9;
/** Near-black (luma < 40) share of the border band above which a kept surround uses the ellipse. */
export const DARK_BORDER_LIMIT = 0.02;
/** Shading: a linear light fall-off of up to ±SLOPE and blotches of ±BLOTCH, as gains. */
const SLOPE = 0.06;
const BLOTCH = 0.025;
/** Grain: uniform ±GRAIN levels per channel-independent pixel. */
const GRAIN = 4;

/** Copy of `closeUp` shrunk to `options.side` and pasted into a skin-coloured frame. */
export function farCopy(closeUp: RgbaImage, options: FarCopyOptions): FarCopy {
  const { width, height, seed = 1 } = options;
  const k = options.side / Math.max(closeUp.width, closeUp.height);
  const rw = Math.max(1, Math.min(width, Math.round(closeUp.width * k)));
  const rh = Math.max(1, Math.min(height, Math.round(closeUp.height * k)));
  const x0 = clamp(Math.round(options.centre.x - rw / 2), 0, width - rw);
  const y0 = clamp(Math.round(options.centre.y - rh / 2), 0, height - rh);
  const small = resize(closeUp, rw, rh);
  const data = skinFrame(width, height, borderColour(closeUp), seed);
  const mask =
    options.surround === 'kept' && darkBorderShare(closeUp) <= DARK_BORDER_LIMIT
      ? 'rectangle'
      : 'ellipse';
  paste(data, width, small, rw, rh, x0, y0, mask);
  const s = Math.min(rw, rh);
  return {
    image: { data, width, height },
    rect: { x: x0, y: y0, width: rw, height: rh },
    square: {
      x: x0 + Math.floor((rw - s) / 2),
      y: y0 + Math.floor((rh - s) / 2),
      width: s,
      height: s,
    },
    mask,
  };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/** Calls `visit` with the RGB of every pixel of the close-up's border band (BORDER). */
function forEachBorderPixel(
  image: RgbaImage,
  visit: (r: number, g: number, b: number) => void,
): void {
  const { width, height, data } = image;
  const band = Math.max(1, Math.round(BORDER * Math.min(width, height)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= band && x < width - band && y >= band && y < height - band) continue;
      const o = (y * width + x) * 4;
      visit(data[o] as number, data[o + 1] as number, data[o + 2] as number);
    }
  }
}

const isNearBlack = (r: number, g: number, b: number): boolean =>
  0.299 * r + 0.587 * g + 0.114 * b < 40;

/** Share of the border band that is near-black: a dermatoscope's corners, a dark background. */
export function darkBorderShare(image: RgbaImage): number {
  let dark = 0;
  let total = 0;
  forEachBorderPixel(image, (r, g, b) => {
    total++;
    if (isNearBlack(r, g, b)) dark++;
  });
  return total === 0 ? 0 : dark / total;
}

/**
 * The skin colour of a close-up: per-channel median of its border band, leaving out near-black
 * pixels (a dermatoscope's corners) unless that is nearly all there is.
 */
export function borderColour(image: RgbaImage): [number, number, number] {
  // Histograms per channel (c * 256 + value), of the lighter and of the near-black pixels.
  const light = new Uint32Array(768);
  const dark = new Uint32Array(768);
  let lightCount = 0;
  let total = 0;
  forEachBorderPixel(image, (r, g, b) => {
    const isDark = isNearBlack(r, g, b);
    const into = isDark ? dark : light;
    into[r] = (into[r] as number) + 1;
    into[256 + g] = (into[256 + g] as number) + 1;
    into[512 + b] = (into[512 + b] as number) + 1;
    total++;
    if (!isDark) lightCount++;
  });
  const use = lightCount >= total / 4 ? light : light.map((v, i) => v + (dark[i] as number));
  return [0, 1, 2].map((c) => histMedian(use.subarray(c * 256, c * 256 + 256))) as [
    number,
    number,
    number,
  ];
}

/** The median of the values a 256-bin histogram counts. */
function histMedian(hist: Uint32Array): number {
  let n = 0;
  for (const v of hist) n += v;
  let seen = 0;
  for (let i = 0; i < 256; i++) {
    seen += hist[i] as number;
    if (seen * 2 >= n) return i;
  }
  return 255;
}

/** A stateless hash of (x, y, seed) to [0, 1): grain needs no generator threaded through loops. */
export function hash01(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(seed, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** A frame of `colour` with a linear light fall-off, soft blotches and per-pixel grain. */
function skinFrame(
  width: number,
  height: number,
  colour: [number, number, number],
  seed: number,
): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  const angle = hash01(1, 2, seed) * 2 * Math.PI;
  const gx = Math.cos(angle);
  const gy = Math.sin(angle);
  // Blotches: bilinear interpolation of random values on a coarse lattice (cells of ~1/6 frame).
  const cell = Math.max(width, height) / 6;
  const lattice = (i: number, j: number): number => hash01(i + 101, j + 211, seed) * 2 - 1;
  for (let y = 0; y < height; y++) {
    const v = (2 * y) / Math.max(1, height - 1) - 1;
    const ly = y / cell;
    const j = Math.floor(ly);
    const fy = ly - j;
    for (let x = 0; x < width; x++) {
      const u = (2 * x) / Math.max(1, width - 1) - 1;
      const lx = x / cell;
      const i = Math.floor(lx);
      const fx = lx - i;
      const blotch =
        (lattice(i, j) * (1 - fx) + lattice(i + 1, j) * fx) * (1 - fy) +
        (lattice(i, j + 1) * (1 - fx) + lattice(i + 1, j + 1) * fx) * fy;
      const gain = 1 + (SLOPE * (gx * u + gy * v)) / Math.SQRT2 + BLOTCH * blotch;
      const grain = (hash01(x, y, seed) * 2 - 1) * GRAIN;
      const o = (y * width + x) * 4;
      data[o] = colour[0] * gain + grain;
      data[o + 1] = colour[1] * gain + grain;
      data[o + 2] = colour[2] * gain + grain;
      data[o + 3] = 255;
    }
  }
  return data;
}

/** Blends the resized close-up into the frame at (x0, y0) through the feathered mask. */
function paste(
  frame: Uint8ClampedArray,
  width: number,
  small: Float32Array,
  rw: number,
  rh: number,
  x0: number,
  y0: number,
  mask: 'ellipse' | 'rectangle',
): void {
  const start = mask === 'ellipse' ? FEATHER_START : RECT_FEATHER_START;
  for (let y = 0; y < rh; y++) {
    const v = (2 * (y + 0.5)) / rh - 1;
    for (let x = 0; x < rw; x++) {
      const u = (2 * (x + 0.5)) / rw - 1;
      // The ellipse's radius, or the rectangle's max-norm: 1 on the mask's edge.
      const r = mask === 'ellipse' ? Math.sqrt(u * u + v * v) : Math.max(Math.abs(u), Math.abs(v));
      const t = clamp((1 - r) / (1 - start), 0, 1);
      const alpha = t * t * (3 - 2 * t); // smoothstep
      if (alpha === 0) continue;
      const o = ((y0 + y) * width + x0 + x) * 4;
      const s = (y * rw + x) * 3;
      for (let c = 0; c < 3; c++)
        frame[o + c] = alpha * (small[s + c] as number) + (1 - alpha) * (frame[o + c] as number);
    }
  }
}
