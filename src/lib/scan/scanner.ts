/**
 * One scan, from the photo to the result: decode, prepare the crop (pipeline.ts), wait for the
 * active model, the quality decision, the prediction (the model engine), the result. It keeps the
 * last photo, so "analyse anyway" and a change of model, backend or TTA run it again without
 * decoding it twice. Nothing here touches Svelte; decoding (a browser API) is injected.
 */
import { errorText } from '../../shared/errors';
import type { Prediction } from '../../shared/protocol';
import { decodeBlob } from '../image/decode';
import type { RgbaImage } from '../image/preprocess';
import { ImageInputError } from '../image/problems';
import { ANALYSIS_SIZE } from '../image/quality/metrics';
import type { ActiveModel } from '../inference/engine';
import {
  checkQuality,
  modelInput,
  preparePhoto,
  qualityGate,
  scanResult,
  type Photo,
  type PreparedPhoto,
  type QualityCheck,
  type QualityGate,
  type ScanResult,
} from './pipeline';

/** A photo as it comes in, and when (the shutter or the file being chosen), for its timing. */
export type ImageSource =
  | { readonly kind: 'blob'; readonly blob: Blob; readonly startedAt: number }
  | { readonly kind: 'pixels'; readonly rgba: RgbaImage; readonly startedAt: number };

export type ScanOutcome =
  /** The quality check found problems: shown until "retake" or "analyse anyway". */
  | { readonly kind: 'held'; readonly gate: QualityGate }
  | { readonly kind: 'result'; readonly result: ScanResult }
  /** The file is not a photo the app can read; the message tells the person what to do. */
  | { readonly kind: 'unreadable'; readonly message: string }
  /** Reading or classifying failed. */
  | { readonly kind: 'failed'; readonly message: string }
  /** A newer photo, model or backend took over: nothing of this scan is to be shown. */
  | { readonly kind: 'superseded' };

/** What the scanner needs of the model engine. */
export interface ScanEngine {
  model(): Promise<ActiveModel>;
  isActive(model: ActiveModel): boolean;
  classify(model: ActiveModel, input: Float32Array, signal: AbortSignal): Promise<Prediction>;
}

/** The last photo: its crop, its quality decision once made, and whether it waits at the gate. */
interface LastPhoto {
  readonly prepared: PreparedPhoto;
  check: QualityCheck | null;
  held: boolean;
}

const SUPERSEDED: ScanOutcome = { kind: 'superseded' };
const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

export class Scanner {
  private last: LastPhoto | null = null;
  /** Counts photos: a scan whose photo is no longer the newest stops at its next step. */
  private photos = 0;
  private inFlight: AbortController | null = null;

  constructor(
    private readonly engine: ScanEngine,
    private readonly decode: (blob: Blob) => Promise<Photo> = decodeBlob,
  ) {}

  /** A new photo: prepared at once (while the model may still load), checked, then classified. */
  async scan(source: ImageSource): Promise<ScanOutcome> {
    const turn = ++this.photos;
    this.inFlight?.abort(); // the previous photo's prediction would read as this one's
    let prepared: PreparedPhoto;
    try {
      const photo: Photo =
        source.kind === 'blob'
          ? await this.decode(source.blob)
          : {
              rgba: source.rgba,
              original: { width: source.rgba.width, height: source.rgba.height },
            };
      if (turn !== this.photos) return SUPERSEDED;
      prepared = preparePhoto(photo);
    } catch (e) {
      if (e instanceof ImageInputError) return { kind: 'unreadable', message: e.message };
      return { kind: 'failed', message: `This image could not be read: ${errorText(e)}` };
    }
    const last: LastPhoto = { prepared, check: null, held: false };
    this.last = last;
    // Only the "small" check needs the model (its input size): wait for it, if it loads at all.
    const model = await this.engine.model().catch(() => null);
    if (turn !== this.photos) return SUPERSEDED;
    const check = checkQuality(prepared, model?.meta.inputSize ?? ANALYSIS_SIZE);
    last.check = check;
    if (check.problems.length) {
      last.held = true;
      return { kind: 'held', gate: qualityGate(prepared, check) };
    }
    return this.classify(prepared, check);
  }

  /** "Analyse anyway": classifies the photo held at the gate; null when none is held. */
  analyseAnyway(): Promise<ScanOutcome> | null {
    const last = this.last;
    if (!last?.held || !last.check) return null;
    last.held = false;
    return this.classify(last.prepared, last.check);
  }

  /** "Retake": forgets the photo held at the gate, predicting nothing. */
  retake(): void {
    if (this.last?.held) this.last = null;
  }

  /** The last photo again (another model, backend or TTA); null if none, or it waits at the gate. */
  rerun(): Promise<ScanOutcome> | null {
    const last = this.last;
    if (!last?.check || last.held) return null;
    return this.classify(last.prepared, last.check);
  }

  private async classify(prepared: PreparedPhoto, check: QualityCheck): Promise<ScanOutcome> {
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const model = await this.engine.model();
      // Replaced while waiting: whoever switched model or backend runs the photo again.
      if (controller.signal.aborted || !this.engine.isActive(model)) return SUPERSEDED;
      const input = modelInput(prepared, model.meta.inputSize);
      const prediction = await this.engine.classify(model, input, controller.signal);
      return { kind: 'result', result: scanResult(prediction, model.meta, prepared, check) };
    } catch (e) {
      if (isAbort(e)) return SUPERSEDED;
      return { kind: 'failed', message: `Classification failed: ${errorText(e)}` };
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }
}
