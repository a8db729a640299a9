/**
 * Was the spot photographed from afar? The models learnt from close-ups, where the spot and a
 * little skin round it fill the picture. A spot small in a large photo, once cropped, still gets a
 * different answer more often than its close-up (docs/spot-fill.md, "far-away copies"), so the
 * result says so and asks for a closer photo, rather than let a lower band pass unremarked.
 *
 * The measure is the analysed crop's side over the photo's short side: near 1 for a close-up or a
 * photo framed with the camera's circle (the circle is SPOT_FILL_SIDE of the frame, so a spot
 * filling it gives a crop of the whole frame), small for a spot far away.
 */
import type { SquareCrop } from '../preprocess';

/**
 * Below this crop share the photo counts as taken from afar. Chosen by `npm run spot:bands` on the
 * close-ups as the app crops them (the largest share that at most 3% of them fall below, the
 * ceiling the not-a-skin-spot check keeps for refused spots: a hint that seldom fires on a
 * close-up); its rates are in docs/spot-bands-report.json (`afar`), kept in agreement by
 * tests/unit/spot-afar.test.ts.
 */
export const AFAR_CROP_SHARE = 0.33;

/** At most this share of close-ups may fall under the threshold (the rule above). */
export const AFAR_CLOSE_UP_RATE = 0.03;

/** The analysed crop's side over the photo's short side (1: the whole short side). */
export function cropShare(crop: SquareCrop, width: number, height: number): number {
  return crop.side / Math.min(width, height);
}

/** Whether `crop` of a width x height photo says the spot was photographed from afar. */
export function takenFromAfar(crop: SquareCrop, width: number, height: number): boolean {
  return cropShare(crop, width, height) < AFAR_CROP_SHARE;
}

/** The hint the result carries then. */
export const AFAR_HINT =
  'The spot was photographed from afar: it is small in the whole photo. The model learnt from ' +
  'close-ups, and from afar its answer is less sure. For a surer answer, come closer, until the ' +
  'spot fills the camera’s dashed circle.';

/**
 * The threshold rule, as spot:bands applies it: the largest share, in steps of 0.01, that at most
 * `rate` of the close-ups' crop shares fall below.
 */
export function chooseAfarShare(closeUpShares: readonly number[], rate: number): number {
  const sorted = [...closeUpShares].sort((a, b) => a - b);
  const allowed = Math.floor(rate * sorted.length);
  let best = 0;
  for (let step = 1; step <= 100; step++) {
    const t = step / 100;
    const below = sorted.filter((s) => s < t).length;
    if (below <= allowed) best = t;
    else break;
  }
  return best;
}
