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
 * Below this crop share the photo counts as taken from afar: the crop is made again at the far
 * margin (margin.ts) and the result says so. How it was chosen (training/EXPERIMENTS.md):
 * - first 0.33, from the close-ups alone: the largest share that at most 3% of them, as the app
 *   cropped them, fell below (a hint that seldom fires on a close-up);
 * - then 0.39, fitted on `npm run spot:bands`' far copies: the smallest share over the crop share
 *   of every copy that either shipped model gave a lower band with no hint at 0.33 (0.341-0.386),
 *   and accepted on a fresh draw of copies (SPOT_BANDS_DRAW=2) by a rule fixed before it: better
 *   than 0.33 for both models on every count (thirty-fourth session). Fresh draws still have such
 *   drops just over 0.39: it makes them rarer, it does not rule them out.
 * Its rates are in docs/spot-bands-report.json and docs/spot-bands-fast-report.json (`afar`), kept
 * in agreement by tests/unit/spot-afar.test.ts.
 */
export const AFAR_CROP_SHARE = 0.39;

/**
 * The most close-ups the hint may reach, the price accepted for 0.39: 35 of the report's 697
 * close-ups fall under it (5.0%; all of them phone photos, 7.0% of those).
 */
export const AFAR_CLOSE_UP_CAP = 0.06;

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
