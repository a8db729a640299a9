import { describe, expect, it } from 'vitest';
import {
  change,
  compareScans,
  formatPoints,
  type Comparable,
} from '../../src/lib/tracking/compare';

const labels = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'];
const names = Object.fromEntries(labels.map((l) => [l, l.toUpperCase()]));

function scan(
  createdAt: number,
  probabilities: number[],
  risk: number,
  o: Partial<Comparable> = {},
) {
  return {
    createdAt,
    modelId: 'ham10000-128',
    modelVersion: '1.0.0',
    labels,
    labelNames: names,
    probabilities,
    malignantRisk: risk,
    ...o,
  } satisfies Comparable;
}

describe('comparing two scans of a spot', () => {
  const early = scan(100, [0.05, 0.05, 0.1, 0.05, 0.1, 0.6, 0.05], 0.2);
  const late = scan(200, [0.05, 0.1, 0.05, 0.05, 0.3, 0.4, 0.05], 0.45);

  it('the risk change is signed, in points, with its direction', () => {
    const c = compareScans(early, late);
    expect(c.sameModel).toBe(true);
    expect(c.risk.points).toBeCloseTo(25);
    expect(c.risk.direction).toBe('up');
    expect(c.risk).toMatchObject({ before: 0.2, after: 0.45 });
  });

  it('orders by time whichever way round the scans are given', () => {
    expect(compareScans(late, early)).toEqual(compareScans(early, late));
  });

  it('every class with its change, matched by label', () => {
    const c = compareScans(early, late);
    expect(c.classes.map((k) => k.label)).toEqual(labels);
    const mel = c.classes.find((k) => k.label === 'mel');
    expect(mel?.change?.points).toBeCloseTo(20);
    const nv = c.classes.find((k) => k.label === 'nv');
    expect(nv?.change?.points).toBeCloseTo(-20);
    expect(nv?.change?.direction).toBe('down');
    expect(c.classes.find((k) => k.label === 'df')?.change?.direction).toBe('same');
  });

  it('a different model (other label order, a missing class): by label, and says so', () => {
    const otherLabels = ['nv', 'mel', 'bcc', 'bkl', 'akiec', 'other'];
    const other = scan(300, [0.5, 0.2, 0.1, 0.1, 0.05, 0.05], 0.35, {
      modelId: 'other-model',
      labels: otherLabels,
      labelNames: { ...names, other: 'Other' },
    });
    const c = compareScans(early, other);
    expect(c.sameModel).toBe(false);
    const byLabel = Object.fromEntries(c.classes.map((k) => [k.label, k]));
    expect(byLabel['nv']?.change?.points).toBeCloseTo(-10);
    expect(byLabel['mel']?.change?.points).toBeCloseTo(10);
    expect(byLabel['df']).toMatchObject({ before: 0.05, after: null, change: null });
    expect(byLabel['other']).toMatchObject({ name: 'Other', before: null, after: 0.05 });
    expect(compareScans(early, { ...early, modelVersion: '2.0.0', createdAt: 5 }).sameModel).toBe(
      false,
    );
  });

  it('formats points with a sign and one decimal; tiny changes are "the same"', () => {
    expect(formatPoints(25)).toBe('+25.0 points');
    expect(formatPoints(-3.46)).toBe('−3.5 points');
    expect(formatPoints(0.01)).toBe('±0.0 points');
    expect(change(0.5, 0.504).direction).toBe('same');
    expect(change(0.5, 0.49).direction).toBe('down');
  });
});
