import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { parseMeta } from '../../src/shared/meta';
import { shippedModelInfo } from '../../build/assets';

// The app's side of the model contract: what training exports must parse the way the app needs.
// (training/tests checks the shards, hashes and outputs themselves.)
const ids = shippedModels('model');

describe('shipped models', () => {
  if (ids.length === 0) it.skip('no model exported into model/ yet', () => undefined);
  it.each(ids)('%s: meta.json parses and matches the app', (id) => {
    const meta = parseMeta(JSON.parse(readFileSync(join('model', id, 'meta.json'), 'utf8')));
    expect(meta.id).toBe(id);
    expect(['accurate', 'fast']).toContain(meta.role);
    expect(meta.labels).toHaveLength(7);
    expect(meta.malignant).toEqual(expect.arrayContaining(['mel', 'bcc', 'akiec']));
    expect(meta.labelNames['mel']).toBe('Melanoma');
    expect(id.endsWith(`-${meta.inputSize}`)).toBe(true);
  });
  it('ships one model per role, the accurate one listed first (the default)', () => {
    const info = shippedModelInfo('model');
    expect(info.map((m) => m.role)).toEqual(['accurate', 'fast']);
  });
});
