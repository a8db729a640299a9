/** Worker state: the backend chosen once (on the first load) and the models loaded on it. */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../shared/backends';
import { errorText } from '../shared/errors';
import type { ModelMeta } from '../shared/meta';
import type {
  BackendPlan,
  HeatMap,
  LoadTimings,
  Prediction,
  RequestId,
  SkippedBackend,
  TtaCost,
} from '../shared/protocol';
import { malignantRisk } from '../shared/risk';
import { argmax, softmax } from '../shared/math';
import {
  activateBackend,
  computeThreads,
  discardBackend,
  onDeviceLost,
  softwareRenderer,
} from './backend';
import { fetchModelFiles, loadClassifier, type Classifier, type ModelFiles } from './classifier';
import { gateMissing } from './gate';
import { KeptInput } from './kept-input';

export interface Loaded {
  readonly backend: BackendName;
  /** CPU threads the backend computes on (wasm's pool; 1 for plain JS; null on a GPU). */
  readonly threads: number | null;
  readonly skipped: readonly SkippedBackend[];
  readonly timings: LoadTimings;
  readonly repaired: readonly string[];
  readonly ttaCost: TtaCost | null;
}

export class Session {
  private backend: BackendName | null = null;
  /** How long choosing and initialising the backend took (once per worker). */
  private backendMs = 0;
  private threads: number | null = null;
  private readonly models = new Map<string, Classifier>();
  private readonly kept = new KeptInput();

  constructor(private readonly onFatal: (backend: BackendName, message: string) => void) {}

  /** Loads a model; the first call also picks the backend: the first that loads and warms up. */
  async load(
    modelUrl: string,
    meta: ModelMeta,
    plan: BackendPlan,
    measureTta: boolean,
    onProgress: (backend: BackendName, fraction: number) => void,
  ): Promise<Loaded> {
    // Not a backend's fault: say so once, rather than as every backend's reason for failing.
    if (!meta.ood) throw new Error(gateMissing(meta));
    if (this.backend) {
      const name = this.backend;
      const classifier = await this.classifier(modelUrl, meta, measureTta, (f) =>
        onProgress(name, f),
      );
      return {
        backend: name,
        threads: this.threads,
        skipped: [],
        ...timings(this.backendMs, classifier),
      };
    }
    const skipped: SkippedBackend[] = [];
    // The model's files need no backend: fetched and checked while the backend starts (wasm
    // compiles for about 0.3 s here), once, for whichever backend ends up running them.
    let trying: BackendName = plan.candidates[0] ?? 'wasm';
    const files = fetchModelFiles(modelUrl, meta, (f) => onProgress(trying, f));
    files.catch(() => undefined); // awaited (and its failure reported) in the loop below
    for (const name of plan.candidates) {
      trying = name;
      const t0 = performance.now();
      try {
        const software = plan.skipSoftware ? await softwareRenderer(name) : null;
        if (software) {
          skipped.push({
            backend: name,
            reason: `software renderer (${software}), wasm is faster`,
          });
          continue;
        }
        onProgress(name, 0);
        await activateBackend(name, plan.wasmPath);
        const backendMs = performance.now() - t0;
        const classifier = await this.classifier(
          modelUrl,
          meta,
          measureTta,
          (f) => onProgress(name, f),
          files,
        );
        this.backend = name;
        this.backendMs = backendMs;
        this.threads = await computeThreads(name);
        if (name === 'webgpu') onDeviceLost((m) => this.onFatal(name, m));
        return { backend: name, threads: this.threads, skipped, ...timings(backendMs, classifier) };
      } catch (error) {
        skipped.push({ backend: name, reason: errorText(error) });
        this.disposeModels();
        discardBackend(name);
      }
    }
    const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
    throw new Error(`No backend could run the model (${reasons})`);
  }

  /** Classifies `input` (request `inputId`) and keeps it for a later explain(). */
  async predict(
    inputId: RequestId,
    modelId: string,
    input: Float32Array,
    options: { tta: boolean; gradcam: boolean; framings: readonly Float32Array[] },
  ): Promise<Prediction> {
    const { classifier, backend } = this.loadedModel(modelId);
    this.kept.keep(inputId, modelId, input);
    const t0 = performance.now();
    const { logits, featureDistance, energy } = await classifier.predict(input, options.tta);
    const inferenceMs = performance.now() - t0;
    const probabilities = softmax(logits, classifier.meta.temperature);
    // The map explains the class the person is shown as top-1 (with TTA, that of the mean), on
    // the image as taken: a map of a flipped view would not line up with the photo.
    const heatmap = options.gradcam ? await this.heatmap(modelId, input, argmax(logits)) : null;
    const framedRisks: number[] = [];
    const framedEvidence: { distance: number; energy: number }[] = [];
    for (const framing of options.framings) {
      const framed = await classifier.predict(framing, options.tta);
      const p = softmax(framed.logits, classifier.meta.temperature);
      framedRisks.push(malignantRisk(p, classifier.meta));
      framedEvidence.push({ distance: framed.featureDistance, energy: framed.energy });
    }
    return {
      modelId,
      inputId,
      backend,
      probabilities,
      logits: Array.from(logits),
      malignantRisk: malignantRisk(probabilities, classifier.meta),
      featureDistance,
      energy,
      inferenceMs,
      tta: options.tta,
      framedRisks,
      framedEvidence,
      heatmap,
    };
  }

  /** Grad-CAM for class `classIndex` of the input of prediction `inputId` (the last one). */
  explain(modelId: string, inputId: RequestId, classIndex: number): Promise<HeatMap> {
    return this.heatmap(modelId, this.kept.get(inputId, modelId), classIndex);
  }

  /** Grad-CAM of `input` for class `classIndex` of model `modelId`. */
  private async heatmap(
    modelId: string,
    input: Float32Array,
    classIndex: number,
  ): Promise<HeatMap> {
    const { classifier } = this.loadedModel(modelId);
    const t0 = performance.now();
    const map = await classifier.explain(input, classIndex);
    const { width, height, values } = map;
    return { classIndex: map.classIndex, width, height, values, ms: performance.now() - t0 };
  }

  private loadedModel(modelId: string): { classifier: Classifier; backend: BackendName } {
    const classifier = this.models.get(modelId);
    if (!classifier || !this.backend) throw new Error(`model ${modelId} is not loaded`);
    return { classifier, backend: this.backend };
  }

  memory(): { backend: BackendName | null; numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { backend: this.backend, numTensors: m.numTensors, numBytes: m.numBytes };
  }

  /** The cached classifier for this model id and version, or a freshly loaded one. */
  private async classifier(
    modelUrl: string,
    meta: ModelMeta,
    measureTta: boolean,
    onProgress: (fraction: number) => void,
    files?: Promise<ModelFiles>,
  ): Promise<Classifier> {
    const cached = this.models.get(meta.id);
    // Already loaded: its weight files were checked (and any repair reported) back then.
    if (cached && cached.meta.version === meta.version) {
      if (measureTta && cached.ttaCost === null) {
        // Loaded before without timing TTA; this load asks for it: time it now, keep it.
        const timed = { ...cached, ttaCost: await cached.timeTta() };
        this.models.set(meta.id, timed);
        return { ...timed, repaired: [] };
      }
      return { ...cached, repaired: [] };
    }
    cached?.dispose();
    this.models.delete(meta.id);
    const classifier = await loadClassifier(modelUrl, meta, onProgress, measureTta, files);
    this.models.set(meta.id, classifier);
    return classifier;
  }

  private disposeModels(): void {
    for (const classifier of this.models.values()) classifier.dispose();
    this.models.clear();
  }
}

/** What a load reports about the classifier: timings, TTA's cost, any repaired weight files. */
function timings(
  backendMs: number,
  classifier: Classifier,
): { timings: LoadTimings; ttaCost: TtaCost | null; repaired: readonly string[] } {
  const { loadMs, warmupMs, ttaCost, repaired } = classifier;
  return { timings: { backendMs, loadMs, warmupMs }, ttaCost, repaired };
}
