import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { parseMeta } from '../../src/shared/meta';
import { gradCam, gradCamTensors } from '../../src/worker/gradcam';
import { loadNodeModel, referenceInputs } from './tfjs-node-model';

// The worker's Grad-CAM against training/dermlens_train/gradcam.py (PyTorch), on the inputs of
// reference.py, for every shipped model: model/<id>/reference.json holds Python's answers.
interface Reference {
  count: number;
  size: number;
  logits: number[][];
  gradcam: { classes: number[]; maps: number[][][] };
}

const ids = shippedModels('model').filter((id) => existsSync(join('model', id, 'reference.json')));
const maxDiff = (a: ArrayLike<number>, b: readonly number[]): number =>
  Math.max(...b.map((v, i) => Math.abs((a[i] ?? Number.NaN) - v)));

describe.each(ids)('%s: Grad-CAM matches the PyTorch reference', (id) => {
  const dir = join('model', id);
  const meta = parseMeta(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')));
  const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Reference;
  let model: LayersModel;
  let images: tf.Tensor4D;

  beforeAll(async () => {
    model = await loadNodeModel(dir);
    const { count, size } = ref;
    images = tf.tensor4d(referenceInputs(size, count), [count, size, size, 3]);
  }, 120_000);
  afterAll(() => {
    images.dispose();
    model.dispose();
  });

  it('logits and maps within 1e-3 (top-1 class chosen in the worker)', async () => {
    const layer = meta.gradcamLayer;
    expect(layer).toBeTruthy();
    const out = tf.tidy(() => gradCamTensors(model, layer as string, images, null));
    const [logits, cam, classes] = await Promise.all([
      out.logits.data(),
      out.cam.data(),
      out.classes.data(),
    ]);
    tf.dispose([out.logits, out.cam, out.classes]);
    expect(Array.from(classes)).toEqual(ref.gradcam.classes);
    expect(maxDiff(logits, ref.logits.flat())).toBeLessThanOrEqual(1e-3);
    const expected = ref.gradcam.maps.flat(2);
    expect(cam.length).toBe(expected.length);
    expect(maxDiff(cam, expected)).toBeLessThanOrEqual(1e-3);
  }, 120_000);

  it('one image, a chosen class: same map as in the batch; frees every tensor', async () => {
    const layer = meta.gradcamLayer as string;
    const one = tf.slice(images, [1, 0, 0, 0], [1, ref.size, ref.size, 3]);
    const before = tf.memory().numTensors;
    const cls = ref.gradcam.classes[1] as number;
    const map = await gradCam(model, layer, one, cls);
    expect(tf.memory().numTensors).toBe(before);
    one.dispose();
    expect(map.classIndex).toBe(cls);
    expect(map.width * map.height).toBe(map.values.length);
    expect(maxDiff(map.values, (ref.gradcam.maps[1] as number[][]).flat())).toBeLessThanOrEqual(
      1e-3,
    );
    // Another class explains something else (the map is not class-independent).
    const other = tf.slice(images, [1, 0, 0, 0], [1, ref.size, ref.size, 3]);
    const alt = await gradCam(model, layer, other, (cls + 1) % meta.labels.length);
    other.dispose();
    expect(maxDiff(alt.values, Array.from(map.values))).toBeGreaterThan(1e-3);
  }, 120_000);
});
