import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseThreshold } from '../../scripts/quality/select';
import generated from '../../src/lib/image/quality/thresholds.json';
import { THRESHOLDS } from '../../src/lib/image/quality/thresholds';

const ROOT = resolve(import.meta.dirname, '../..');
const report = JSON.parse(readFileSync(resolve(ROOT, 'docs/quality-gate-report.json'), 'utf8'));
const doc = readFileSync(resolve(ROOT, 'docs/quality-gate.md'), 'utf8');

describe('chooseThreshold (the rule)', () => {
  it('puts a clean split in the middle of the gap', () => {
    const c = chooseThreshold([10, 11, 12, 13], [1, 2, 3], 0.01);
    expect(c).toEqual({ threshold: 6.5, falseAlarm: 0, detection: 1 });
  });

  it('never flags more originals than the cap, even at the cost of detection', () => {
    const originals = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    const c = chooseThreshold(originals, [0.5, 1.5, 2.5, 3.5], 0.01);
    expect(c.falseAlarm).toBeLessThanOrEqual(0.01);
    expect(c.detection).toBe(0.5); // 0.5 and 1.5 below t; 2.5 would need 2 false alarms
  });

  it('with a detection slack, takes the most lenient threshold that keeps enough detection', () => {
    // Originals never go below 10; degraded spread over 0..99 (one each).
    const originals = Array.from({ length: 100 }, (_, i) => 10 + i);
    const degraded = Array.from({ length: 100 }, (_, i) => i);
    const strict = chooseThreshold(originals, degraded, 0.01, 0);
    // 9.5 catches 0..9 (J 0.10); 10.5 ties on J with a false alarm, so the earlier one stays.
    expect(strict).toEqual({ threshold: 9.5, falseAlarm: 0, detection: 0.1 });
    const lenient = chooseThreshold(originals, degraded, 0.01, 0.05);
    expect(lenient.detection).toBeCloseTo(0.05, 12); // 0..4: within 5 points of 0.10
    expect(lenient.threshold).toBe(4.5);
    expect(lenient.falseAlarm).toBe(0);
  });
});

describe('thresholds.json', () => {
  it('was written by the script, with its rule and data, and the report agrees', () => {
    expect(generated.generatedBy).toMatch(/npm run quality:thresholds/);
    expect(generated.rule).toMatch(/Youden/);
    expect(report.generatedBy).toBe(generated.generatedBy);
    expect(report.rule).toBe(generated.rule);
    expect(report.data).toEqual(generated.data);
    expect(report.thresholds).toEqual(generated.thresholds);
    expect(THRESHOLDS).toEqual(generated.thresholds);
  });

  it('was chosen on train images and reported on as many disjoint test images', () => {
    expect(generated.data.choosing.split).toBe('train');
    expect(generated.data.heldOut.split).toBe('test');
    expect(generated.data.choosing.images).toBeGreaterThanOrEqual(500);
  });

  it('the doc shows the report held-out numbers', () => {
    const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
    expect(doc).toContain(`passed: ${pct(report.heldOut.originals.passRate)}`);
    for (const [name, d] of Object.entries(report.heldOut.degradations)) {
      const { detected } = d as { detected: number };
      expect(doc).toContain(`| ${name} |`);
      expect(doc).toContain(pct(detected));
    }
  });
});
