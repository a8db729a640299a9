/**
 * The small copy of a photo that the spot finder works on: the mean sRGB colour of each cell of a
 * grid whose long side is `longSide` cells. A spot's extent needs only a few cells of resolution,
 * and a 12 MP photo shrunk this way costs one pass over its pixels.
 */
import type { RgbaImage } from '../preprocess';

/** Pixels read per cell side at least (see downscaleRgb). */
export const SAMPLES_PER_SIDE = 4;

/** Mean sRGB (0..255, three floats per cell, row-major) and the cell size in photo pixels. */
export interface SmallRgb {
  readonly rgb: Float32Array;
  readonly width: number;
  readonly height: number;
  /** Photo pixels per cell along x and along y (1 when the photo is already small). */
  readonly scaleX: number;
  readonly scaleY: number;
}

/** Which of `target` bins each of `source` indices falls in: floor(i * target / source). */
export function binOf(source: number, target: number): Int32Array {
  const bins = new Int32Array(source);
  for (let i = 0; i < source; i++) bins[i] = Math.floor((i * target) / source);
  return bins;
}

/** The grid size for a photo: long side `longSide`, never larger than the photo itself. */
export function gridSize(
  width: number,
  height: number,
  longSide: number,
): { width: number; height: number } {
  const s = Math.max(1, Math.max(width, height) / longSide);
  return {
    width: Math.max(1, Math.min(width, Math.round(width / s))),
    height: Math.max(1, Math.min(height, Math.round(height / s))),
  };
}

/**
 * Area-averaged downscale by binning: every pixel read adds to exactly one cell, so a cell is the
 * plain mean of the pixels it covers. Unlike preprocess.ts's exact area filter this splits no
 * pixel between cells; a one-pixel shift of a cell border does not matter for finding a spot.
 * When cells are wide, only every `step`-th row and column is read, still at least
 * SAMPLES_PER_SIDE^2 pixels per cell: that mean is as good for finding a spot (sensor noise of
 * sd 10 averages to 2.5, and the contrast map is blurred over 25 cells after) and a 12 MP photo
 * costs 1/25 of a full pass (a full pass took 62 ms in Node on this project's machine). Alpha is
 * ignored: decoded photos are opaque.
 */
export function downscaleRgb(image: RgbaImage, longSide: number): SmallRgb {
  const { width, height, data } = image;
  if (width < 1 || height < 1) throw new Error('empty image');
  if (data.length < width * height * 4) throw new Error('pixel buffer shorter than width*height*4');
  const grid = gridSize(width, height, longSide);
  const tw = grid.width;
  const th = grid.height;
  const step = Math.max(1, Math.floor(Math.min(width / tw, height / th) / SAMPLES_PER_SIDE));
  const colBin = binOf(width, tw);
  const rowBin = binOf(height, th);
  // Uint32 sums cannot overflow: a cell holds at most (scale + 1)^2 pixels of 255.
  const sums = new Uint32Array(tw * th * 3);
  for (let y = 0; y < height; y += step) {
    const base = (rowBin[y] as number) * tw;
    for (let x = 0, i = y * width * 4; x < width; x += step, i += step * 4) {
      const o = (base + (colBin[x] as number)) * 3;
      sums[o] = (sums[o] as number) + (data[i] as number);
      sums[o + 1] = (sums[o + 1] as number) + (data[i + 1] as number);
      sums[o + 2] = (sums[o + 2] as number) + (data[i + 2] as number);
    }
  }
  const colCount = counts(colBin, tw, step);
  const rowCount = counts(rowBin, th, step);
  const rgb = new Float32Array(tw * th * 3);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const n = (rowCount[y] as number) * (colCount[x] as number);
      const o = (y * tw + x) * 3;
      for (let c = 0; c < 3; c++) rgb[o + c] = (sums[o + c] as number) / n;
    }
  }
  return { rgb, width: tw, height: th, scaleX: width / tw, scaleY: height / th };
}

/** How many of the indices read (every `step`-th) fall in each bin. */
function counts(bins: Int32Array, target: number, step: number): Uint32Array {
  const out = new Uint32Array(target);
  for (let i = 0; i < bins.length; i += step) {
    const b = bins[i] as number;
    out[b] = (out[b] as number) + 1;
  }
  return out;
}
