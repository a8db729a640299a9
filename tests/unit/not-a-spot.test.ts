import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { eitherFraming, notASpotReasons, skinFraction } from '../../src/lib/gate/not-a-spot';
import { FRAMINGS } from '../../src/lib/scan/steadiness';
import { photoProblemsText } from '../../src/lib/gate/text';
import { parseOod, type OodSpec } from '../../src/shared/ood';
import { forward, withFeatures } from '../../src/worker/classifier';
import { featureDistance, readFeatureStats } from '../../src/worker/ood';
import { loadNodeModel, referenceInputs } from './tfjs-node-model';

const BOX: OodSpec['skinBox'] = { cb: [77, 127], cr: [133, 173] };

const fill = (pixels: number, rgb: readonly number[]): Uint8Array =>
  Uint8Array.from({ length: pixels * 3 }, (_, i) => rgb[i % 3] as number);

describe('skin share', () => {
  it('counts skin tones in and blue, white and grey out (as training does)', () => {
    expect(skinFraction(fill(16, [224, 172, 140]), BOX)).toBe(1);
    expect(skinFraction(fill(16, [120, 70, 50]), BOX)).toBe(1);
    expect(skinFraction(fill(16, [40, 60, 200]), BOX)).toBe(0);
    expect(skinFraction(fill(16, [255, 255, 255]), BOX)).toBe(0);
    expect(skinFraction(fill(16, [128, 128, 128]), BOX)).toBe(0);
    const half = new Uint8Array([...fill(2, [224, 172, 140]), ...fill(2, [40, 60, 200])]);
    expect(skinFraction(half, BOX)).toBe(0.5);
  });
  it('refuses bytes that are not RGB', () => {
    expect(() => skinFraction(new Uint8Array(4), BOX)).toThrow(/RGB/);
  });
});

describe('the decision', () => {
  const thresholds = { maxDistance: 100, maxEnergy: -3, minSkinFraction: 0.3 };
  const ok = { distance: 99, energy: -4, skinFraction: 0.9 };
  it('passes a photo within every threshold and names every reason otherwise', () => {
    expect(notASpotReasons(ok, thresholds)).toEqual([]);
    expect(notASpotReasons({ distance: 100, energy: -3, skinFraction: 0.3 }, thresholds)).toEqual(
      [],
    );
    expect(notASpotReasons({ ...ok, distance: 101 }, thresholds)).toEqual([
      'unlike-training-photos',
    ]);
    expect(notASpotReasons({ ...ok, energy: -2.9 }, thresholds)).toEqual([
      'unlike-training-photos',
    ]);
    expect(notASpotReasons({ ...ok, skinFraction: 0.1 }, thresholds)).toEqual(['too-little-skin']);
    const both = notASpotReasons({ distance: 500, energy: 0, skinFraction: 0 }, thresholds);
    expect(both).toEqual(['unlike-training-photos', 'too-little-skin']);
  });
  it('refuses when the evidence is broken (NaN)', () => {
    expect(notASpotReasons({ ...ok, distance: Number.NaN }, thresholds)).toEqual([
      'unlike-training-photos',
    ]);
    expect(notASpotReasons({ ...ok, energy: Number.NaN }, thresholds)).toEqual([
      'unlike-training-photos',
    ]);
  });
});

function spec(
  classes: number,
  channels: number,
  components: number,
  residualVariance: number,
): OodSpec {
  const bytes = 4 * (classes * channels + (channels + 1) * components);
  return parseOod({
    featureLayer: 'pool_1',
    classes,
    channels,
    components,
    residualVariance,
    skinBox: { cb: [77, 127], cr: [133, 173] },
    thresholds: { maxDistance: 10, maxEnergy: -1, minSkinFraction: 0.2 },
    file: { path: 'ood.bin', bytes, sha256: 'a'.repeat(64) },
  });
}

describe('two framings', () => {
  const thresholds = { maxDistance: 100, maxEnergy: -2, minSkinFraction: 0.3 };
  it('takes, per check, the evidence that looks more like a skin spot', () => {
    const taken = { distance: 500, energy: -5, skinFraction: 0.1 };
    const tighter = { distance: 50, energy: -1, skinFraction: 0.9 };
    expect(eitherFraming(taken, tighter)).toEqual({ distance: 50, energy: -5, skinFraction: 0.9 });
    expect(notASpotReasons(eitherFraming(taken, tighter), thresholds)).toEqual([]);
    expect(notASpotReasons(taken, thresholds)).toEqual([
      'unlike-training-photos',
      'too-little-skin',
    ]);
  });

  it("still refuses when either framing's evidence is broken (NaN)", () => {
    const good = { distance: 50, energy: -5, skinFraction: 0.9 };
    const broken = { distance: NaN, energy: NaN, skinFraction: NaN };
    expect(notASpotReasons(eitherFraming(good, broken), thresholds)).toEqual([
      'unlike-training-photos',
      'too-little-skin',
    ]);
    expect(notASpotReasons(eitherFraming(broken, good), thresholds)).toHaveLength(2);
  });

  it('reads a tighter framing from ood.json only between 0 and 1', () => {
    expect(spec(2, 3, 1, 1).tighterFraming).toBeUndefined();
    expect(parseOod({ ...(spec(2, 3, 1, 1) as object), tighterFraming: 0.8 }).tighterFraming).toBe(
      0.8,
    );
    for (const bad of [1.25, 0, 'x']) {
      expect(() => parseOod({ ...(spec(2, 3, 1, 1) as object), tighterFraming: bad })).toThrow(
        /tighterFraming/,
      );
    }
  });
});

describe('feature distance', () => {
  it('whitens the kept directions, scales the rest by the residual variance, takes the nearest class', () => {
    // 3 channels, 2 classes at (0,0,0) and (10,0,0); kept directions x (variance 4) and y (variance 1).
    const s = spec(2, 3, 2, 0.5);
    const values = [0, 0, 0, 10, 0, 0, /* basis */ 1, 0, 0, 1, 0, 0, /* variances */ 4, 1];
    const stats = readFeatureStats(s, new Float32Array(values).buffer);
    // Nearest is class 0: x 2 -> 4/4, y 1 -> 1/1, z 1 -> 1/0.5.
    expect(featureDistance(stats, new Float32Array([2, 1, 1]))).toBeCloseTo(1 + 1 + 2, 10);
    expect(featureDistance(stats, new Float32Array([9, 0, 0]))).toBeCloseTo(1 / 4, 10);
    expect(() => featureDistance(stats, new Float32Array(2))).toThrow(/3 features/);
  });
  it('refuses statistics of the wrong size and a malformed ood.json', () => {
    expect(() => readFeatureStats(spec(2, 3, 2, 0.5), new ArrayBuffer(8))).toThrow(/bytes/);
    expect(() => parseOod({})).toThrow(/ood.json/);
    const good = { ...spec(1, 2, 1, 1) };
    expect(() => parseOod({ ...good, file: { ...good.file, bytes: 12 } })).toThrow(/float32/);
    expect(() => parseOod({ ...good, residualVariance: 0 })).toThrow(/residualVariance/);
  });
});

// Every shipped model with a gate: the worker's maths on the TF.js network gives training's answers
// for the reference inputs (ood.json "reference", computed in PyTorch with the exported weights).
const gated = shippedModels('model').filter((id) => existsSync(join('model', id, 'ood.json')));

describe.each(gated)('%s: the gate matches training', (id) => {
  const dir = join('model', id);
  const raw = JSON.parse(readFileSync(join(dir, 'ood.json'), 'utf8')) as {
    reference: { distance: number[]; energy: number[]; skinFraction: number[] };
  };
  const ood = parseOod(raw);
  const bin = readFileSync(join(dir, ood.file.path));
  const stats = readFeatureStats(
    ood,
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  );

  it('names no tighter framing the app does not predict', () => {
    if (ood.tighterFraming !== undefined) expect(FRAMINGS).toContain(ood.tighterFraming);
  });

  it('skin share, feature distance and energy of the reference inputs, with and without TTA', async () => {
    const model = await loadNodeModel(dir);
    const size = (model.inputs[0]?.shape[1] ?? 0) as number;
    const count = raw.reference.distance.length;
    const inputs = referenceInputs(size, count);
    const net = withFeatures(model, ood);
    const x = tf.tensor4d(inputs, [count, size, size, 3]);
    for (const tta of [false, true]) {
      const [features, , energy] = forward(net, x, tta);
      const pooled = (await features.data()) as Float32Array;
      const energies = await energy.data();
      tf.dispose([features, energy]);
      for (let k = 0; k < count; k++) {
        const rgb = Uint8Array.from(
          inputs.subarray(k * size * size * 3, (k + 1) * size * size * 3),
          (v) => Math.round(v * 255),
        );
        expect(skinFraction(rgb, ood.skinBox)).toBe(raw.reference.skinFraction[k]);
        const distance = featureDistance(
          stats,
          pooled.subarray(k * ood.channels, (k + 1) * ood.channels),
        );
        const expected = raw.reference.distance[k] as number;
        expect(Math.abs(distance - expected)).toBeLessThan(1e-3 * Math.max(1, expected));
        expect(energies[k]).toBeCloseTo(raw.reference.energy[k] as number, 3);
      }
    }
    x.dispose();
    model.dispose();
  }, 120_000);
});

describe('the refusal of a photo the quality check had flagged', () => {
  it('names what the check found, and nothing when it found nothing', () => {
    expect(photoProblemsText(['blurred', 'dark'])).toBe(
      'The photo check had also flagged it (blurred, too dark): a sharp, well-lit close-up of the same spot may be judged.',
    );
    expect(photoProblemsText([])).toBeNull();
  });
});
