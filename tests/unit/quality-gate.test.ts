import { describe, expect, it } from 'vitest';
import { gaussianBlur, gammaCurve, scaled } from '../../scripts/quality/degrade';
import type { RgbaImage } from '../../src/lib/image/preprocess';
import { qualityProblems, type QualityProblem } from '../../src/lib/image/quality/gate';
import { measureImage, type QualityMetrics } from '../../src/lib/image/quality/metrics';
import { problemText } from '../../src/lib/image/quality/text';
import { THRESHOLDS } from '../../src/lib/image/quality/thresholds';
import { drawSpot } from './quality-draw';

/** The problems the app would show for a drawn photo, with the shipped thresholds. */
const problemsOf = (image: RgbaImage): QualityProblem[] =>
  qualityProblems(measureImage(image), image, 128, THRESHOLDS);

const GOOD = drawSpot(200, 60);

describe('the gate on drawn photos, with the shipped thresholds', () => {
  it('a sharp, well-lit spot filling the frame passes', () => {
    expect(problemsOf(GOOD)).toEqual([]);
  });

  it('blurred copies are flagged "blurred"', () => {
    expect(problemsOf(gaussianBlur(GOOD, 3))).toEqual(['blurred']);
  });

  it('darkened copies are flagged "dark" (not also "blurred": light comes first)', () => {
    expect(problemsOf(scaled(GOOD, 0.35))).toEqual(['dark']);
    expect(problemsOf(gammaCurve(GOOD, 3))).toEqual(['dark']);
  });

  it('a blown-out copy is flagged "bright"', () => {
    expect(problemsOf(scaled(GOOD, 1.8))).toEqual(['bright']);
  });

  it('a small spot in the frame is flagged "far" (move closer)', () => {
    expect(problemsOf(drawSpot(200, 10))).toEqual(['far']);
  });

  it('an image smaller than the model input is flagged "small"', () => {
    expect(problemsOf(drawSpot(100, 30))).toContain('small');
  });
});

describe('qualityProblems', () => {
  const t = {
    minLaplacianVariance: 10,
    minMeanLuminance: 60,
    maxClippedFraction: 0.05,
    minCoverage: 0.05,
  };
  const fine: QualityMetrics = {
    laplacianVariance: 50,
    meanLuminance: 150,
    clippedFraction: 0,
    coverage: 0.3,
    greyscale: false,
  };
  const size = { width: 640, height: 480 };
  const with_ = (m: Partial<QualityMetrics>) => qualityProblems({ ...fine, ...m }, size, 128, t);

  it('compares each metric with its threshold', () => {
    expect(with_({})).toEqual([]);
    expect(with_({ laplacianVariance: 9.9 })).toEqual(['blurred']);
    expect(with_({ laplacianVariance: 10 })).toEqual([]);
    expect(with_({ meanLuminance: 59 })).toEqual(['dark']);
    expect(with_({ clippedFraction: 0.06 })).toEqual(['bright']);
    expect(with_({ coverage: 0.01 })).toEqual(['far']);
    expect(with_({ greyscale: true })).toEqual(['greyscale']);
    expect(qualityProblems(fine, { width: 100, height: 90 }, 128, t)).toEqual(['small']);
  });

  it('"small" means the short side is below the model input (moved from the old quality.ts)', () => {
    expect(qualityProblems(fine, { width: 100, height: 20 }, 28, t)).toEqual(['small']);
    expect(qualityProblems(fine, { width: 100, height: 28 }, 28, t)).toEqual([]);
    const grey = { ...fine, greyscale: true };
    expect(qualityProblems(grey, { width: 64, height: 64 }, 128, t)).toEqual([
      'small',
      'greyscale',
    ]);
  });

  it('does not call a badly exposed photo blurred', () => {
    expect(with_({ meanLuminance: 20, laplacianVariance: 1 })).toEqual(['dark']);
    expect(with_({ clippedFraction: 0.5, laplacianVariance: 1 })).toEqual(['bright']);
  });
});

describe('problemText', () => {
  const size = { width: 20, height: 16 };
  it.each([
    ['blurred', /hold the phone steady/],
    ['dark', /more light/],
    ['bright', /avoid direct flash/],
    ['far', /move closer/],
    ['small', /only 20 × 16 pixels, smaller than the 128 × 128/],
    ['greyscale', /no colour/],
  ] as const)('%s: names the problem and what to do', (problem, words) => {
    expect(problemText(problem, size, 128)).toMatch(words);
  });
});
