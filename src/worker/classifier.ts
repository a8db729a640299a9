/** One loaded model on the active backend: load (+ warm-up), predict (+ TTA), Grad-CAM, dispose. */
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelMeta } from '../shared/meta';
import type { TtaCost } from '../shared/protocol';
import { TTA_MAX_RATIO } from '../shared/tta';
import { gradCam, type HeatMapData } from './gradcam';
import { allViews, meanOverViews } from './tta';
import { fetchVerifiedModel } from './weights';

export interface Classifier {
  readonly meta: ModelMeta;
  readonly loadMs: number;
  readonly warmupMs: number;
  /** Weight files whose cached copy was damaged and downloaded again. */
  readonly repaired: readonly string[];
  /** TTA's latency against a single prediction, measured after warm-up on this backend. */
  readonly ttaCost: TtaCost;
  /** Logits for one float32 N x N x 3 input; with tta, the mean over the 8 dihedral views. */
  predict(input: Float32Array, tta: boolean): Promise<Float32Array>;
  /** Grad-CAM of one input for a class (null = its top-1 class without TTA). */
  explain(input: Float32Array, classIndex: number | null): Promise<HeatMapData>;
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

/** Logits [n, C] of NHWC images; with tta, averaged over the 8 views run as one batch of 8n. */
export function logitsOf(model: LayersModel, x: tf.Tensor4D, tta: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    if (!tta) return model.predict(x) as tf.Tensor2D;
    return meanOverViews(model.predict(allViews(x)) as tf.Tensor2D, x.shape[0]);
  });
}

async function run(model: LayersModel, input: tf.Tensor4D, tta: boolean): Promise<Float32Array> {
  const logits = logitsOf(model, input, tta);
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}

/** Best of `runs` timings of `f` (the minimum: the least disturbed by other work). */
async function fastest(runs: number, f: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * TTA's cost against a single prediction. A TTA batch is slow on slow backends (seconds on a
 * software GPU), so it is timed once, and once more only when the ratio is near the threshold
 * that decides the default, where noise from other work on the device could flip it.
 */
async function measureTta(
  single: () => Promise<unknown>,
  tta: () => Promise<unknown>,
): Promise<TtaCost> {
  const singleMs = await fastest(2, single);
  let ttaMs = await fastest(1, tta);
  const near = (ms: number): boolean => Math.abs(ms / singleMs - TTA_MAX_RATIO) < 2;
  if (near(ttaMs)) ttaMs = Math.min(ttaMs, await fastest(1, tta));
  return { singleMs, ttaMs, ratio: ttaMs / Math.max(singleMs, 1e-3) };
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
  const n = meta.inputSize;
  const zeros = tf.zeros([1, n, n, 3]) as tf.Tensor4D;
  try {
    checkShapes(model, meta);
    // Warm-up on zeros: the first call compiles shaders / kernels, so real calls do not pay.
    // Both batch sizes: a GPU backend compiles separate programs for the batch of 8 views.
    const t1 = performance.now();
    const out = await run(model, zeros, false);
    if (!out.every(Number.isFinite)) throw new Error('warm-up gave non-finite logits');
    await run(model, zeros, true);
    const warmupMs = performance.now() - t1;
    const ttaCost = await measureTta(
      () => run(model, zeros, false),
      () => run(model, zeros, true),
    );

    const withInput = async <T>(input: Float32Array, f: (x: tf.Tensor4D) => Promise<T>) => {
      if (input.length !== n * n * 3) throw new Error(`expected ${n}x${n}x3 input`);
      const x = tf.tensor4d(input, [1, n, n, 3]);
      try {
        return await f(x);
      } finally {
        x.dispose();
      }
    };
    return {
      meta,
      loadMs,
      warmupMs,
      repaired,
      ttaCost,
      predict: (input, tta) => withInput(input, (x) => run(model, x, tta)),
      explain(input, classIndex) {
        const layer = meta.gradcamLayer;
        if (!layer) return Promise.reject(new Error(`${meta.id} has no gradcamLayer in meta.json`));
        return withInput(input, (x) => gradCam(model, layer, x, classIndex));
      },
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    zeros.dispose();
  }
}
