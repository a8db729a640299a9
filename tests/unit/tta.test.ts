import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import {
  model as layersModel,
  type LayersModel,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { parseOod, type OodSpec } from '../../src/shared/ood';
import { forward, withFeatures } from '../../src/worker/classifier';
import { VIEWS, view } from '../../src/worker/tta';
import { loadNodeModel, referenceInputs } from './tfjs-node-model';

/**
 * training's inference.view() on one N x N x 3 NHWC image, written out by hand (indices only):
 * bit 0 flips width, bit 1 flips height, bit 2 swaps height and width, applied in that order.
 */
function viewByHand(img: Float32Array, n: number, index: number): Float32Array {
  const out = new Float32Array(img.length);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      // Output pixel (y, x) of the last step reads (x, y) of the one before when transposed.
      let [sy, sx] = index & 4 ? [x, y] : [y, x];
      if (index & 2) sy = n - 1 - sy;
      if (index & 1) sx = n - 1 - sx;
      for (let c = 0; c < 3; c++) out[(y * n + x) * 3 + c] = img[(sy * n + sx) * 3 + c] as number;
    }
  }
  return out;
}

/** The model cut at `layer`, the way the gate's reference test reads the pooled features. */
function layersFeatures(model: LayersModel, layer: string): LayersModel {
  const output = model.getLayer(layer).output as SymbolicTensor;
  return layersModel({ inputs: model.inputs, outputs: output });
}

/** Per-channel means of one image's activation: as is when already pooled, by hand over h x w when 4-D. */
async function pooledByHand(activation: tf.Tensor): Promise<number[]> {
  const values = Array.from(await activation.data());
  if (activation.rank === 2) return values;
  const channels = activation.shape[3] as number;
  const sums = new Array<number>(channels).fill(0);
  values.forEach((v, i) => (sums[i % channels]! += v));
  return sums.map((sum) => sum / (values.length / channels));
}

// The smallest shipped model: the plain-JS cpu backend runs 17 forward passes here.
const inputSize = (id: string): number =>
  (JSON.parse(readFileSync(`model/${id}/meta.json`, 'utf8')) as { inputSize: number }).inputSize;
const id = shippedModels('model').sort((a, b) => inputSize(a) - inputSize(b))[0];

describe.skipIf(id === undefined)('test-time augmentation', () => {
  let model: LayersModel;
  /** The worker's network: the same layers, the gate's pooled features as a second output. */
  let net: LayersModel;
  let spec: OodSpec;
  let n: number;
  let image: Float32Array;

  /** The logits of `x` through the worker's network (features dropped). */
  function logitsOf(x: tf.Tensor4D, tta: boolean): tf.Tensor2D {
    const [features, logits, energy] = forward(net, x, tta);
    tf.dispose([features, energy]);
    return logits;
  }

  beforeAll(async () => {
    model = await loadNodeModel(`model/${id}`);
    spec = parseOod(JSON.parse(readFileSync(`model/${id}/ood.json`, 'utf8')));
    net = withFeatures(model, spec);
    n = model.inputs[0]?.shape[1] as number;
    image = referenceInputs(n, 1);
  }, 120_000);
  // Only the model: the two-output network shares its weights and owns none.
  afterAll(() => model.dispose());

  it('the 8 views equal training view() (flip W, flip H, transpose, in that order)', async () => {
    const x = tf.tensor4d(image, [1, n, n, 3]);
    for (let v = 0; v < VIEWS; v++) {
      const t = view(x, v);
      expect(Array.from(await t.data())).toEqual(Array.from(viewByHand(image, n, v)));
      if (t !== x) t.dispose();
    }
    x.dispose();
  });

  it('TTA logits are the mean of the 8 single-view logits, computed as one batch', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(image, [1, n, n, 3]);
    const tta = logitsOf(x, true);
    const mean = new Array<number>(tta.shape[1]).fill(0);
    for (let v = 0; v < VIEWS; v++) {
      const single = tf.tensor4d(viewByHand(image, n, v), [1, n, n, 3]);
      const logits = logitsOf(single, false);
      (await logits.data()).forEach((value, i) => (mean[i] = (mean[i] as number) + value / VIEWS));
      tf.dispose([single, logits]);
    }
    const got = Array.from(await tta.data());
    const plainLogits = logitsOf(x, false);
    const plain = Array.from(await plainLogits.data());
    tf.dispose([x, tta, plainLogits]);
    expect(Math.max(...got.map((g, i) => Math.abs(g - (mean[i] as number))))).toBeLessThan(1e-4);
    // The views do change the answer (a test that passes for identical views proves nothing).
    expect(Math.max(...got.map((g, i) => Math.abs(g - (plain[i] as number))))).toBeGreaterThan(
      1e-3,
    );
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('one predict gives the logits and the pooled features of the photo as taken, with TTA too', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(image, [1, n, n, 3]);
    const pooled = layersFeatures(model, spec.featureLayer);
    const expected = pooled.predict(x) as tf.Tensor;
    const plainLogits = model.predict(x) as tf.Tensor2D;
    const [features, logits, energy] = forward(net, x, false);
    const [ttaFeatures, ttaLogits, ttaEnergy] = forward(net, x, true);
    expect(features.shape).toEqual([1, spec.channels]);
    const want = await pooledByHand(expected);
    const diff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    expect(diff(Array.from(await features.data()), want)).toBeLessThan(1e-5);
    expect(
      diff(Array.from(await logits.data()), Array.from(await plainLogits.data())),
    ).toBeLessThan(1e-5);
    // With TTA the logits are averaged, but the features stay the un-augmented view's.
    expect(diff(Array.from(await ttaFeatures.data()), want)).toBeLessThan(1e-5);
    expect(ttaLogits.shape).toEqual(logits.shape);
    // The gate's energy is that of the photo as taken, with or without TTA: -logsumexp(plain logits).
    const plain = Array.from(await plainLogits.data());
    const peak = Math.max(...plain);
    const wantEnergy = -(peak + Math.log(plain.reduce((a, v) => a + Math.exp(v - peak), 0)));
    expect((await energy.data())[0]).toBeCloseTo(wantEnergy, 4);
    expect((await ttaEnergy.data())[0]).toBeCloseTo(wantEnergy, 4);
    tf.dispose([
      x,
      expected,
      plainLogits,
      features,
      logits,
      energy,
      ttaFeatures,
      ttaLogits,
      ttaEnergy,
    ]);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
