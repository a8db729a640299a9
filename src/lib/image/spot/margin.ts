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
