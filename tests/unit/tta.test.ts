import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { logitsOf } from '../../src/worker/classifier';
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

// The smallest shipped model: the plain-JS cpu backend runs 17 forward passes here.
const inputSize = (id: string): number =>
  (JSON.parse(readFileSync(`model/${id}/meta.json`, 'utf8')) as { inputSize: number }).inputSize;
const id = shippedModels('model').sort((a, b) => inputSize(a) - inputSize(b))[0];

describe.skipIf(id === undefined)('test-time augmentation', () => {
  let model: LayersModel;
  let n: number;
  let image: Float32Array;

  beforeAll(async () => {
    model = await loadNodeModel(`model/${id}`);
    n = model.inputs[0]?.shape[1] as number;
    image = referenceInputs(n, 1);
  }, 120_000);
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
    const tta = logitsOf(model, x, true);
    const mean = new Array<number>(tta.shape[1]).fill(0);
    for (let v = 0; v < VIEWS; v++) {
      const single = tf.tensor4d(viewByHand(image, n, v), [1, n, n, 3]);
      const logits = logitsOf(model, single, false);
      (await logits.data()).forEach((value, i) => (mean[i] = (mean[i] as number) + value / VIEWS));
      tf.dispose([single, logits]);
    }
    const got = Array.from(await tta.data());
    const plainLogits = logitsOf(model, x, false);
    const plain = Array.from(await plainLogits.data());
    tf.dispose([x, tta, plainLogits]);
    expect(Math.max(...got.map((g, i) => Math.abs(g - (mean[i] as number))))).toBeLessThan(1e-4);
    // The views do change the answer (a test that passes for identical views proves nothing).
    expect(Math.max(...got.map((g, i) => Math.abs(g - (plain[i] as number))))).toBeGreaterThan(
      1e-3,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
