/** Warnings about an image that can still be classified, less reliably: never a refusal. */

/** True when every pixel has R = G = B (within `tolerance`): a black-and-white photo. */
export function isGreyscale(rgb: Uint8Array, tolerance = 2): boolean {
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const r = rgb[i] as number;
    const g = rgb[i + 1] as number;
    const b = rgb[i + 2] as number;
    if (Math.abs(r - g) > tolerance || Math.abs(g - b) > tolerance) return false;
  }
  return true;
}

export type InputWarning = 'small' | 'greyscale';

/** What to warn about, from the decoded size and the analysed crop (uint8 RGB). */
export function inputWarnings(
  size: { readonly width: number; readonly height: number },
  inputSize: number,
  cropRgb: Uint8Array,
): InputWarning[] {
  const warnings: InputWarning[] = [];
  if (Math.min(size.width, size.height) < inputSize) warnings.push('small');
  if (isGreyscale(cropRgb)) warnings.push('greyscale');
  return warnings;
}

export function warningText(
  warning: InputWarning,
  size: { readonly width: number; readonly height: number },
  inputSize: number,
): string {
  switch (warning) {
    case 'small':
      return (
        `This image is only ${size.width} × ${size.height} pixels, smaller than the ` +
        `${inputSize} × ${inputSize} the model looks at, so it was enlarged and the result is ` +
        'less reliable. A closer, sharper photo works better.'
      );
    case 'greyscale':
      return (
        'This photo has no colour (black and white). Colour matters for telling skin spots ' +
        'apart, so the result is less reliable. Use a colour photo if you can.'
      );
  }
}
