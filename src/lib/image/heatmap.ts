/** Drawing a Grad-CAM map: bilinear upsampling to the preview's size and a colour map (pure). */

/**
 * Bilinear upsampling of a row-major w x h map to size x size with half-pixel centres (as
 * torch's interpolate(align_corners=False) and OpenCV's resize): each feature cell covers the
 * same square of the image it was computed from, so the overlay does not drift to one corner.
 */
export function upsampleBilinear(
  values: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
): Float32Array {
  if (values.length !== width * height) throw new Error('map size does not match its values');
  const out = new Float32Array(size * size);
  const axis = (i: number, n: number): [number, number, number] => {
    const src = Math.min(Math.max(((i + 0.5) * n) / size - 0.5, 0), n - 1);
    const lo = Math.floor(src);
    return [lo, Math.min(lo + 1, n - 1), src - lo];
  };
  const cols = Array.from({ length: size }, (_, x) => axis(x, width));
  for (let y = 0; y < size; y++) {
    const [y0, y1, fy] = axis(y, height);
    for (let x = 0; x < size; x++) {
      const [x0, x1, fx] = cols[x] as [number, number, number];
      const at = (yy: number, xx: number): number => values[yy * width + xx] as number;
      const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
      const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
      out[y * size + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Stops of matplotlib's "inferno": perceptually ordered, readable without colour vision. */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** RGB of value t in [0, 1] (clamped), interpolated between the colour map's stops. */
export function colour(t: number): [number, number, number] {
  const pos = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(pos), STOPS.length - 2);
  const f = pos - i;
  const a = STOPS[i] as readonly number[];
  const b = STOPS[i + 1] as readonly number[];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) * (1 - f) + (b[c] as number) * f)) as [
    number,
    number,
    number,
  ];
}

/** CSS linear-gradient stops of the same map, for the legend. */
export const LEGEND_GRADIENT = `linear-gradient(to right, ${STOPS.map(
  (s, i) => `rgb(${s.join(' ')}) ${(i / (STOPS.length - 1)) * 100}%`,
).join(', ')})`;

/** RGBA pixels (opaque) of a map upsampled to size x size; opacity is the overlay's CSS. */
export function heatmapRgba(
  values: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
): Uint8ClampedArray<ArrayBuffer> {
  const up = upsampleBilinear(values, width, height, size);
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < up.length; i++) {
    const [r, g, b] = colour(up[i] as number);
    rgba.set([r, g, b, 255], i * 4);
  }
  return rgba;
}
