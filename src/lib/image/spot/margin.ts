import { AFAR_CROP_SHARE } from './afar';

/**
 * How much of the crop the spot should fill: the longer side of the spot's bounding box over the
 * crop's side, so that a spot found in a phone photo is framed as spots are in the images the
 * models learnt from.
 *
 * Measured by `npm run spot:fill` (scripts/spot-fill.ts) with this finder on the crops training
 * feeds the models (each image's centre square): median 0.587 on 1,000 HAM10000 train images
 * (quartiles 0.422-0.775), 0.462 on the 497 PAD-UFES-20 phone photos (0.338-0.648); as area, the
 * spot covers a median 17.5% and 9.7% of the crop. The models learnt mostly from HAM10000 (70% of
 * their training draws), so its median, rounded, is the margin: the crop's side is the spot's long side / 0.59, i.e.
 * about 0.35 of the spot's size of skin on each side. The numbers are in
 * docs/spot-fill-report.json; tests/unit/spot-margin.test.ts keeps this constant in step with it.
 */
export const SPOT_FILL_SIDE = 0.59;

/**
 * The margin for a spot photographed from afar: when the crop at SPOT_FILL_SIDE is under the afar
 * share (afar.ts), the crop is made again round the same box so that the spot fills 0.75 of it.
 * Far away, a crop at the training median was wider than the framing of the spot's own close-up
 * whenever the spot filled that close-up, and the network's risk falls when a spot is framed
 * wider (a tighter crop costs less). Measured on far-away copies (training/EXPERIMENTS.md,
 * thirty-second session; docs/spot-fill.md): 0.75 is under the upper quartile of HAM10000's own
 * fill (0.775), so still a framing the training images have. Close-ups keep SPOT_FILL_SIDE.
 */
export const FAR_SPOT_FILL_SIDE = 0.75;

/** The margin the crop step proposes (and its ring shows) for a crop of this share (afar.ts). */
export function marginForShare(share: number): number {
  return share < AFAR_CROP_SHARE ? FAR_SPOT_FILL_SIDE : SPOT_FILL_SIDE;
}
