// Runs an exported TF.js layers model in Node (pure-JS CPU backend) on float32 NHWC inputs.
// Usage: node tfjs_predict.mjs <model-dir> <inputs.f32> <n> <size> [cpu|wasm] [layer]
//   -> JSON {outputs: number[][]}: the logits, or with a layer its output averaged over height and
// width (the not-a-spot gate's pooled features at that tap).
// cpu is TF.js's plain-JS reference kernels; wasm (the app's fast CPU path) for large inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const [modelDir, inputPath, n, size, backend = 'cpu', layer] = process.argv.slice(2);
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
const net = layer ? tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output }) : model;
const raw = readFileSync(inputPath);
const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const count = Number(n);
const pixels = Number(size) * Number(size) * 3;
const outputs = [];
// Batches of 64 keep the wasm heap small for 128x128 inputs.
for (let start = 0; start < count; start += 64) {
  const end = Math.min(start + 64, count);
  const input = tf.tensor4d(values.subarray(start * pixels, end * pixels), [end - start, Number(size), Number(size), 3]);
  const raw = net.predict(input);
  const output = raw.rank === 4 ? tf.mean(raw, [1, 2]) : raw;
  outputs.push(...(await output.array()));
  tf.dispose([input, raw, output]);
}
process.stdout.write(JSON.stringify({ outputs }));
