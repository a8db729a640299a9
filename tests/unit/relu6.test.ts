import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential, type LayersModel, type Sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { useSingleKernelRelu6 } from '../../src/worker/relu6';
import { loadNodeModel } from './tfjs-node-model';

// The worker swaps tfjs-layers' relu6 (minimum(6, relu(x))) for one Relu6 kernel, for speed on
// wasm. Layers resolve their activation when they are made, so a layer made before the swap keeps
// the stock one: the two can be compared in one process.

/** One depthwise layer with relu6, as the accurate model's blocks have, with weights that give
 * outputs far below 0 and far above 6. */
function depthwise(): Sequential {
  const net = sequential({
    layers: [
      layers.depthwiseConv2d({
        inputShape: [9, 9, 4],
        kernelSize: 3,
        padding: 'same',
        activation: 'relu6',
      }),
    ],
  });
  const [kernel, bias] = net.getWeights();
  net.setWeights([
    tf.randomUniform(kernel!.shape, -3, 3, 'float32', 7),
    tf.randomUniform(bias!.shape, -1, 1, 'float32', 8),
  ]);
  return net;
}

async function kernelsOf(net: LayersModel, x: tf.Tensor): Promise<string[]> {
  const profile = await tf.profile(() => net.predict(x) as tf.Tensor);
  return profile.kernels.map((k) => k.name);
}

describe('relu6 as one kernel', () => {
  let stock: Sequential;
  let single: Sequential;
  const x = tf.randomUniform([2, 9, 9, 4], -10, 10, 'float32', 3);

  beforeAll(async () => {
    await tf.setBackend('cpu');
    stock = depthwise();
    useSingleKernelRelu6();
    single = depthwise();
    single.setWeights(stock.getWeights());
  });

  it('gives the stock activation output bit for bit, clipped at 0 and at 6', () => {
    const a = (stock.predict(x) as tf.Tensor).dataSync();
    const b = (single.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(b.some((v) => v === 0) && b.some((v) => v === 6)).toBe(true);
    expect(b.some((v) => v > 0 && v < 6)).toBe(true);
  });

  it('runs Relu6 where the stock activation ran Relu then Minimum', async () => {
    expect(await kernelsOf(stock, x)).toContain('Minimum');
    const kernels = await kernelsOf(single, x);
    expect(kernels).toContain('Relu6');
    expect(kernels).not.toContain('Minimum');
  });

  it('is what every shipped model with relu6 layers runs once loaded as the worker loads it', async () => {
    const withRelu6 = shippedModels('model').filter((id) =>
      readFileSync(join('model', id, 'model.json'), 'utf8').includes('"activation": "relu6"'),
    );
    expect(withRelu6.length).toBeGreaterThan(0);
    for (const id of withRelu6) {
      await checkShipped(id);
    }
  });
});

async function checkShipped(id: string): Promise<void> {
  const model = await loadNodeModel(join('model', id));
  const n = model.inputs[0]!.shape[1] as number;
  const input = tf.zeros([1, n, n, 3]);
  const kernels = await kernelsOf(model, input);
  expect(kernels, id).toContain('Relu6');
  expect(kernels, id).not.toContain('Minimum');
  model.dispose();
}
