/**
 * The model engine: which model is active and on which backend, whether TTA is on, and the
 * inference worker's life (started on the first load, restarted on the next backend after a
 * crash, replaced when the person forces a backend). Plain TypeScript: the scan state shows what it
 * reports, the scanner asks it for predictions.
 */
import type { BackendName } from '../../shared/backends';
import type { ModelMeta } from '../../shared/meta';
import type { OodSpec } from '../../shared/ood';
import type { HeatMap, Prediction } from '../../shared/protocol';
import type { TtaDefault } from '../card/model-card';
import type { InferenceClient, LoadedModel } from './client';
import { createInferenceClient } from './create';
import { fetchCard, fetchGate, fetchMeta, modelFileUrl } from './models';
import { needsTtaCost, ttaOn } from './tta-default';

/** A loaded, warmed-up model and what the screen says about it. */
export interface ActiveModel {
  readonly meta: ModelMeta;
  /** The not-a-skin-spot gate (ood.json): every loaded model has one, or it is not loaded. */
  readonly gate: OodSpec;
  /** Backend, timings, TTA's measured cost, skipped backends, repaired weight files. */
  readonly loaded: LoadedModel;
  /** The card's automatic TTA setting (null: no readable card, or it has none). */
  readonly ttaDefault: TtaDefault | null;
}

export interface EngineEvents {
  /** Model download progress, 0 to 1. */
  readonly onProgress?: (fraction: number) => void;
  /** The worker died and was replaced; the request in flight was run again. */
  readonly onRestart?: () => void;
}

/** Makes the inference client (the app's real worker; a fake one in unit tests). */
export type ClientFactory = (
  forced: BackendName | null,
  onRestart: (reason: string) => void,
) => InferenceClient;

export class ModelEngine {
  private client: InferenceClient | null = null;
  /** The latest load: the model every scan from now on uses. */
  private latest: Promise<ActiveModel> | null = null;
  /** The latest load's model once it is loaded (null while it loads, or if it failed). */
  private current: ActiveModel | null = null;
  /** Identifies the latest load, so an older one finishing late does not become current. */
  private token: object = {};

  constructor(
    /** A backend to try first; null = automatic choice. */
    private forced: BackendName | null,
    /** TTA as the person set it; null = automatic (the card's default, within this device's cost). */
    public ttaChoice: boolean | null,
    private readonly events: EngineEvents = {},
    private readonly makeClient: ClientFactory = createInferenceClient,
  ) {}

  /**
   * Loads model `id` (meta, gate, card, weights; the first load picks the backend) and makes it
   * active.
   */
  load(id: string): Promise<ActiveModel> {
    const client = this.ensureClient();
    this.current = null;
    const token = {};
    this.token = token;
    const model = (async () => {
      // The card only sets TTA's default: a card that cannot be read must not stop the model.
      const card = fetchCard(id).catch(() => null);
      const meta = await fetchMeta(id);
      // Before the weights: a model without its gate is refused (GateUnavailableError).
      const gate = await fetchGate(meta);
      const ttaDefault = (await card)?.tta?.default ?? null;
      const loaded = await client.load(modelFileUrl(id, 'model.json'), meta, {
        onProgress: (f) => this.events.onProgress?.(f),
        measureTta: needsTtaCost(this.ttaChoice, ttaDefault),
      });
      const active: ActiveModel = { meta, gate, loaded, ttaDefault };
      if (this.token === token) this.current = active;
      return active;
    })();
    model.catch(() => undefined); // the caller sees the failure; nobody else has to
    this.latest = model;
    return model;
  }

  /** The active model, once its load finishes (rejects if it failed, or none was asked for). */
  model(): Promise<ActiveModel> {
    return this.latest ?? Promise.reject(new Error('No model has been loaded.'));
  }

  /** Whether `model` is still the active one (a newer load or backend may have replaced it). */
  isActive(model: ActiveModel): boolean {
    return this.current === model;
  }

  /** Whether TTA is on for `model`: the person's choice, else the automatic one. */
  ttaOn(model: ActiveModel): boolean {
    return ttaOn(this.ttaChoice, model.ttaDefault, model.loaded.ttaCost?.ratio ?? null);
  }

  /** Classifies a model input with TTA as set, and Grad-CAM where the model has a layer for it. */
  classify(
    model: ActiveModel,
    input: Float32Array,
    signal: AbortSignal,
    framings: readonly Float32Array[] = [],
  ): Promise<Prediction> {
    return this.ensureClient().classify(model.meta.id, input, {
      signal,
      framings,
      tta: this.ttaOn(model),
      gradcam: model.meta.gradcamLayer !== undefined,
    });
  }

  /** Grad-CAM for class `classIndex` of a prediction's input (which the worker kept). */
  explain(prediction: Prediction, classIndex: number): Promise<HeatMap> {
    return this.ensureClient().explain(prediction.modelId, prediction.inputId, classIndex);
  }

  /** Forces a backend (null = automatic): the worker is stopped; load() starts a new one. */
  setBackend(backend: BackendName | null): void {
    this.forced = backend;
    this.client?.dispose();
    this.client = null;
    this.latest = null;
    this.current = null;
    this.token = {};
  }

  /** The inference client (started if need be), for the e2e test hooks and the benchmark. */
  inferenceClient(): InferenceClient {
    return this.ensureClient();
  }

  private ensureClient(): InferenceClient {
    this.client ??= this.makeClient(this.forced, () => this.events.onRestart?.());
    return this.client;
  }
}
