/**
 * One scan, from the photo to the result: decode, find the spot (spot-step.ts, in a worker), wait
 * for the crop the person accepts (the crop step), prepare it (pipeline.ts), wait for the active
 * model, the quality decision, the prediction (the model engine), the not-a-skin-spot check, the
 * result. It keeps the last photo, so "analyse anyway" and a change of model, backend or TTA run
 * it again without decoding it twice. Nothing here touches Svelte; decoding and the spot finder
 * are injected.
 */
import { errorText, isAbort } from '../../shared/errors';
import type { Prediction } from '../../shared/protocol';
import { decodeBlob } from '../image/decode';
import { toModelInput, type RgbaImage, type SquareCrop } from '../image/preprocess';
import { ImageInputError } from '../image/problems';
import type { PhotoSize } from '../image/spot/adjust';
import type { SpotResult } from '../image/spot/find';
import { ANALYSIS_SIZE } from '../image/quality/metrics';
import type { ActiveModel } from '../inference/engine';
import { GateUnavailableError } from '../inference/models';
import {
  checkQuality,
  framedInputs,
  modelRgb,
  notASpot,
  preparePhoto,
  qualityGate,
  scanResult,
  type NotASpot,
  type Photo,
  type PreparedPhoto,
  type QualityCheck,
  type QualityGate,
  type ScanResult,
} from './pipeline';
import {
  defaultDisplayCopier,
  defaultSpotFinder,
  proposedCrop,
  type DisplayCopier,
  type SpotFinder,
} from './spot-step';

/** A photo as it comes in, and when (the shutter or the file being chosen), for its timing. */
export type ImageSource =
  | { readonly kind: 'blob'; readonly blob: Blob; readonly startedAt: number }
  | { readonly kind: 'pixels'; readonly rgba: RgbaImage; readonly startedAt: number };

/** The spot finder's proposal for a new photo, shown at the crop step until the person decides. */
export interface CropProposal {
  /** The decoded photo's size: the crop is in these pixels. */
  readonly size: PhotoSize;
  /** The crop proposed (spot-step.ts proposedCrop; the centre square when nothing was found). */
  readonly crop: SquareCrop;
  /** The finder's answer: found or why not, its region, its confidence. */
  readonly spot: SpotResult;
  /** The photo to show (at most DISPLAY_LONG_SIDE), or null where none could be made. */
  readonly display: ImageBitmap | null;
  /**
   * "Crop again": the photo is back after the not-a-skin-spot check refused its square, or the
   * photo-quality check held it, and `crop` is that square (the crop step says which, and asks
   * for a tighter square round the spot).
   */
  readonly again?: 'refused' | 'held';
}

export type ScanOutcome =
  /** The photo is decoded and its spot looked for: the crop step waits for the person. */
  | { readonly kind: 'crop'; readonly proposal: CropProposal }
  /** The quality check found problems: shown until "retake" or "analyse anyway". */
  | { readonly kind: 'held'; readonly gate: QualityGate }
  | { readonly kind: 'result'; readonly result: ScanResult }
  /**
   * The not-a-skin-spot check refused the photo: what to do instead, and no number at all (the
   * prediction is dropped here, no result is built, so nothing can be shown or saved).
   */
  | { readonly kind: 'not-a-spot'; readonly refusal: NotASpot }
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
  /** `framings`: the crop framed tighter and wider (steadiness.ts), their risks in framedRisks. */
  classify(
    model: ActiveModel,
    input: Float32Array,
    signal: AbortSignal,
    framings: readonly Float32Array[],
  ): Promise<Prediction>;
}

/**
 * The last photo: its crop, its quality decision once made, whether it waits at the quality
 * gate, and whether the not-a-skin-spot check refused it (the last model that judged it did).
 */
interface LastPhoto {
  readonly prepared: PreparedPhoto;
  /** The spot finder's answer for the photo, for the crop step if it is shown again. */
  readonly spot: SpotResult;
  check: QualityCheck | null;
  held: boolean;
  refused: boolean;
}

const SUPERSEDED: ScanOutcome = { kind: 'superseded' };

export class Scanner {
  private last: LastPhoto | null = null;
  /** Counts photos: a scan whose photo is no longer the newest stops at its next step. */
  private photos = 0;
  private inFlight: AbortController | null = null;
  /** The turn of a "crop again" whose display copy is being made ("retake" drops it). */
  private recropping: number | null = null;
  /** The photo at the crop step, the finder's answer for it, and its turn. */
  private cropping: {
    readonly photo: Photo;
    readonly spot: SpotResult;
    readonly turn: number;
  } | null = null;

  constructor(
    private readonly engine: ScanEngine,
    private readonly decode: (blob: Blob) => Promise<Photo> = decodeBlob,
    private readonly findSpot: SpotFinder = defaultSpotFinder(),
    private readonly displayCopy: DisplayCopier = defaultDisplayCopier(),
  ) {}

  /** A new photo: decoded and its spot looked for; the crop step then waits for useCrop. */
  async scan(source: ImageSource): Promise<ScanOutcome> {
    const turn = ++this.photos;
    this.inFlight?.abort(); // the previous photo's prediction would read as this one's
    this.cropping = null;
    let spotted: Awaited<ReturnType<SpotFinder>>;
    try {
      const photo: Photo =
        source.kind === 'blob'
          ? await this.decode(source.blob)
          : {
              rgba: source.rgba,
              original: { width: source.rgba.width, height: source.rgba.height },
            };
      if (turn !== this.photos) return SUPERSEDED;
      spotted = await this.findSpot(photo);
    } catch (e) {
      if (e instanceof ImageInputError) return { kind: 'unreadable', message: e.message };
      return { kind: 'failed', message: `This image could not be read: ${errorText(e)}` };
    }
    if (turn !== this.photos) {
      spotted.display?.close();
      return SUPERSEDED;
    }
    // The previous photo is done with: a change of model now must not bring its result back.
    this.last = null;
    this.cropping = { photo: spotted.photo, spot: spotted.spot, turn };
    const { width, height } = spotted.photo.rgba;
    const size = { width, height };
    const crop = proposedCrop(spotted.spot, size);
    return { kind: 'crop', proposal: { size, crop, spot: spotted.spot, display: spotted.display } };
  }

  /**
   * The crop the person accepted (in the decoded photo's pixels): measured, checked, then
   * classified. null when no photo waits at the crop step.
   */
  useCrop(crop: SquareCrop): Promise<ScanOutcome> | null {
    const cropping = this.cropping;
    if (!cropping || cropping.turn !== this.photos) return null;
    this.cropping = null;
    return this.check(cropping.photo, cropping.spot, crop, cropping.turn);
  }

  /**
   * "Crop again" after the not-a-skin-spot check refused the photo or the quality check held it:
   * the same photo back at the crop step, starting from that square. A spot photographed from
   * afar is often refused for the plain skin its square holds round it, and a tighter square round
   * the same spot often passes (docs/not-a-spot.md); one small in its square is held as "spot
   * small in the frame", which a tighter square mends. So the person can try one without taking
   * the photo again; every square meets both checks again. null when the last photo was neither.
   */
  recrop(): Promise<ScanOutcome> | null {
    const last = this.last;
    if (!last?.refused && !last?.held) return null;
    this.last = null;
    const why = last.refused ? 'refused' : 'held';
    this.recropping = ++this.photos;
    return this.cropAgain(last.prepared, last.spot, why, this.photos);
  }

  /** The crop step's proposal for a photo shown again, with a new display copy of it. */
  private async cropAgain(
    prepared: PreparedPhoto,
    spot: SpotResult,
    again: 'refused' | 'held',
    turn: number,
  ): Promise<ScanOutcome> {
    const { photo, crop } = prepared;
    let display: ImageBitmap | null;
    try {
      display = await this.displayCopy(photo.rgba);
    } catch (e) {
      return { kind: 'failed', message: `The photo could not be shown again: ${errorText(e)}` };
    } finally {
      if (this.recropping === turn) this.recropping = null;
    }
    if (turn !== this.photos) {
      display?.close();
      return SUPERSEDED;
    }
    this.cropping = { photo, spot, turn };
    const size = { width: photo.rgba.width, height: photo.rgba.height };
    return { kind: 'crop', proposal: { size, crop, spot, display, again } };
  }

  /** "Cancel" at the crop step: forgets the photo, predicting nothing. */
  cancelCrop(): void {
    this.cropping = null;
  }

  /** The crop prepared (while the model may still load), its quality checked, then classified. */
  private async check(
    photo: Photo,
    spot: SpotResult,
    crop: SquareCrop,
    turn: number,
  ): Promise<ScanOutcome> {
    let prepared: PreparedPhoto;
    try {
      prepared = preparePhoto(photo, crop);
    } catch (e) {
      return { kind: 'failed', message: `This crop could not be used: ${errorText(e)}` };
    }
    const last: LastPhoto = { prepared, spot, check: null, held: false, refused: false };
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
    return this.classify(last, check);
  }

  /** "Analyse anyway": classifies the photo held at the gate; null when none is held. */
  analyseAnyway(): Promise<ScanOutcome> | null {
    const last = this.last;
    if (!last?.held || !last.check) return null;
    last.held = false;
    return this.classify(last, last.check);
  }

  /**
   * "Retake": forgets the photo held at the gate or refused as not a spot (or on its way back to
   * the crop step), predicting nothing.
   */
  retake(): void {
    if (this.last?.held || this.last?.refused) this.last = null;
    // "Crop again" pressed just before: its crop step must not come up after the retake.
    if (this.recropping === this.photos) this.photos += 1;
  }

  /** The last photo again (another model, backend or TTA); null if none, or it waits at the gate. */
  rerun(): Promise<ScanOutcome> | null {
    const last = this.last;
    if (!last?.check || last.held) return null;
    return this.classify(last, last.check);
  }

  /** Predicts the photo, then lets the not-a-skin-spot check decide what may be shown. */
  private async classify(last: LastPhoto, check: QualityCheck): Promise<ScanOutcome> {
    const { prepared } = last;
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    let model: ActiveModel | null = null;
    try {
      model = await this.engine.model();
      // Replaced while waiting: whoever switched model or backend runs the photo again.
      if (controller.signal.aborted || !this.engine.isActive(model)) return SUPERSEDED;
      const rgb = modelRgb(prepared, model.meta.inputSize);
      const framings = framedInputs(prepared, model.meta.inputSize);
      const input = toModelInput(rgb);
      const prediction = await this.engine.classify(model, input, controller.signal, framings);
      // Judged per model: a rerun with another model judges the photo again.
      const refusal = notASpot(prediction, model.gate, rgb, prepared, check, framings);
      last.refused = refusal !== null;
      if (refusal) return { kind: 'not-a-spot', refusal };
      return { kind: 'result', result: scanResult(prediction, model.meta, prepared, check) };
    } catch (e) {
      // Dropped (a newer photo or setting), or its model was replaced (another backend or model)
      // while it ran: not this photo's failure, and whoever replaced it runs the photo again.
      if (isAbort(e) || controller.signal.aborted) return SUPERSEDED;
      if (model && !this.engine.isActive(model)) return SUPERSEDED;
      // Not a failure of this photo: the model is refused, in words that say why.
      if (e instanceof GateUnavailableError) return { kind: 'failed', message: e.message };
      return { kind: 'failed', message: `Classification failed: ${errorText(e)}` };
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }
}
