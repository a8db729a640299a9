/** Loads an exported model from model/<id>/ into TF.js in Node (cpu backend), as the worker would. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { useSingleKernelRelu6 } from '../../src/worker/relu6';

interface Manifest {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export async function loadNodeModel(dir: string): Promise<LayersModel> {
  await tf.setBackend('cpu');
  useSingleKernelRelu6(); // as the worker does
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Manifest;
  const groups = manifest.weightsManifest;
  const bytes = Buffer.concat(
    groups.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))),
  );
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return loadLayersModel(
    tf.io.fromMemory({
      modelTopology: manifest.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData,
    }),
  );
}

/**
 * training's reference_inputs(size, count), exactly (integer maths): float32 NHWC in [0, 1],
 * ((y*31 + x*17) ^ (c*71 + k*151)) & 255, / 255, for image k, row y, column x, channel c.
 */
export function referenceInputs(size: number, count: number): Float32Array {
  const out = new Float32Array(count * size * size * 3);
  let i = 0;
  for (let k = 0; k < count; k++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++)
          out[i++] = (((y * 31 + x * 17) ^ (c * 71 + k * 151)) & 255) / 255;
  return out;
}
