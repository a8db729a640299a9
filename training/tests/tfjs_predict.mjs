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
const count = Number(n);
const pixels = Number(size) * Number(size) * 3;
const outputs = [];
// Batches of 64 keep the wasm heap small for 128x128 inputs.
for (let start = 0; start < count; start += 64) {
  const end = Math.min(start + 64, count);
  const input = tf.tensor4d(values.subarray(start * pixels, end * pixels), [end - start, Number(size), Number(size), 3]);
  const output = model.predict(input);
  outputs.push(...(await output.array()));
  tf.dispose([input, output]);
}
process.stdout.write(JSON.stringify({ outputs }));
