import { describe, expect, it } from 'vitest';
import {
  isLowConfidence,
  malignantRisk,
  rankClasses,
  riskBand,
  MIN_MARGIN,
} from '../../src/shared/risk';

const meta = {
  labels: ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'],
  labelNames: { mel: 'Melanoma', nv: 'Melanocytic nevus' } as Record<string, string>,
  malignant: ['akiec', 'bcc', 'mel'],
  risk: { threshold: 0.3, high: 0.6 },
};

describe('malignantRisk', () => {
  it('adds akiec + bcc + mel in label order', () => {
    expect(malignantRisk([0.1, 0.05, 0.2, 0.05, 0.15, 0.4, 0.05], meta)).toBeCloseTo(0.3, 12);
  });
});

describe('riskBand', () => {
  it('is low below threshold, medium from threshold, high from risk.high', () => {
    expect(riskBand(0, meta.risk)).toBe('low');
    expect(riskBand(0.2999, meta.risk)).toBe('low');
    expect(riskBand(0.3, meta.risk)).toBe('medium');
    expect(riskBand(0.5999, meta.risk)).toBe('medium');
    expect(riskBand(0.6, meta.risk)).toBe('high');
    expect(riskBand(1, meta.risk)).toBe('high');
  });
});

describe('rankClasses', () => {
  it('sorts by probability and names classes "Full name (code)"', () => {
    const ranked = rankClasses([0.01, 0.02, 0.03, 0.04, 0.6, 0.25, 0.05], meta);
    expect(ranked.map((c) => c.label)).toEqual(['mel', 'nv', 'vasc', 'df', 'bkl', 'bcc', 'akiec']);
    expect(ranked[0]).toMatchObject({ name: 'Melanoma (mel)', malignant: true });
    expect(ranked[1]).toMatchObject({ name: 'Melanocytic nevus (nv)', malignant: false });
    expect(ranked[2]?.name).toBe('vasc (vasc)'); // no full name given: the code stands in
  });
});

describe('isLowConfidence', () => {
  it('flags a weak top-1 or a small margin, not a clear winner', () => {
    expect(isLowConfidence([0.45, 0.2, 0.35])).toBe(true); // top-1 < 0.5
    expect(isLowConfidence([0.55, 0.45 - 1e-9, 0])).toBe(true); // margin 0.1
    expect(isLowConfidence([0.6, 0.6 - MIN_MARGIN - 0.01, 0])).toBe(false);
    expect(isLowConfidence([0.9, 0.05, 0.05])).toBe(false);
  });
});
