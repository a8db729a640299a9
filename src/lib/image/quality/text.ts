/** Each quality problem in words: what is wrong and what to do about it. */
import type { QualityProblem } from './gate';

/** A few words for a saved scan's photo problems (the full hint is for the moment of taking it). */
export const PROBLEM_LABEL: Readonly<Record<QualityProblem, string>> = {
  blurred: 'blurred',
  dark: 'too dark',
  bright: 'blown out',
  far: 'spot small in frame',
  small: 'low resolution',
  greyscale: 'no colour',
};

/** "Photo: blurred, too dark" for a saved scan, or null when the check found nothing. */
export function qualityNote(problems: readonly QualityProblem[] | undefined): string | null {
  return problems?.length ? `Photo: ${problems.map((p) => PROBLEM_LABEL[p]).join(', ')}` : null;
}

export function problemText(
  problem: QualityProblem,
  size: { readonly width: number; readonly height: number },
  inputSize: number,
): string {
  switch (problem) {
    case 'blurred':
      return (
        'The photo looks blurred: hold the phone steady, tap the spot to focus, and take it ' +
        'again. Fine detail matters for the analysis.'
      );
    case 'dark':
      // The check reads overall brightness, so darker skin in good light can trip it; say so
      // rather than send someone chasing light they already have.
      return (
        'The photo looks too dark: move to more light (daylight from a window works well). ' +
        'If the light is already good and the skin is simply dark, analyse anyway, but know ' +
        'that the model learnt mostly from light skin.'
      );
    case 'bright':
      return (
        'The photo is too bright, parts of it are blown out to white: avoid direct flash and ' +
        'strong light on the skin.'
      );
    case 'far':
      return 'The spot is small in the frame: move closer, so the spot fills most of the picture.';
    case 'small':
      return (
        `This image is only ${size.width} × ${size.height} pixels, smaller than the ` +
        `${inputSize} × ${inputSize} the model looks at, so it is enlarged and the result is ` +
        'less reliable. A closer, sharper photo works better.'
      );
    case 'greyscale':
      return (
        // The not-a-skin-spot check needs skin-coloured pixels, which a grey photo has none of:
        // say now that it will be turned away, not after "Analyse anyway".
        'This photo has no colour (black and white). DermLens needs colour to tell a skin spot ' +
        'from anything else, so it cannot analyse this photo: take or choose a colour photo.'
      );
  }
}
