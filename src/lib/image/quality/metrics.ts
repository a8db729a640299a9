/**
 * All quality measurements of one photo, taken on its analysed square crop (the centre square
 * unless the scan path proposes another) area-resized to ANALYSIS_SIZE: the same crop and resize
 * the model's input gets (preprocess.ts, lib/scan/pipeline.ts), at the larger model's input size. Measuring at model resolution is the point: blur that is invisible at the
 * resolution the network sees cannot hurt its answer, and a 12 MP phone photo and a 200 x 150
 * dermoscopy image are judged on the same scale, whatever the camera's resolution.
 */
import { preprocessRgba, type RgbaImage } from '../preprocess';
import { laplacianVariance } from './blur';
import { lesionCoverage } from './coverage';
import { clippedFraction, meanLuminance } from './exposure';
import { isGreyscale } from './greyscale';
import { luminance } from './luminance';

/** Side of the analysed crop: the ham10000-128 model's input size. */
export const ANALYSIS_SIZE = 128;

export interface QualityMetrics {
  /** Variance of the Laplacian of luminance (blur: low). */
  readonly laplacianVariance: number;
  /** Mean luminance, 0..255 (too dark: low). */
  readonly meanLuminance: number;
  /** Fraction of pixels with luminance >= CLIP_LEVEL (blown out: high). */
  readonly clippedFraction: number;
  /** Fraction of the frame covered by the central dark region (too far: low). */
  readonly coverage: number;
  readonly greyscale: boolean;
}

/** Measures an ANALYSIS_SIZE x ANALYSIS_SIZE (or `size`) uint8 RGB crop. */
export function measureCrop(rgb: Uint8Array, size = ANALYSIS_SIZE): QualityMetrics {
  const lum = luminance(rgb);
  return {
    laplacianVariance: laplacianVariance(lum, size),
    meanLuminance: meanLuminance(lum),
    clippedFraction: clippedFraction(lum),
    coverage: lesionCoverage(lum, size),
    greyscale: isGreyscale(rgb),
  };
}

/** Centre-crops and resizes a decoded image as the model input is made, then measures it. */
export function measureImage(image: RgbaImage): QualityMetrics {
  return measureCrop(preprocessRgba(image, ANALYSIS_SIZE));
}
