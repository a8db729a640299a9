import { describe, expect, it } from 'vitest';
import { parseMeta } from '../../src/shared/meta';
import { resolveModelId } from '../../src/lib/inference/choices';
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
  const both = ['ham10000-128', 'ham10000-28'];
  it('keeps a shipped preference, else defaults to the accurate model', () => {
    expect(resolveModelId('ham10000-28', both)).toBe('ham10000-28');
    expect(resolveModelId(null, both)).toBe('ham10000-128');
    expect(resolveModelId('gone', both)).toBe('ham10000-128');
  });

  it('falls back to the fast model while the accurate one is not shipped', () => {
    expect(resolveModelId('ham10000-128', ['ham10000-28'])).toBe('ham10000-28');
    expect(resolveModelId(null, [])).toBeNull();
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
