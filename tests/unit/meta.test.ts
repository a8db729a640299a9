import { describe, expect, it } from 'vitest';
import { parseMeta } from '../../src/shared/meta';
import {
  modelChoices,
  isShippedVersion,
  modelName,
  resolveModelId,
  roleLabel,
} from '../../src/lib/inference/choices';
import { decodeSize } from '../../src/lib/image/decode';

const valid = {
  id: 'ham10000-28',
  version: '1.0.0',
  inputSize: 28,
  labels: ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'],
  labelNames: { mel: 'Melanoma' },
  malignant: ['akiec', 'bcc', 'mel'],
  temperature: 1.3,
  risk: { threshold: 0.2, high: 0.5 },
  weights: [{ path: 'group1-shard1of1.bin', bytes: 10, sha256: 'ab' }],
  quantization: 'float32',
};

describe('parseMeta', () => {
  it('accepts the exported contract and fills missing display names with the code', () => {
    const meta = parseMeta(valid);
    expect(meta.labelNames['mel']).toBe('Melanoma');
    expect(meta.labelNames['nv']).toBe('nv');
    expect(meta.weights[0]?.bytes).toBe(10);
  });

  it.each([
    ['labels', { labels: 'mel' }],
    ['malignant labels not in labels', { malignant: ['melanoma'] }],
    ['temperature', { temperature: 0 }],
    ['risk', { risk: { threshold: 0.6, high: 0.5 } }],
    ['inputSize', { inputSize: 12.5 }],
    ['duplicate', { labels: ['mel', 'mel'], malignant: ['mel'] }],
  ])('rejects a bad %s', (_what, patch) => {
    expect(() => parseMeta({ ...valid, ...patch })).toThrow(/meta\.json/);
  });
});

describe('resolveModelId', () => {
  // The build lists the accurate model first (build/assets.ts shippedModelInfo).
  const both = ['derm-lite0-128', 'derm-fast-28'];
  it('keeps a shipped preference, else defaults to the first (accurate) model', () => {
    expect(resolveModelId('derm-fast-28', both)).toBe('derm-fast-28');
    expect(resolveModelId(null, both)).toBe('derm-lite0-128');
    expect(resolveModelId('ham10000-128', both)).toBe('derm-lite0-128'); // a retired model
  });

  it('falls back to whatever is shipped, or nothing', () => {
    expect(resolveModelId('derm-lite0-128', ['derm-fast-28'])).toBe('derm-fast-28');
    expect(resolveModelId(null, [])).toBeNull();
  });
});

describe('model choices come from the shipped metas', () => {
  const shipped = [
    { id: 'derm-lite0-128', role: 'accurate', inputSize: 128, version: '3.0.0' },
    { id: 'derm-fast-28', role: 'fast', inputSize: 28, version: '2.0.0' },
    { id: 'experiment-64', role: 'other', inputSize: 64, version: '1.0.0' },
  ];
  it('labels each by its role, whatever its id', () => {
    expect(modelChoices(shipped).map((c) => [c.id, c.label])).toEqual([
      ['derm-lite0-128', 'Accurate'],
      ['derm-fast-28', 'Fast'],
      ['experiment-64', 'experiment-64'],
    ]);
    // Plain words in the main flow: the input size is in Advanced, not in the choice.
    expect(modelChoices(shipped)[2]?.description).toBe('another model in this version');
    expect(
      modelChoices(shipped)
        .map((c) => c.description)
        .join(' '),
    ).not.toMatch(/\d|input/);
  });
  it("gives a shipped model's role its plain name, and none to a model without a known role", () => {
    expect(roleLabel('derm-lite0-128', shipped)).toBe('Accurate');
    expect(roleLabel('derm-fast-28', shipped)).toBe('Fast');
    expect(roleLabel('experiment-64', shipped)).toBeNull();
    expect(roleLabel('ham10000-128', shipped)).toBeNull();
  });
  it('names the model of a saved scan, saying when it is retired', () => {
    expect(modelName('derm-fast-28', '2.0.0', shipped)).toBe('Fast model (derm-fast-28 v2.0.0)');
    expect(modelName('ham10000-128', '1.0.0', shipped)).toMatch(
      /^ham10000-128 v1\.0\.0 \(a retired model/,
    );
  });
  it('tells an earlier version of a shipped model from the one shipped', () => {
    expect(modelName('derm-lite0-128', '2.0.0', shipped)).toBe(
      'Accurate model (derm-lite0-128 v2.0.0), an earlier version (this app has v3.0.0)',
    );
    expect(isShippedVersion('derm-lite0-128', '3.0.0', shipped)).toBe(true);
    expect(isShippedVersion('derm-lite0-128', '2.0.0', shipped)).toBe(false);
    expect(isShippedVersion('ham10000-128', '3.0.0', shipped)).toBe(false);
  });
});

describe('parseMeta reads the role and the gate', () => {
  it('keeps role, featureLayer and ood, and refuses an ood without a hash', () => {
    const gate = {
      path: 'ood.json',
      data: { path: 'ood.bin', bytes: 12, sha256: 'ab'.repeat(32) },
    };
    const meta = parseMeta({ ...valid, role: 'fast', featureLayer: 'pool_14', ood: gate });
    expect([meta.role, meta.featureLayer, meta.ood?.data.path]).toEqual([
      'fast',
      'pool_14',
      'ood.bin',
    ]);
    expect(() =>
      parseMeta({ ...valid, ood: { path: 'ood.json', data: { path: 'ood.bin' } } }),
    ).toThrow(/ood/);
  });
});

describe('decodeSize', () => {
  it('keeps images up to 16 MP as they are', () => {
    expect(decodeSize(4000, 3000)).toEqual({ width: 4000, height: 3000 });
  });

  it('downscales a 50 MP photo to at most 16 MP, keeping the aspect ratio', () => {
    const { width, height } = decodeSize(8660, 5774);
    expect(width * height).toBeLessThanOrEqual(16_000_000);
    expect(Math.abs(width / height - 8660 / 5774)).toBeLessThan(1e-3);
    expect(Math.min(width, height)).toBeGreaterThanOrEqual(4 * 128);
  });
});
