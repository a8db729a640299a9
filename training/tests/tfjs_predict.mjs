// Runs an exported TF.js layers model in Node (pure-JS CPU backend) on float32 NHWC inputs.
// Usage: node tfjs_predict.mjs <model-dir> <inputs.f32> <n> <size> [cpu|wasm] -> JSON {outputs: number[][]}
// cpu is TF.js's plain-JS reference kernels; wasm (the app's fast CPU path) for large inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const [modelDir, inputPath, n, size, backend = 'cpu'] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
const group = manifest.weightsManifest[0];
const weightData = Buffer.concat(group.paths.map((p) => readFileSync(join(modelDir, p))));
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
const model = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: manifest.modelTopology,
    weightSpecs: group.weights,
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
  }),
);
const raw = readFileSync(inputPath);
const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const input = tf.tensor4d(values, [Number(n), Number(size), Number(size), 3]);
const output = model.predict(input);
process.stdout.write(JSON.stringify({ outputs: await output.array() }));
