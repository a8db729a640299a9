/** Which quality problems a photo has, from its metrics and the thresholds chosen on data. */
import type { QualityMetrics } from './metrics';

/** A reason a photo may give a less reliable answer: a warning, never a refusal. */
export const QUALITY_PROBLEMS = ['small', 'greyscale', 'blurred', 'dark', 'bright', 'far'] as const;
export type QualityProblem = (typeof QUALITY_PROBLEMS)[number];

/** The decision thresholds (thresholds.json, written by `npm run quality:thresholds`). */
export interface QualityThresholds {
  readonly minLaplacianVariance: number;
  readonly minMeanLuminance: number;
  readonly maxClippedFraction: number;
  readonly minCoverage: number;
}

/**
 * The problems, in the order the hints are shown. Blur is only judged on a well-exposed photo:
 * the Laplacian's variance falls with contrast, so a dark or blown-out photo also reads as
 * blurred, and the fix (light) comes first.
 */
export function qualityProblems(
  metrics: QualityMetrics,
  size: { readonly width: number; readonly height: number },
  inputSize: number,
  t: QualityThresholds,
): QualityProblem[] {
  const problems: QualityProblem[] = [];
  const dark = metrics.meanLuminance < t.minMeanLuminance;
  const bright = metrics.clippedFraction > t.maxClippedFraction;
  if (dark) problems.push('dark');
  if (bright) problems.push('bright');
  if (!dark && !bright && metrics.laplacianVariance < t.minLaplacianVariance)
    problems.push('blurred');
  if (metrics.coverage < t.minCoverage) problems.push('far');
  if (Math.min(size.width, size.height) < inputSize) problems.push('small');
  if (metrics.greyscale) problems.push('greyscale');
  return problems;
}
