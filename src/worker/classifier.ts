/**
 * One loaded model on the active backend: load (+ warm-up), predict (+ TTA) with the gate's
 * feature distance, Grad-CAM, dispose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, model as layersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelMeta } from '../shared/meta';
import type { OodSpec } from '../shared/ood';
import type { TtaCost } from '../shared/protocol';
import { TTA_MAX_RATIO } from '../shared/tta';
import { loadGate, type Gate } from './gate';
import { gradCam, type HeatMapData } from './gradcam';
import { featureDistance } from './ood';
import { useSingleKernelRelu6 } from './relu6';
import { allViews, meanOverViews } from './tta';
import { fetchVerifiedModel, type VerifiedModel } from './weights';

/** What one prediction gives: the logits and how far the photo is from the training photos. */
export interface Output {
  /** The network's logits; with TTA, their mean over the 8 dihedral views. */
  readonly logits: Float32Array;
  /** Squared feature distance to the nearest training class (of the photo as taken, never a view). */
  readonly featureDistance: number;
  /** -logsumexp of the logits of the photo as taken (never a view's, nor the TTA mean's). */
  readonly energy: number;
}

export interface Classifier {
  readonly meta: ModelMeta;
  readonly loadMs: number;
  readonly warmupMs: number;
  /** Weight files (or the gate's statistics) whose cached copy was damaged and downloaded again. */
  readonly repaired: readonly string[];
  /** TTA's latency against a single prediction, measured after warm-up on this backend; null
   * when the load was asked not to (TTA then runs unwarmed the first time it is turned on). */
  readonly ttaCost: TtaCost | null;
  /** Warms up TTA's 8-view batch and times it against one view (for a later load that asks). */
  timeTta(): Promise<TtaCost>;
  /** One float32 N x N x 3 input: logits (with tta, the mean over the 8 views) and distance. */
  predict(input: Float32Array, tta: boolean): Promise<Output>;
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

/**
 * The same network with two outputs, the gate's features and the logits, so that one predict
 * gives both. The feature layer is either pooled already ([null, C]) or a 4-D activation
 * ([null, h, w, C]) that `forward` averages over h and w: training chooses the depth whose
 * pooled features best tell skin spots from other photos, often a middle block. It shares the
 * model's layers and weights and owns nothing: only the model is ever disposed (disposing both
 * would free the shared weights twice).
 */
export function withFeatures(model: LayersModel, spec: OodSpec): LayersModel {
  const features = model.getLayer(spec.featureLayer).output;
  const logits = model.outputs[0];
  if (Array.isArray(features) || !logits) throw new Error(`${spec.featureLayer}: not one output`);
  const shape = features.shape;
  const pooledOrMap = shape.length === 2 || shape.length === 4;
  if (!pooledOrMap || shape[shape.length - 1] !== spec.channels) {
    throw new Error(
      `${spec.featureLayer} gives ${JSON.stringify(shape)}, ood.json expects ${spec.channels} channels`,
    );
  }
  return layersModel({ inputs: model.inputs, outputs: [features, logits] });
}

/**
 * Pooled features [n, F] of NHWC images as given, and logits [n, C]; with tta, the logits are
 * averaged over the 8 views run as one batch of 8n. The features stay those of the photo as
 * taken: the gate's statistics were fitted on un-augmented training photos.
 */
export function forward(
  net: LayersModel,
  x: tf.Tensor4D,
  tta: boolean,
): [features: tf.Tensor2D, logits: tf.Tensor2D, energy: tf.Tensor1D] {
  return tf.tidy(() => {
    const n = x.shape[0];
    const [raw, logits] = net.predict(tta ? allViews(x) : x) as [tf.Tensor, tf.Tensor2D];
    const features = (raw.rank === 4 ? tf.mean(raw, [1, 2]) : raw) as tf.Tensor2D;
    // allViews is view-major and view 0 is the identity: the first n rows are the photos as taken.
    const taken = tta ? tf.slice(logits, [0, 0], [n, -1]) : logits;
    const energy = tf.neg(tf.logSumExp(taken, 1)) as tf.Tensor1D;
    if (!tta) return [features, logits, energy];
    return [tf.slice(features, [0, 0], [n, -1]), meanOverViews(logits, n), energy];
  });
}

async function run(net: LayersModel, gate: Gate, x: tf.Tensor4D, tta: boolean): Promise<Output> {
  const [features, logits, energy] = forward(net, x, tta);
  try {
    const [f, l, e] = await Promise.all([features.data(), logits.data(), energy.data()]);
    return {
      logits: l as Float32Array,
      featureDistance: featureDistance(gate.stats, f as Float32Array),
      energy: e[0] as number,
    };
  } finally {
    features.dispose();
    logits.dispose();
    energy.dispose();
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
async function timeTta(
  single: () => Promise<unknown>,
  tta: () => Promise<unknown>,
): Promise<TtaCost> {
  const singleMs = await fastest(2, single);
  let ttaMs = await fastest(1, tta);
  const near = (ms: number): boolean => Math.abs(ms / singleMs - TTA_MAX_RATIO) < 2;
  if (near(ttaMs)) ttaMs = Math.min(ttaMs, await fastest(1, tta));
  return { singleMs, ttaMs, ratio: ttaMs / Math.max(singleMs, 1e-3) };
}

/** A model's files, fetched and checked: they need no backend, so they can come meanwhile. */
export interface ModelFiles {
  readonly gate: Gate;
  readonly verified: VerifiedModel;
}

export async function fetchModelFiles(
  modelUrl: string,
  meta: ModelMeta,
  onProgress: (fraction: number) => void,
): Promise<ModelFiles> {
  // Before the weights: a model whose gate cannot be read is not loaded at all.
  const gate = await loadGate(modelUrl, meta);
  // Fetched and sha256-checked by us, then handed to TF.js from memory.
  return { gate, verified: await fetchVerifiedModel(modelUrl, meta, onProgress) };
}

/**
 * Loads and warms up a model on the active backend. `files` may already be on their way (the
 * session fetches them while the backend starts); otherwise they are fetched here.
 */
export async function loadClassifier(
  modelUrl: string,
  meta: ModelMeta,
  onProgress: (fraction: number) => void,
  measureTta = true,
  files: Promise<ModelFiles> = fetchModelFiles(modelUrl, meta, onProgress),
): Promise<Classifier> {
  const t0 = performance.now();
  const {
    gate,
    verified: { artifacts, repaired },
  } = await files;
  useSingleKernelRelu6();
  const model = await loadLayersModel(tf.io.fromMemory(artifacts));
  const loadMs = performance.now() - t0;
  const n = meta.inputSize;
  const zeros = tf.zeros([1, n, n, 3]) as tf.Tensor4D;
  try {
    checkShapes(model, meta);
    const net = withFeatures(model, gate.spec);
    // Warm-up on zeros: the first call compiles shaders / kernels, so real calls do not pay.
    // The batch of 8 views (separate programs on a GPU backend) is warmed up where TTA may be
    // on, by timing it.
    const t1 = performance.now();
    const out = await run(net, gate, zeros, false);
    if (!out.logits.every(Number.isFinite)) throw new Error('warm-up gave non-finite logits');
    if (!Number.isFinite(out.featureDistance)) throw new Error('warm-up gave no feature distance');
    const warmupMs = performance.now() - t1;
    const timeOnZeros = async (): Promise<TtaCost> => {
      const input = tf.zeros([1, n, n, 3]) as tf.Tensor4D;
      try {
        await run(net, gate, input, true); // the 8-view batch's own warm-up, not timed
        return await timeTta(
          () => run(net, gate, input, false),
          () => run(net, gate, input, true),
        );
      } finally {
        input.dispose();
      }
    };
    const ttaCost = measureTta ? await timeOnZeros() : null;

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
      repaired: [...repaired, ...gate.repaired],
      ttaCost,
      timeTta: timeOnZeros,
      predict: (input, tta) => withInput(input, (x) => run(net, gate, x, tta)),
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
