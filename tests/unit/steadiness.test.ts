// The steadiness rule: which band a reframing reads, and only when it is higher than the one shown.
import { describe, expect, it } from 'vitest';
import { FRAMINGS, higherBandWhenReframed, reframedHint } from '../../src/lib/scan/steadiness';

const thresholds = { threshold: 0.2, high: 0.5 };

describe('steadiness: a higher band when the crop is framed tighter or wider', () => {
  it('frames 20% tighter and 25% wider, the framing probe’s reframings', () => {
    expect(FRAMINGS).toEqual([0.8, 1.25]);
  });

  it('names the highest band a framing reads when it is above the band shown', () => {
    expect(higherBandWhenReframed('low', [0.1, 0.3], thresholds)).toBe('medium');
    expect(higherBandWhenReframed('low', [0.6, 0.3], thresholds)).toBe('high');
    expect(higherBandWhenReframed('medium', [0.49, 0.5], thresholds)).toBe('high');
  });

  it('says nothing when every framing reads the same band or a lower one', () => {
    expect(higherBandWhenReframed('high', [0.9, 0.1], thresholds)).toBeNull();
    expect(higherBandWhenReframed('medium', [0.2, 0.49], thresholds)).toBeNull();
    expect(higherBandWhenReframed('medium', [0.1, 0.19], thresholds)).toBeNull();
    expect(higherBandWhenReframed('low', [], thresholds)).toBeNull();
  });

  it('the hint names the band and what to do', () => {
    const hint = reframedHint('medium');
    expect(hint).toMatch(/^Not a settled answer: .* reads Medium\. Take it as Medium/);
    expect(hint).toContain('retake the photo closer');
  });
});
