/**
 * The scanning state shared by the UI: which model, its loading, and the latest result.
 * Images go decode -> preprocess (main thread, pure TS) -> worker; nothing leaves the device.
 */
import { tick } from 'svelte';
import type { BackendName } from '../../shared/backends';
import type { ModelMeta } from '../../shared/meta';
import { resolveModelId } from '../../shared/models';
import { TTA_MAX_RATIO, type HeatMap, type Prediction } from '../../shared/protocol';
import { decodeBlob, type DecodedImage } from '../image/decode';
import { ImageInputError } from '../image/problems';
import { inputWarnings, warningText } from '../image/quality';
import { preprocessRgba, toModelInput, type RgbaImage } from '../image/preprocess';
import type { InferenceClient, LoadedModel } from '../inference/client';
import { createInferenceClient } from '../inference/create';
import { fetchMeta, modelFileUrl, SHIPPED_MODELS } from '../inference/models';
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
  /** Why this result is less reliable (tiny or black-and-white image), in words. */
  readonly warnings: readonly string[];
  /** The model's input, kept to explain another class without preprocessing again. */
  readonly input: Float32Array;
  /** Grad-CAM of the top class, or of the class the person picked. */
  readonly heatmap: HeatMap | null;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
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

  private client: InferenceClient | null = null;
  private ready: Promise<void> | null = null;
  private lastImage: DecodedImage | null = null;
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
      const meta = await fetchMeta(id);
      const loaded = await client.load(modelFileUrl(id, 'model.json'), meta, {
        onProgress: (f) => (this.loadProgress = f),
      });
      if (this.modelId !== id) return; // the person switched model meanwhile
      this.meta = meta;
      this.loaded = loaded;
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

  /** TTA unless the person turned it off, or (automatic) it costs > TTA_MAX_RATIO predictions. */
  get ttaOn(): boolean {
    if (this.ttaChoice !== null) return this.ttaChoice;
    return this.loaded !== null && this.loaded.ttaCost.ratio <= TTA_MAX_RATIO;
  }

  /** Sets TTA on/off (null = automatic), persists it, and re-classifies the last image. */
  async setTta(on: boolean | null): Promise<void> {
    this.ttaChoice = on;
    saveTta(on);
    if (this.lastImage) await this.run(this.lastImage, performance.now());
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
    if (this.lastImage) await this.run(this.lastImage, performance.now());
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
      const image: DecodedImage =
        source.kind === 'blob'
          ? await decodeBlob(source.blob)
          : {
              rgba: source.rgba,
              original: { width: source.rgba.width, height: source.rgba.height },
            };
      this.lastImage = image;
      await this.run(image, source.startedAt);
    } catch (e) {
      if (e instanceof ImageInputError) {
        // The old result would read as this file's answer: take it off the screen.
        this.result = null;
        this.error = e.message;
      } else if (!isAbort(e)) this.error = `This image could not be read: ${errorText(e)}`;
      if (this.busy === 'classifying') this.busy = null;
    }
  }

  private async run(image: DecodedImage, startedAt: number): Promise<void> {
    const { rgba, original } = image;
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
      const input = toModelInput(preprocessRgba(rgba, meta.inputSize));
      const prediction = await this.client.classify(id, input, {
        signal: controller.signal,
        tta: this.ttaOn,
        gradcam: meta.gradcamLayer !== undefined,
      });
      const preview = preprocessRgba(rgba, PREVIEW_SIZE);
      const warnings = inputWarnings(original, meta.inputSize, preview).map((w) =>
        warningText(w, original, meta.inputSize),
      );
      const heatmap = prediction.heatmap;
      this.result = { prediction, meta, preview, totalMs: null, warnings, input, heatmap };
      await tick();
      const totalMs = performance.now() - startedAt;
      this.result = { prediction, meta, preview, totalMs, warnings, input, heatmap };
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
