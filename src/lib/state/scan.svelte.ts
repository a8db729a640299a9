/**
 * The scanning state shared by the UI: which model, its loading, and the latest result.
 * Images go decode -> preprocess (main thread, pure TS) -> worker; nothing leaves the device.
 */
import { tick } from 'svelte';
import type { BackendName } from '../../shared/backends';
import type { TtaDefault } from '../card/model-card';
import { errorText } from '../../shared/errors';
import type { ModelMeta } from '../../shared/meta';
import { resolveModelId } from '../inference/choices';
import type { HeatMap, Prediction } from '../../shared/protocol';
import { decodeBlob, type DecodedImage } from '../image/decode';
import { ImageInputError } from '../image/problems';
import { preprocessRgba, toModelInput, type RgbaImage } from '../image/preprocess';
import { qualityProblems, type QualityProblem } from '../image/quality/gate';
import { ANALYSIS_SIZE, measureCrop, type QualityMetrics } from '../image/quality/metrics';
import { problemText } from '../image/quality/text';
import { THRESHOLDS } from '../image/quality/thresholds';
import type { InferenceClient, LoadedModel } from '../inference/client';
import { createInferenceClient } from '../inference/create';
import { fetchCard, fetchMeta, modelFileUrl, SHIPPED_MODELS } from '../inference/models';
import { automaticTta } from '../inference/tta-default';
import {
  forcedBackend,
  saveBackend,
  saveModelId,
  savedModelId,
  saveTta,
  savedTta,
} from '../settings';

/** Side of the cropped preview shown beside the result. */
export const PREVIEW_SIZE = 224;

export type ImageSource =
  | { readonly kind: 'blob'; readonly blob: Blob; readonly startedAt: number }
  | { readonly kind: 'pixels'; readonly rgba: RgbaImage; readonly startedAt: number };

export interface ScanResult {
  readonly prediction: Prediction;
  readonly meta: ModelMeta;
  /** The centre crop as the model saw it, at PREVIEW_SIZE, RGB. */
  readonly preview: Uint8Array;
  /** From the file being chosen (or the shutter) to the result on screen; null until drawn. */
  readonly totalMs: number | null;
  /** The photo's quality problems (analysed anyway), as codes to store with the scan. */
  readonly quality: readonly QualityProblem[];
  /** Why this result is less reliable (blurred, dark, tiny, ...), in words. */
  readonly warnings: readonly string[];
  /** The model's input, kept to explain another class without preprocessing again. */
  readonly input: Float32Array;
  /** Grad-CAM of the top class, or of the class the person picked. */
  readonly heatmap: HeatMap | null;
}

/** A photo held back by the quality gate: what is wrong, shown before anything is predicted. */
export interface QualityGate {
  readonly problems: readonly QualityProblem[];
  /** One hint per problem: what is wrong and what to do. */
  readonly hints: readonly string[];
  /** The centre crop, at PREVIEW_SIZE, RGB. */
  readonly preview: Uint8Array;
  /** The crop the metrics read (ANALYSIS_SIZE): also the 128 model's input, not made twice. */
  readonly crop: Uint8Array;
}

interface MeasuredPhoto {
  readonly crop: Uint8Array;
  readonly preview: Uint8Array;
  readonly metrics: QualityMetrics;
}

/** The photo's crops and quality metrics: all that does not depend on the model. */
function measurePhoto(image: DecodedImage): MeasuredPhoto {
  const crop = preprocessRgba(image.rgba, ANALYSIS_SIZE);
  return {
    crop,
    preview: preprocessRgba(image.rgba, PREVIEW_SIZE),
    metrics: measureCrop(crop),
  };
}

const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

class ScanState {
  modelId = $state<string | null>(resolveModelId(savedModelId(), SHIPPED_MODELS));
  forced = $state<BackendName | null>(forcedBackend());
  meta = $state<ModelMeta | null>(null);
  loaded = $state<LoadedModel | null>(null);
  loadProgress = $state(0);
  busy = $state<'loading' | 'classifying' | null>(null);
  result = $state.raw<ScanResult | null>(null);
  error = $state<string | null>(null);
  /** Something the app recovered from by itself, worth telling (not an error). */
  notice = $state<string | null>(null);
  /** TTA as the person set it; null = automatic (see ttaOn). */
  ttaChoice = $state<boolean | null>(savedTta());
  /** The active model's automatic TTA setting from its card.json (null: the card has none). */
  ttaDefault = $state.raw<TtaDefault | null>(null);
  /** The latest photo's quality problems, waiting for "retake" or "analyse anyway". */
  gate = $state.raw<QualityGate | null>(null);

  private client: InferenceClient | null = null;
  private ready: Promise<void> | null = null;
  private lastImage: DecodedImage | null = null;
  private lastCheck: QualityGate | null = null;
  private current: AbortController | null = null;

  /** Loads the chosen model (once per model); classification waits for it. */
  loadModel(): Promise<void> {
    const id = this.modelId;
    if (!id) {
      this.error = 'No model is installed in this build. Train one first (see README).';
      return Promise.resolve();
    }
    this.client ??= createInferenceClient(this.forced, () => {
      this.notice =
        'The analysis engine stopped unexpectedly. It was restarted and the photo analysed again.';
    });
    const client = this.client;
    this.busy = 'loading';
    this.loadProgress = 0;
    this.ready = (async () => {
      // The card only sets TTA's default: a card that cannot be read must not stop the model.
      const card = fetchCard(id).catch(() => null);
      const meta = await fetchMeta(id);
      const loaded = await client.load(modelFileUrl(id, 'model.json'), meta, {
        onProgress: (f) => (this.loadProgress = f),
      });
      const ttaDefault = (await card)?.tta?.default ?? null;
      if (this.modelId !== id) return; // the person switched model meanwhile
      this.meta = meta;
      this.loaded = loaded;
      this.ttaDefault = ttaDefault;
      this.error = null;
      if (loaded.repaired.length) {
        this.notice =
          'The copy of the model saved on this device was damaged. It was discarded and ' +
          'downloaded again (checked against its sha256 checksum).';
      }
    })()
      .catch((e: unknown) => {
        this.error = `The model could not be loaded: ${errorText(e)}`;
        throw e;
      })
      .finally(() => {
        if (this.busy === 'loading') this.busy = null;
      });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** As the person set it, else the card's default unless TTA is too slow on this device. */
  get ttaOn(): boolean {
    if (this.ttaChoice !== null) return this.ttaChoice;
    return automaticTta(this.ttaDefault, this.loaded?.ttaCost.ratio ?? null);
  }

  /** Sets TTA on/off (null = automatic), persists it, and re-classifies the last image. */
  async setTta(on: boolean | null): Promise<void> {
    this.ttaChoice = on;
    saveTta(on);
    await this.rerun();
  }

  /** Replaces the result's heat map with Grad-CAM for class `classIndex` (meta.labels order). */
  async explainClass(classIndex: number): Promise<void> {
    const result = this.result;
    if (classIndex < 0 || !result || !this.client || result.heatmap?.classIndex === classIndex)
      return;
    try {
      const heatmap = await this.client.explain(result.meta.id, result.input, classIndex);
      // Dropped if another image or model was classified meanwhile.
      if (this.result?.input === result.input) this.result = { ...this.result, heatmap };
    } catch (e) {
      if (!isAbort(e)) this.error = `The heat map could not be computed: ${errorText(e)}`;
    }
  }

  /** Switches model, persists the choice, and re-classifies the last image with it. */
  async selectModel(id: string): Promise<void> {
    if (id === this.modelId) return;
    this.modelId = id;
    saveModelId(id);
    await this.loadModel().catch(() => undefined);
    await this.rerun();
  }

  /** Classifies the last image again (new model or TTA), unless it waits at the quality gate. */
  private async rerun(): Promise<void> {
    if (this.lastImage && this.lastCheck && !this.gate)
      await this.run(this.lastImage, performance.now(), this.lastCheck);
  }

  /** Forces a backend (null = automatic): a new worker, the model loaded again. */
  async selectBackend(backend: BackendName | null): Promise<void> {
    this.forced = backend;
    saveBackend(backend);
    this.client?.dispose();
    this.client = null;
    this.loaded = null;
    await this.loadModel().catch(() => undefined);
  }

  async classify(source: ImageSource): Promise<void> {
    this.current?.abort();
    try {
      this.busy = 'classifying';
      this.error = null;
      this.notice = null;
      this.gate = null;
      const image: DecodedImage =
        source.kind === 'blob'
          ? await decodeBlob(source.blob)
          : {
              rgba: source.rgba,
              original: { width: source.rgba.width, height: source.rgba.height },
            };
      this.lastImage = image;
      this.lastCheck = null;
      // Measured now, while the model may still be loading (off the critical path); only the
      // 'small' check needs the model's input size, so the decision waits for its meta.
      const measured = measurePhoto(image);
      await (this.ready ?? this.loadModel()).catch(() => undefined);
      if (this.lastImage !== image) return; // a newer photo came in meanwhile
      const check = this.checkQuality(image, measured);
      this.lastCheck = check;
      if (check.problems.length) {
        // Held back until the person chooses: the old result would read as this photo's.
        this.result = null;
        this.gate = check;
        this.busy = null;
        return;
      }
      await this.run(image, source.startedAt, check);
    } catch (e) {
      if (e instanceof ImageInputError) {
        // The old result would read as this file's answer: take it off the screen.
        this.result = null;
        this.error = e.message;
      } else if (!isAbort(e)) this.error = `This image could not be read: ${errorText(e)}`;
      if (this.busy === 'classifying') this.busy = null;
    }
  }

  /** "Analyse anyway": classifies the photo held at the gate; the result keeps its warnings. */
  async analyseAnyway(): Promise<void> {
    const check = this.gate;
    const image = this.lastImage;
    if (!check || !image) return;
    this.gate = null;
    // Timed from this click: the time spent reading the hints is not the app's.
    await this.run(image, performance.now(), check);
  }

  /** "Retake": drops the photo held at the gate without predicting anything. */
  retake(): void {
    this.gate = null;
    this.lastImage = null;
    this.lastCheck = null;
  }

  /** Measures the photo at analysis size (a few ms) and words its problems. */
  private checkQuality(image: DecodedImage, measured: MeasuredPhoto): QualityGate {
    const inputSize = this.meta?.inputSize ?? ANALYSIS_SIZE;
    const problems = qualityProblems(measured.metrics, image.original, inputSize, THRESHOLDS);
    return {
      problems,
      hints: problems.map((p) => problemText(p, image.original, inputSize)),
      preview: measured.preview,
      crop: measured.crop,
    };
  }

  private async run(image: DecodedImage, startedAt: number, check: QualityGate): Promise<void> {
    const { rgba } = image;
    const controller = new AbortController();
    this.current?.abort();
    this.current = controller;
    try {
      this.busy = 'classifying';
      await (this.ready ?? this.loadModel());
      const meta = this.meta;
      const id = this.modelId;
      // A model switch while waiting: selectModel runs the image again with the new model.
      if (!meta || meta.id !== id || !this.client) return;
      const rgb =
        meta.inputSize === ANALYSIS_SIZE ? check.crop : preprocessRgba(rgba, meta.inputSize);
      const input = toModelInput(rgb);
      const prediction = await this.client.classify(id, input, {
        signal: controller.signal,
        tta: this.ttaOn,
        gradcam: meta.gradcamLayer !== undefined,
      });
      const { preview, problems: quality, hints: warnings } = check;
      const heatmap = prediction.heatmap;
      const result = { prediction, meta, preview, quality, warnings, input, heatmap };
      this.result = { ...result, totalMs: null };
      await tick();
      this.result = { ...result, totalMs: performance.now() - startedAt };
    } catch (e) {
      if (!isAbort(e)) this.error = `Classification failed: ${errorText(e)}`;
    } finally {
      if (this.current === controller) {
        this.current = null;
        this.busy = null;
      }
    }
  }

  /** The client, for test hooks and the benchmark. */
  inference(): InferenceClient | null {
    return this.client;
  }
}

export const scan = new ScanState();
