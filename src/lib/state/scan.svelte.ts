/**
 * What the scanning screen shows: the chosen model and its loading, TTA and backend settings, the
 * crop proposed for a new photo (the crop step), the photo held at the quality gate, the photo
 * refused as not a skin spot, the latest result, and what went wrong. The work is done by the
 * scanner (lib/scan: photo -> result) and the model engine (lib/inference); this module passes
 * the person's actions to them, once each, and keeps their answers for the screen.
 */
import { tick } from 'svelte';
import { assertNever } from '../../shared/assert';
import type { BackendName } from '../../shared/backends';
import { errorText, isAbort } from '../../shared/errors';
import type { ModelMeta } from '../../shared/meta';
import type { TtaDefault } from '../card/model-card';
import { resolveModelId } from '../inference/choices';
import type { InferenceClient, LoadedModel } from '../inference/client';
import { ModelEngine } from '../inference/engine';
import { SHIPPED_MODELS } from '../inference/models';
import { needsTtaCost, ttaOn } from '../inference/tta-default';
import type { NotASpot, QualityGate, ScanResult } from '../scan/pipeline';
import type { SquareCrop } from '../image/preprocess';
import { Scanner, type CropProposal, type ImageSource, type ScanOutcome } from '../scan/scanner';
import {
  forcedBackend,
  saveBackend,
  saveModelId,
  savedModelId,
  saveTta,
  savedTta,
} from '../settings';

const MESSAGES = {
  noModel: 'No model is installed in this build. Train one first (see README).',
  restarted:
    'The analysis engine stopped unexpectedly. It was restarted and the photo analysed again.',
  repaired:
    'The copy of the model saved on this device was damaged. It was discarded and ' +
    'downloaded again (checked against its sha256 checksum).',
} as const;

class ScanState {
  modelId = $state<string | null>(resolveModelId(savedModelId(), SHIPPED_MODELS));
  forced = $state<BackendName | null>(forcedBackend());
  meta = $state.raw<ModelMeta | null>(null);
  loaded = $state.raw<LoadedModel | null>(null);
  loadProgress = $state(0);
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
  /** The spot finder's crop for the latest photo, waiting for the person to accept or adjust it. */
  cropping = $state.raw<CropProposal | null>(null);
  /** The app's own time from the photo coming in to the crop step: part of "photo to result". */
  cropReadyMs = $state(0);
  /** The latest photo, refused by the not-a-skin-spot check: no result exists for it. */
  refusal = $state.raw<NotASpot | null>(null);

  private loading = $state(false);
  private classifying = $state(false);
  private ready: Promise<void> | null = null;
  /** Counts actions that show an outcome: only the latest one ends "classifying". */
  private turns = 0;

  private readonly engine = new ModelEngine(this.forced, this.ttaChoice, {
    onProgress: (f) => (this.loadProgress = f),
    onRestart: () => (this.notice = MESSAGES.restarted),
  });
  private readonly scanner = new Scanner(this.engine);

  /** What the status line says the app is doing. */
  get busy(): 'loading' | 'classifying' | null {
    return this.loading ? 'loading' : this.classifying ? 'classifying' : null;
  }

  /** As the person set it, else the card's default unless TTA is too slow on this device. */
  get ttaOn(): boolean {
    return ttaOn(this.ttaChoice, this.ttaDefault, this.loaded?.ttaCost?.ratio ?? null);
  }

  /** Loads the chosen model; a photo taken meanwhile waits for it. */
  loadModel(): Promise<void> {
    const id = this.modelId;
    if (!id) {
      this.error = MESSAGES.noModel;
      return Promise.resolve();
    }
    this.loading = true;
    this.loadProgress = 0;
    const ready = this.engine.load(id).then(
      (model) => {
        if (this.ready !== ready) return; // another model or backend was chosen meanwhile
        this.meta = model.meta;
        this.loaded = model.loaded;
        this.ttaDefault = model.ttaDefault;
        this.error = null;
        if (model.loaded.repaired.length) this.notice = MESSAGES.repaired;
      },
      (e: unknown) => {
        if (this.ready === ready) this.error = `The model could not be loaded: ${errorText(e)}`;
        throw e;
      },
    );
    this.ready = ready;
    void ready
      .finally(() => {
        if (this.ready === ready) this.loading = false;
      })
      .catch(() => undefined);
    return ready;
  }

  /** The chosen model, once loaded (loading it if nothing was asked yet). */
  whenLoaded(): Promise<void> {
    return this.ready ?? this.loadModel();
  }

  /** Switches model, persists the choice, and classifies the last photo again with it. */
  async selectModel(id: string): Promise<void> {
    if (id === this.modelId) return;
    this.modelId = id;
    saveModelId(id);
    await this.loadModel().catch(() => undefined);
    await this.show(this.scanner.rerun(), performance.now());
  }

  /** Forces a backend (null = automatic): a new worker, the model loaded again, the photo too. */
  async selectBackend(backend: BackendName | null): Promise<void> {
    this.forced = backend;
    saveBackend(backend);
    this.engine.setBackend(backend);
    this.loaded = null;
    await this.loadModel().catch(() => undefined);
    await this.show(this.scanner.rerun(), performance.now());
  }

  /** Sets TTA on/off (null = automatic), persists it, and classifies the last photo again. */
  async setTta(on: boolean | null): Promise<void> {
    this.ttaChoice = on;
    this.engine.ttaChoice = on;
    saveTta(on);
    // Loaded while TTA could not be on, its cost was not timed; automatic needs it now (the
    // worker keeps the model, so this load only times the 8 views).
    if (this.loaded && this.loaded.ttaCost === null && needsTtaCost(on, this.ttaDefault)) {
      await this.loadModel().catch(() => undefined);
    }
    await this.show(this.scanner.rerun(), performance.now());
  }

  /** A new photo, from its decoding to a result or the quality gate. */
  async classify(source: ImageSource): Promise<void> {
    if (!this.modelId) {
      this.error = MESSAGES.noModel;
      return;
    }
    this.error = null;
    this.notice = null;
    this.gate = null;
    this.refusal = null;
    this.endCropStep();
    await this.show(this.scanner.scan(source), source.startedAt);
  }

  /** The crop step's answer: the square to analyse, in the decoded photo's pixels. */
  async useCrop(crop: SquareCrop): Promise<void> {
    if (!this.cropping) return;
    this.endCropStep();
    // Timed without the person's time at the crop step: the app's time before it, and after.
    await this.show(this.scanner.useCrop(crop), performance.now() - this.cropReadyMs);
  }

  /** "Cancel" at the crop step: the photo is dropped, nothing analysed. */
  cancelCrop(): void {
    this.endCropStep();
    this.scanner.cancelCrop();
  }

  private endCropStep(): void {
    this.cropping?.display?.close();
    this.cropping = null;
  }

  /** "Analyse anyway": classifies the photo held at the gate; the result keeps its warnings. */
  async analyseAnyway(): Promise<void> {
    this.gate = null;
    // Timed from this click: the time spent reading the hints is not the app's.
    await this.show(this.scanner.analyseAnyway(), performance.now());
  }

  /** "Crop again": the refused or held photo back at the crop step, from that square. */
  async recrop(): Promise<void> {
    await this.show(this.scanner.recrop(), performance.now());
  }

  /** "Retake": drops the photo held at the gate, or refused as not a skin spot. */
  retake(): void {
    this.gate = null;
    this.refusal = null;
    this.scanner.retake();
  }

  /**
   * "New scan of this spot": what the screen shows of an earlier photo goes (its result would
   * otherwise be offered for saving into that spot).
   */
  startOver(): void {
    this.endCropStep();
    this.scanner.cancelCrop();
    this.gate = null;
    this.refusal = null;
    this.result = null;
    this.error = null;
    this.scanner.retake();
  }

  /** Replaces the result's heat map with Grad-CAM for class `classIndex` (meta.labels order). */
  async explainClass(classIndex: number): Promise<void> {
    const result = this.result;
    if (classIndex < 0 || !result || result.heatmap?.classIndex === classIndex) return;
    try {
      const heatmap = await this.engine.explain(result.prediction, classIndex);
      // Dropped if another photo or model was classified meanwhile.
      if (this.result?.prediction === result.prediction) this.result = { ...this.result, heatmap };
    } catch (e) {
      // Dropped because the backend changed meanwhile: the photo is analysed again anyway.
      if (isAbort(e)) return;
      if (this.result?.prediction === result.prediction) {
        this.error = `The heat map could not be computed: ${errorText(e)}`;
      }
    }
  }

  /** The inference client, for the e2e test hooks and the benchmark. */
  inference(): InferenceClient {
    return this.engine.inferenceClient();
  }

  /** Puts a scan's outcome on the screen; a result is timed once it has been drawn. */
  private async show(pending: Promise<ScanOutcome> | null, startedAt: number): Promise<void> {
    if (!pending) return;
    const turn = ++this.turns;
    this.classifying = true;
    try {
      const outcome = await pending;
      switch (outcome.kind) {
        case 'crop':
          // A new photo: nothing of the previous one's stays beside its crop step.
          this.result = null;
          this.gate = null;
          this.refusal = null;
          this.cropReadyMs = performance.now() - startedAt;
          this.cropping = outcome.proposal;
          return;
        case 'held':
          // The old result would read as this photo's: it waits for the person's choice.
          this.result = null;
          this.refusal = null;
          this.gate = outcome.gate;
          return;
        case 'not-a-spot':
          // Nothing of a previous photo's result may stay beside this photo's refusal.
          this.error = null;
          this.result = null;
          this.gate = null;
          this.refusal = outcome.refusal;
          return;
        case 'result':
          // An answer for the latest settings: an earlier failure no longer applies.
          this.error = null;
          this.refusal = null;
          this.result = outcome.result;
          await tick();
          if (this.result === outcome.result) {
            this.result = { ...outcome.result, totalMs: performance.now() - startedAt };
          }
          return;
        case 'unreadable':
          // The old result would read as this file's answer: take it off the screen.
          this.result = null;
          this.refusal = null;
          this.error = outcome.message;
          return;
        case 'failed':
          this.error = outcome.message;
          return;
        case 'superseded':
          return;
        default:
          assertNever(outcome, 'scan outcome');
      }
    } finally {
      if (turn === this.turns) this.classifying = false;
    }
  }
}

export const scan = new ScanState();
