/** The not-a-skin-spot refusal in words: why the photo was not analysed, and what to do instead. */
import type { QualityProblem } from '../image/quality/gate';
import { PROBLEM_LABEL } from '../image/quality/text';
import type { NotASpotReason } from './not-a-spot';

export const NOT_A_SPOT_TITLE = "This doesn't look like a close-up of a skin spot";

/** What the app saw, per reason, in plain words (no numbers: they would read as a verdict). */
export const REASON_TEXT: Readonly<Record<NotASpotReason, string>> = {
  'unlike-training-photos': 'It looks unlike the photos of skin spots the app learned from.',
  'too-little-skin': 'Little of the photo looks like skin.',
};

/** How to take a photo the app can judge. */
export const NOT_A_SPOT_ADVICE: readonly string[] = [
  'Fill most of the frame with the spot, with a little skin around it.',
  'Use good, even light, such as daylight near a window, without flash glare.',
  'Photograph the skin itself, not a screen, a printed picture or a document.',
];

export const NOT_A_SPOT_DOCTOR =
  'If this is a skin spot (for example on very dark skin, or against an unusual background), ' +
  'see a doctor anyway: the app cannot judge it, and that says nothing about whether it is ' +
  'harmless.';

/** What the status line (a live region) announces when a photo is refused. */
export const NOT_A_SPOT_ANNOUNCED = `Not analysed. ${NOT_A_SPOT_TITLE}.`;

/**
 * When the photo-quality check had flagged the photo too (and it was analysed anyway): a blurred
 * or dark photo of a real spot can look unlike the training photos, so a better photo may pass.
 */
export function photoProblemsText(problems: readonly QualityProblem[]): string | null {
  if (problems.length === 0) return null;
  const found = problems.map((p) => PROBLEM_LABEL[p]).join(', ');
  return `The photo check had also flagged it (${found}): a sharp, well-lit close-up of the same spot may be judged.`;
}

/**
 * When the analysed crop is small in the photo: the spot was photographed from afar, where the
 * gate refuses real spots far more often than close-ups (docs/spot-fill.md), so say so.
 */
export const NOT_A_SPOT_AFAR =
  'The spot is small in this photo: it was taken from afar, and the app learnt from close-ups. ' +
  'A photo of the same spot taken closer, until it fills the camera’s dashed circle, may be judged.';
