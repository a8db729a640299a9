import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  input as symbolic,
  layers,
  model as functional,
  type LayersModel,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { FusedConv2D, FusedDepthwiseConv2D } from '../../src/worker/fused-layers';
import { loadNodeModel } from './tfjs-node-model';

// The worker runs Conv2D and DepthwiseConv2D layers with their bias and relu6 inside one kernel.
// The stock layers (made by tfjs-layers' factories) and the fused ones (made from our classes with
// the same arguments and weights) are compared in one process.

type Args = Parameters<typeof layers.conv2d>[0];
type DepthwiseArgs = Parameters<typeof layers.depthwiseConv2d>[0];

/** Input 9x9x4 -> conv 3x3 relu6 (stride 2) -> depthwise 3x3 relu6 -> depthwise 5x5 linear ->
 * conv 1x1 relu: the kinds of layer the shipped networks hold, stride 2 at an odd size included. */
function network(fused: boolean): LayersModel {
  const conv = (a: Args) => (fused ? new FusedConv2D(a as never) : layers.conv2d(a));
  const dw = (a: DepthwiseArgs) =>
    fused ? new FusedDepthwiseConv2D(a as never) : layers.depthwiseConv2d(a);
  const input = symbolic({ shape: [9, 9, 4] });
  let y = conv({
    filters: 6,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    activation: 'relu6',
  }).apply(input) as SymbolicTensor;
  y = dw({ kernelSize: 3, padding: 'same', activation: 'relu6' }).apply(y) as SymbolicTensor;
  y = dw({ kernelSize: 5, padding: 'same', activation: 'linear' }).apply(y) as SymbolicTensor;
  y = conv({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(y) as SymbolicTensor;
  return functional({ inputs: input, outputs: y });
}

async function kernelsOf(net: LayersModel, x: tf.Tensor): Promise<string[]> {
  const profile = await tf.profile(() => net.predict(x) as tf.Tensor);
  return profile.kernels.map((k) => k.name);
}

describe('convolutions with bias and relu6 in one kernel', () => {
  let stock: LayersModel;
  let fused: LayersModel;
  const x = tf.randomUniform([2, 9, 9, 4], -4, 4, 'float32', 3);

  beforeAll(async () => {
    await tf.setBackend('cpu');
    stock = network(false);
    fused = network(true);
    // Weights that push the relu6 layers' inputs below 0 and above 6.
    const weights = stock
      .getWeights()
      .map((w, i) => tf.randomUniform(w.shape, -2, 2, 'float32', 10 + i));
    stock.setWeights(weights);
    fused.setWeights(weights);
  });

  it('gives the stock layers\u2019 outputs, relu6 clipping at 0 and at 6', () => {
    const a = (stock.predict(x) as tf.Tensor).dataSync();
    const b = (fused.predict(x) as tf.Tensor).dataSync();
    const diff = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
    expect(diff).toBeLessThanOrEqual(1e-5);
    const inner = stock.layers[1]!.apply(x) as tf.Tensor; // the first conv's relu6 output
    const v = inner.dataSync();
    expect(v.some((t) => t === 0) && v.some((t) => t === 6)).toBe(true);
  });

  it('runs fused kernels where the stock layers ran a convolution, a bias add and relu6', async () => {
    const before = await kernelsOf(stock, x);
    expect(before).toContain('DepthwiseConv2dNative');
    // tfjs-layers' own relu6 (Relu then Minimum; relu6.ts makes it Relu6 in the worker).
    expect(before.includes('Minimum') || before.includes('Relu6')).toBe(true);
    const after = await kernelsOf(fused, x);
    expect(after.filter((k) => k === 'FusedConv2D')).toHaveLength(2);
    expect(after.filter((k) => k === 'FusedDepthwiseConv2D')).toHaveLength(2);
    for (const name of ['DepthwiseConv2dNative', 'Conv2D', 'Relu6', 'Relu', 'Minimum', 'Add']) {
      expect(after, name).not.toContain(name);
    }
  });

  it('differentiates like the stock layers (Grad-CAM records gradients through them)', () => {
    const score = (net: LayersModel) => (input: tf.Tensor) =>
      tf.sum(tf.mul(net.apply(input) as tf.Tensor, tf.linspace(-1, 1, 3)));
    const a = tf.grad(score(stock))(x).dataSync();
    const b = tf.grad(score(fused))(x).dataSync();
    const diff = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
    expect(diff).toBeLessThanOrEqual(1e-5);
    expect(Array.from(a).some((v) => v !== 0)).toBe(true);
  });

  it('is what every shipped model runs once loaded as the worker loads it', async () => {
    for (const id of shippedModels('model')) {
      const topology = readFileSync(join('model', id, 'model.json'), 'utf8');
      const model = await loadNodeModel(join('model', id));
      const n = model.inputs[0]!.shape[1] as number;
      const kernels = await kernelsOf(model, tf.zeros([1, n, n, 3]));
      expect(kernels, id).not.toContain('Conv2D');
      expect(kernels, id).not.toContain('DepthwiseConv2dNative');
      expect(kernels, id).toContain('FusedConv2D');
      if (topology.includes('"DepthwiseConv2D"'))
        expect(kernels, id).toContain('FusedDepthwiseConv2D');
      model.dispose();
    }
  });
});
