/**
 * The preprocessing spec of model/README.md as pure functions on RGBA pixel arrays. Training
 * implements the same maths in numpy (training/dermlens_train/preprocess.py); a parity test
 * compares both, so this must not use canvas scaling (its filters differ by browser).
 */

/** Straight (not premultiplied) RGBA pixels, row-major, as getImageData returns them. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray | Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface SquareCrop {
  readonly x0: number;
  readonly y0: number;
  readonly side: number;
}

/** side = min(w, h), x0 = floor((w - side) / 2), y0 = floor((h - side) / 2). */
export function centreSquare(width: number, height: number): SquareCrop {
  const side = Math.min(width, height);
  return { x0: Math.floor((width - side) / 2), y0: Math.floor((height - side) / 2), side };
}

/** Source pixels and weights that make up one output pixel along one axis. */
export interface AxisTap {
  readonly start: number;
  readonly weights: Float64Array;
}

/**
 * Exact area (box) filter along one axis: output i covers [i*s, (i+1)*s) with s = source/target;
 * source pixel j weighs its overlap with that interval divided by s.
 */
export function areaWeights(source: number, target: number): AxisTap[] {
  const scale = source / target;
  const taps: AxisTap[] = [];
  for (let i = 0; i < target; i++) {
    const start = i * scale;
    const end = (i + 1) * scale;
    const first = Math.floor(start);
    const last = Math.min(Math.ceil(end), source);
    const weights: number[] = [];
    for (let j = first; j < last; j++) {
      const overlap = Math.min(end, j + 1) - Math.max(start, j);
      weights.push(overlap > 0 ? overlap / scale : 0);
    }
    taps.push({ start: first, weights: Float64Array.from(weights) });
  }
  return taps;
}

/**
 * One RGBA channel composited over opaque white, in the integer arithmetic of PIL's
 * Image.alpha_composite (libImaging/AlphaComposite.c, PRECISION_BITS = 7) that training uses,
 * so a transparent PNG gives bit-identical inputs on both sides. Over an opaque background its
 * coefficients reduce to a*128 and (255-a)*128.
 */
export function overWhite(value: number, alpha: number): number {
  if (alpha === 255) return value;
  const x = 128 * (value * alpha + 255 * (255 - alpha)) + (0x80 << 7);
  return (((x >> 8) + x) >> 8) >> 7;
}

/** Round as the spec says: floor(v + 0.5), clamped to [0, 255]. */
function toUint8(v: number): number {
  const r = Math.floor(v + 0.5);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** Whether `crop` is a square of at least one pixel that lies inside a width x height image. */
export function cropFits(crop: SquareCrop, width: number, height: number): boolean {
  const { x0, y0, side } = crop;
  const whole = [x0, y0, side].every(Number.isInteger);
  return whole && side >= 1 && x0 >= 0 && y0 >= 0 && x0 + side <= width && y0 + side <= height;
}

/**
 * Square crop + area resize to size x size; returns uint8 RGB (size*size*3, HWC). The crop is the
 * centre square unless one is given (the spot finder's proposal, in the image's own pixels).
 * Rows first (source rows are averaged into `size` output rows), then columns, in float64, in
 * the same order as training's numpy. Only the crop is read, so a 12 MP photo needs
 * size*side*3 doubles of scratch, not a full float copy.
 */
export function preprocessRgba(
  image: RgbaImage,
  size: number,
  crop: SquareCrop = centreSquare(image.width, image.height),
): Uint8Array {
  const { width, height, data } = image;
  if (width < 1 || height < 1) throw new Error('empty image');
  if (data.length < width * height * 4) throw new Error('pixel buffer shorter than width*height*4');
  if (!cropFits(crop, width, height)) {
    throw new Error(`crop ${JSON.stringify(crop)} does not lie inside ${width} x ${height}`);
  }
  const { x0, y0, side } = crop;
  const taps = areaWeights(side, size);

  // Pass 1: rows. rows[(i * side + x) * 3 + c] = output row i, crop column x.
  const rows = new Float64Array(size * side * 3);
  const line = new Uint8Array(side * 3);
  for (let i = 0; i < size; i++) {
    const tap = taps[i] as AxisTap;
    const o = i * side * 3;
    for (let k = 0; k < tap.weights.length; k++) {
      const w = tap.weights[k] as number;
      if (w === 0) continue;
      compositeRow(data, ((y0 + tap.start + k) * width + x0) * 4, side, line);
      for (let x = 0; x < side * 3; x++)
        rows[o + x] = (rows[o + x] as number) + w * (line[x] as number);
    }
  }

  // Pass 2: columns, then round to uint8.
  const out = new Uint8Array(size * size * 3);
  for (let i = 0; i < size; i++) {
    const rowBase = i * side * 3;
    for (let j = 0; j < size; j++) {
      const tap = taps[j] as AxisTap;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < tap.weights.length; k++) {
        const w = tap.weights[k] as number;
        const p = rowBase + (tap.start + k) * 3;
        r += w * (rows[p] as number);
        g += w * (rows[p + 1] as number);
        b += w * (rows[p + 2] as number);
      }
      const q = (i * size + j) * 3;
      out[q] = toUint8(r);
      out[q + 1] = toUint8(g);
      out[q + 2] = toUint8(b);
    }
  }
  return out;
}

/** `count` RGBA pixels from `start`, composited over white, into an RGB line. */
function compositeRow(
  data: Uint8ClampedArray | Uint8Array,
  start: number,
  count: number,
  line: Uint8Array,
): void {
  for (let x = 0; x < count; x++) {
    const p = start + x * 4;
    const a = data[p + 3] as number;
    line[x * 3] = overWhite(data[p] as number, a);
    line[x * 3 + 1] = overWhite(data[p + 1] as number, a);
    line[x * 3 + 2] = overWhite(data[p + 2] as number, a);
  }
}

/** uint8 RGB -> float32 in [0, 1]: the network's input (any normalisation is inside it). */
export function toModelInput(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = (rgb[i] as number) / 255;
  return out;
}

/** uint8 RGB -> opaque RGBA, e.g. to draw a preprocessed image on a canvas. */
export function rgbToRgba(rgb: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const n = rgb.length / 3;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    out[i * 4] = rgb[i * 3] as number;
    out[i * 4 + 1] = rgb[i * 3 + 1] as number;
    out[i * 4 + 2] = rgb[i * 3 + 2] as number;
    out[i * 4 + 3] = 255;
  }
  return out;
}
