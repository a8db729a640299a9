import { describe, expect, it } from 'vitest';
import { gaussianBlur, gammaCurve, scaled } from '../../scripts/quality/degrade';
import { preprocessRgba } from '../../src/lib/image/preprocess';
import { laplacianVariance } from '../../src/lib/image/quality/blur';
import { componentSize, lesionCoverage, otsuThreshold } from '../../src/lib/image/quality/coverage';
import { CLIP_LEVEL, clippedFraction, meanLuminance } from '../../src/lib/image/quality/exposure';
import { isGreyscale } from '../../src/lib/image/quality/greyscale';
import { luminance } from '../../src/lib/image/quality/luminance';
import { ANALYSIS_SIZE, measureCrop, measureImage } from '../../src/lib/image/quality/metrics';
import { drawSpot, grey } from './quality-draw';

const lumOf = (size: number, f: (x: number, y: number) => number): Float64Array =>
  Float64Array.from({ length: size * size }, (_, i) => f(i % size, Math.floor(i / size)));

describe('laplacianVariance', () => {
  it('is exactly 1020^2 on a 0/255 checkerboard (the Laplacian is +-1020 everywhere)', () => {
    const lum = lumOf(16, (x, y) => ((x + y) % 2 ? 255 : 0));
    expect(laplacianVariance(lum, 16)).toBe(1020 * 1020);
  });

  it('is 0 on flat and linear images (no detail)', () => {
    expect(
      laplacianVariance(
        lumOf(16, () => 90),
        16,
      ),
    ).toBe(0);
    expect(
      laplacianVariance(
        lumOf(16, (x, y) => 3 * x + 2 * y),
        16,
      ),
    ).toBeCloseTo(0, 9);
  });

  it('falls monotonically as the same drawn photo is blurred more', () => {
    const photo = drawSpot(200, 60);
    const values = [0, 0.5, 1, 2, 4].map(
      (sigma) => measureImage(sigma ? gaussianBlur(photo, sigma) : photo).laplacianVariance,
    );
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
  });
});

describe('exposure', () => {
  it('mean luminance and clipped fraction', () => {
    const lum = Float64Array.from([0, 100, CLIP_LEVEL, 255]);
    expect(meanLuminance(lum)).toBeCloseTo((100 + CLIP_LEVEL + 255) / 4, 9);
    expect(clippedFraction(lum)).toBe(0.5);
  });

  it('darkening lowers the mean luminance, blowing out clips pixels', () => {
    const photo = drawSpot(200, 60);
    const base = measureImage(photo);
    expect(measureImage(scaled(photo, 0.35)).meanLuminance).toBeLessThan(base.meanLuminance * 0.4);
    expect(measureImage(gammaCurve(photo, 2.2)).meanLuminance).toBeLessThan(base.meanLuminance);
    expect(base.clippedFraction).toBe(0);
    expect(measureImage(scaled(photo, 1.8)).clippedFraction).toBeGreaterThan(0.5);
  });
});

describe('lesion coverage', () => {
  it("Otsu's threshold falls between two clusters", () => {
    const t = otsuThreshold([...Array(50).fill(40), ...Array(50).fill(200)]);
    expect(t).toBeGreaterThanOrEqual(40);
    expect(t).toBeLessThan(200);
  });

  it('flood fill counts only the 4-connected component of the seed', () => {
    // 1 1 0 / 0 1 0 / 1 0 1 on a 3 x 3 grid: the seed's component has 3 pixels.
    const mask = Uint8Array.from([1, 1, 0, 0, 1, 0, 1, 0, 1]);
    expect(componentSize(mask, 3, 0)).toBe(3);
    expect(componentSize(mask, 3, 2)).toBe(0);
  });

  it('a drawn dark disc covers pi r^2 / frame of the frame', () => {
    for (const radius of [12, 30, 50]) {
      const rgb = preprocessRgba(drawSpot(ANALYSIS_SIZE, radius), ANALYSIS_SIZE);
      const expected = (Math.PI * radius * radius) / ANALYSIS_SIZE ** 2;
      expect(lesionCoverage(luminance(rgb), ANALYSIS_SIZE)).toBeCloseTo(expected, 2);
    }
  });

  it('ignores a dark corner (vignette) that is not connected to the central spot', () => {
    const spot = (x: number, y: number): boolean => Math.hypot(x - 31.5, y - 31.5) < 10;
    const alone = lumOf(64, (x, y) => (spot(x, y) ? 40 : 200));
    const withCorner = lumOf(64, (x, y) => (spot(x, y) || x + y < 12 ? 40 : 200));
    expect(lesionCoverage(withCorner, 64)).toBe(lesionCoverage(alone, 64));
    expect(lesionCoverage(alone, 64)).toBeCloseTo((Math.PI * 100) / 64 ** 2, 2);
  });
});

describe('measureCrop', () => {
  it('keeps the greyscale check', () => {
    expect(isGreyscale(Uint8Array.from([5, 5, 6, 200, 200, 200]))).toBe(true);
    expect(isGreyscale(Uint8Array.from([5, 5, 6, 200, 150, 200]))).toBe(false);
    const photo = grey(128, 128, (x) => x * 2);
    expect(measureCrop(preprocessRgba(photo, ANALYSIS_SIZE)).greyscale).toBe(true);
  });
});
