/**
 * Synthetic degradations of a photo (straight RGBA, any size), used to choose and test the
 * quality thresholds: what shake or misfocus, poor light, a flash and too much distance do.
 */
import { otsuThreshold } from '../../src/lib/image/quality/coverage';
import type { RgbaImage } from '../../src/lib/image/preprocess';

export interface Rgba {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** Mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function copy(image: RgbaImage): Rgba {
  return { data: Uint8ClampedArray.from(image.data), width: image.width, height: image.height };
}

/** Maps every colour channel through `f` (alpha kept); Uint8ClampedArray rounds and clips. */
function mapChannels(image: RgbaImage, f: (v: number) => number): Rgba {
  const out = copy(image);
  for (let i = 0; i < out.data.length; i++) {
    if (i % 4 !== 3) out.data[i] = f(out.data[i] as number);
  }
  return out;
}

/** Multiplies every channel by `gain`, clipped to 255 (gain < 1: dark, > 1: blown out). */
export const scaled = (image: RgbaImage, gain: number): Rgba => mapChannels(image, (v) => v * gain);

/** 255 * (v / 255) ** gamma: gamma > 1 darkens the mid-tones (under-exposure). */
export const gammaCurve = (image: RgbaImage, gamma: number): Rgba =>
  mapChannels(image, (v) => 255 * (v / 255) ** gamma);

/** Separable Gaussian blur with standard deviation `sigma` pixels, edges clamped. */
export function gaussianBlur(image: RgbaImage, sigma: number): Rgba {
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const norm = kernel.reduce((a, b) => a + b, 0);
  const { width, height } = image;
  const pass = (src: ArrayLike<number>, horizontal: boolean): Float64Array => {
    const dst = new Float64Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 4; c++) {
          let acc = 0;
          for (let k = -radius; k <= radius; k++) {
            const sx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x;
            const sy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k));
            acc += (kernel[k + radius] as number) * (src[(sy * width + sx) * 4 + c] as number);
          }
          dst[(y * width + x) * 4 + c] = acc / norm;
        }
      }
    }
    return dst;
  };
  const blurred = pass(pass(image.data, true), false);
  return { data: Uint8ClampedArray.from(blurred, Math.round), width, height };
}

/**
 * The photo's skin colour: per-channel median of the pixels on the light side of Otsu's split
 * of luminance (the lesion is the dark side), leaving out the dermoscope's black vignette.
 */
export function skinColour(image: RgbaImage): [number, number, number] {
  const { width, height, data } = image;
  const lum = new Float64Array(width * height);
  for (let i = 0; i < lum.length; i++)
    lum[i] =
      0.299 * (data[i * 4] as number) +
      0.587 * (data[i * 4 + 1] as number) +
      0.114 * (data[i * 4 + 2] as number);
  const split = Math.max(otsuThreshold(lum), 60);
  const channels: number[][] = [[], [], []];
  for (let i = 0; i < lum.length; i++) {
    if ((lum[i] as number) <= split) continue;
    for (let c = 0; c < 3; c++) channels[c]?.push(data[i * 4 + c] as number);
  }
  const median = (v: number[]): number => v.sort((a, b) => a - b)[v.length >> 1] ?? 128;
  return [median(channels[0] ?? []), median(channels[1] ?? []), median(channels[2] ?? [])];
}

/**
 * "Too far": the photo shrunk `factor` times (box average) onto a canvas of its own size filled
 * with its own skin colour plus Gaussian noise (sd `noise`), so the spot covers ~1/factor^2
 * of what it did.
 */
export function tooFar(image: RgbaImage, factor: number, seed: number, noise = 3): Rgba {
  const { width, height, data } = image;
  const rand = prng(seed);
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * noise;
  const skin = skinColour(image);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = (skin[c] as number) + gauss();
    out[i * 4 + 3] = 255;
  }
  const w = Math.round(width / factor);
  const h = Math.round(height / factor);
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * height) / h);
    const y1 = Math.floor(((y + 1) * height) / h);
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * width) / w);
      const x1 = Math.floor(((x + 1) * width) / w);
      const acc = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++)
          for (let c = 0; c < 4; c++)
            acc[c] = (acc[c] as number) + (data[(sy * width + sx) * 4 + c] as number);
      const n = (y1 - y0) * (x1 - x0);
      const o = ((oy + y) * width + ox + x) * 4;
      for (let c = 0; c < 4; c++) out[o + c] = (acc[c] as number) / n;
    }
  }
  return { data: out, width, height };
}

/** The degraded copies the thresholds are chosen against, by name. */
export const DEGRADATIONS = {
  'blur σ=1.5': (img: RgbaImage) => gaussianBlur(img, 1.5),
  'blur σ=3': (img: RgbaImage) => gaussianBlur(img, 3),
  'dark ×0.35': (img: RgbaImage) => scaled(img, 0.35),
  'dark γ=2.2': (img: RgbaImage) => gammaCurve(img, 2.2),
  'blown out ×1.8': (img: RgbaImage) => scaled(img, 1.8),
  'too far (÷3)': (img: RgbaImage, seed = 1) => tooFar(img, 3, seed),
} as const;

export type Degradation = keyof typeof DEGRADATIONS;
