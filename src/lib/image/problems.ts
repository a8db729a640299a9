/** Files DermLens cannot use, and what the person is told to do about each. */

export type InputProblem = 'empty' | 'not-image' | 'svg' | 'heic' | 'damaged';

export const INPUT_MESSAGES: Record<InputProblem, string> = {
  empty:
    'This file is empty (0 bytes): it may not have finished downloading or copying. Choose the ' +
    'photo again.',
  'not-image':
    'This file is not a photo DermLens can read. Choose a picture file (JPEG, PNG or WebP), or ' +
    'take a photo with the camera.',
  svg: 'This is an SVG drawing, not a photo. DermLens needs a photo of the skin (JPEG, PNG or WebP).',
  heic:
    'This photo is in HEIC format, which this browser cannot open. Convert it to JPEG: on an ' +
    'iPhone set Settings › Camera › Formats to “Most Compatible” for new photos, or export the ' +
    'photo as JPEG (for example, share it to Files, or email it to yourself, choosing JPEG), ' +
    'then choose that file.',
  damaged:
    'This image could not be decoded: the file is damaged or incomplete (for example, a ' +
    'download that was cut off). Choose the original photo again.',
};

/** A file that cannot be classified; `message` is meant for the person. */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
  constructor(readonly problem: InputProblem) {
    super(INPUT_MESSAGES[problem]);
  }
}
