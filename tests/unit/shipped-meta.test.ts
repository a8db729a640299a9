import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { parseMeta } from '../../src/shared/meta';
import { parseOod } from '../../src/shared/ood';
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
  // The app refuses a model without its not-a-skin-spot gate, so a model shipped without one
  // would be a model nobody can use.
  it.each(ids)('%s: ships its not-a-skin-spot gate, statistics matching their hash', (id) => {
    const meta = parseMeta(JSON.parse(readFileSync(join('model', id, 'meta.json'), 'utf8')));
    expect(meta.ood).toBeDefined();
    if (!meta.ood) return;
    const gate = parseOod(JSON.parse(readFileSync(join('model', id, meta.ood.path), 'utf8')));
    expect(gate.featureLayer).toBe(meta.featureLayer);
    expect(gate.file).toMatchObject({ path: meta.ood.data.path, sha256: meta.ood.data.sha256 });
    const bin = readFileSync(join('model', id, meta.ood.data.path));
    expect(createHash('sha256').update(bin).digest('hex')).toBe(meta.ood.data.sha256);
    expect(bin.length).toBe(gate.file.bytes);
  });
  it('ships at most one model per role, the accurate one first (the default)', () => {
    const roles = shippedModelInfo('model').map((m) => m.role);
    expect(roles[0]).toBe('accurate');
    expect(new Set(roles).size).toBe(roles.length);
  });
});
