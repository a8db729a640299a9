import { describe, expect, it } from 'vitest';
import {
  changeSummary,
  previousVersion,
  versionChanges,
  type PreviousVersion,
} from '../../src/lib/card/compare';

const before: PreviousVersion = {
  version: '4.0.0',
  test: { accuracy: 0.839, balancedAccuracy: 0.756, macroAuc: 0.965, malignantAuc: 0.956 },
  phone: { accuracy: 0.712, balancedAccuracy: 0.729, macroAuc: 0.888, malignantAuc: 0.877 },
};

describe('what a new version gained and lost', () => {
  it('lists phone photos first, then dermoscopy, with the direction of each change', () => {
    const now = {
      test: { accuracy: 0.81, balancedAccuracy: 0.756, macroAuc: 0.96, malignantAuc: 0.9561 },
      phone: { accuracy: 0.75, balancedAccuracy: 0.78, macroAuc: 0.9, malignantAuc: 0.91 },
    };
    const changes = versionChanges(before, now);
    expect(changes.map((c) => `${c.domain}.${c.metric}:${c.change}`)).toEqual([
      'phone.accuracy:higher',
      'phone.balancedAccuracy:higher',
      'phone.macroAuc:higher',
      'phone.malignantAuc:higher',
      'dermoscopic.accuracy:lower',
      'dermoscopic.balancedAccuracy:the same',
      'dermoscopic.macroAuc:lower',
      'dermoscopic.malignantAuc:the same',
    ]);
    const summary = changeSummary('4.0.0', changes);
    expect(summary).toBe(
      'Lower than version 4.0.0: accuracy on dermoscopic images (0.839 → 0.810) and macro AUC on ' +
        'dermoscopic images (0.965 → 0.960). Higher: accuracy on phone photos (0.712 → 0.750), ' +
        'balanced accuracy on phone photos (0.729 → 0.780), macro AUC on phone photos (0.888 → ' +
        '0.900) and malignant AUC on phone photos (0.877 → 0.910).',
    );
  });

  it('compares only what both versions measured', () => {
    const old = { version: '1.0.0', test: { accuracy: 0.8, macroAuc: null }, phone: null };
    const changes = versionChanges(old, { test: { accuracy: 0.8, macroAuc: 0.9 }, phone: {} });
    expect(changes).toEqual([
      { domain: 'dermoscopic', metric: 'accuracy', before: 0.8, after: 0.8, change: 'the same' },
    ]);
    expect(changeSummary('1.0.0', changes)).toBe('The same as version 1.0.0 on every test metric.');
  });

  it('reads the card block only when it is well formed', () => {
    expect(previousVersion(undefined)).toBeNull();
    expect(previousVersion({ version: 4, test: {} })).toBeNull();
    expect(previousVersion({ version: '4.0.0' })).toBeNull();
    expect(previousVersion({ version: '4.0.0', test: { accuracy: 0.8 } })).toEqual({
      version: '4.0.0',
      test: { accuracy: 0.8 },
      phone: null,
    });
  });
});
