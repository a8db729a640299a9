import { describe, expect, it } from 'vitest';
import { argmax, quantile, softmax } from '../../src/shared/math';

describe('softmax with temperature', () => {
  it('sums to 1 and keeps the order of the logits', () => {
    const p = softmax([2, 1, 0.1]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(p[1]!);
    expect(p[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1) + Math.exp(0.1)), 12);
  });

  it('divides logits by T: T > 1 flattens, T < 1 sharpens', () => {
    const logits = [3, 1, 0];
    expect(softmax(logits, 2)).toEqual(softmax([1.5, 0.5, 0]));
    expect(softmax(logits, 2)[0]).toBeLessThan(softmax(logits, 1)[0]!);
    expect(softmax(logits, 0.5)[0]).toBeGreaterThan(softmax(logits, 1)[0]!);
  });

  it('is numerically stable for huge logits', () => {
    const p = softmax([1000, 999, -1000]);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('rejects a non-positive temperature', () => {
    expect(() => softmax([1, 2], 0)).toThrow();
  });
});

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe('argmax', () => {
  it('gives the first index of the largest value, -1 for nothing', () => {
    expect(argmax([0.1, 3, -2, 3])).toBe(1);
    expect(argmax(new Float32Array([-5, -1]))).toBe(1);
    expect(argmax([])).toBe(-1);
  });
});
