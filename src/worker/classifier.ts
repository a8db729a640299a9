/** One loaded model on the active backend: load (+ warm-up), predict, dispose. */
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelMeta } from '../shared/meta';
import { fetchVerifiedModel } from './weights';

export interface Classifier {
  readonly meta: ModelMeta;
  readonly loadMs: number;
  readonly warmupMs: number;
  /** Weight files whose cached copy was damaged and downloaded again. */
  readonly repaired: readonly string[];
  /** Logits for one float32 N x N x 3 input. */
  predict(input: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

/** Checks the network against meta.json: input [null, N, N, 3], output [null, labels]. */
function checkShapes(model: LayersModel, meta: ModelMeta): void {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const n = meta.inputSize;
  const inputOk = input.length === 4 && input[1] === n && input[2] === n && input[3] === 3;
  if (!inputOk) throw new Error(`model input ${JSON.stringify(input)} != [null,${n},${n},3]`);
  if (output.length !== 2 || output[1] !== meta.labels.length) {
    throw new Error(`model output ${JSON.stringify(output)} != [null,${meta.labels.length}]`);
  }
}

async function run(model: LayersModel, input: tf.Tensor4D): Promise<Float32Array> {
  // tidy frees every intermediate; only the returned logits survive, and we free those below.
  const logits = tf.tidy(() => model.predict(input) as tf.Tensor);
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}

export async function loadClassifier(
  modelUrl: string,
  meta: ModelMeta,
  onProgress: (fraction: number) => void,
): Promise<Classifier> {
  const t0 = performance.now();
  // Fetched and sha256-checked by us, then handed to TF.js from memory.
  const { artifacts, repaired } = await fetchVerifiedModel(modelUrl, meta, onProgress);
  const model = await loadLayersModel(tf.io.fromMemory(artifacts));
  const loadMs = performance.now() - t0;
  try {
    checkShapes(model, meta);
    const n = meta.inputSize;
    // Warm-up on zeros: the first call compiles shaders / kernels, so real calls do not pay.
    const t1 = performance.now();
    const zeros = tf.zeros([1, n, n, 3]) as tf.Tensor4D;
    try {
      const out = await run(model, zeros);
      if (!out.every(Number.isFinite)) throw new Error('warm-up gave non-finite logits');
    } finally {
      zeros.dispose();
    }
    const warmupMs = performance.now() - t1;

    return {
      meta,
      loadMs,
      warmupMs,
      repaired,
      async predict(input: Float32Array): Promise<Float32Array> {
        if (input.length !== n * n * 3) throw new Error(`expected ${n}x${n}x3 input`);
        const x = tf.tensor4d(input, [1, n, n, 3]);
        try {
          return await run(model, x);
        } finally {
          x.dispose();
        }
      },
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
