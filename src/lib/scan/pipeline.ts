/**
 * The scan path's pure steps, from a decoded photo to the model's input and from a prediction to
 * the result shown. No DOM, no worker, no Svelte: the scanner (scanner.ts) runs them in order
 * around the model engine, and unit tests run them in Node.
 *
 *   photo -> crop (the crop step's: the spot finder's proposal as the person accepted it)
 *         -> preparePhoto: the crop at analysis and preview size, its quality metrics
 *         -> checkQuality (for the model's input size): problems and hints
 *         -> modelInput, and framedInputs (the same crop framed tighter and wider)
 *   prediction -> notASpot: the not-a-skin-spot check, from the worker's feature distance and the
 *                 model input's skin share, before any probability is shown: refused, or
 *              -> scanResult: with the quality hints, "from afar", and "not a settled answer"
 *                 when a framing reads a higher band (steadiness.ts)
 */
import type { ModelMeta } from '../../shared/meta';
import type { OodSpec } from '../../shared/ood';
import type { HeatMap, Prediction } from '../../shared/protocol';
import {
  eitherFraming,
  notASpotReasons,
  skinFraction,
  type GateEvidence,
  type NotASpotReason,
} from '../gate/not-a-spot';
import type { DecodedImage } from '../image/decode';
import { centreSquare, preprocessRgba, toModelInput, type SquareCrop } from '../image/preprocess';
import { qualityProblems, type QualityProblem } from '../image/quality/gate';
import { AFAR_HINT, takenFromAfar } from '../image/spot/afar';
import { ANALYSIS_SIZE, measureCrop, type QualityMetrics } from '../image/quality/metrics';
import { problemText } from '../image/quality/text';
import { THRESHOLDS } from '../image/quality/thresholds';
import { framedInput } from '../image/framed';
import { riskBand, type RiskBand } from '../../shared/risk';
import { FRAMINGS, higherBandWhenReframed, reframedHint } from './steadiness';

/** Side of the cropped preview shown beside the result and saved as the scan's picture. */
export const PREVIEW_SIZE = 224;

/** A decoded photo: pixels, upright, and its size before any downscaling. */
export type Photo = DecodedImage;

/** The photo's crop, measured: everything that does not depend on the model. */
export interface PreparedPhoto {
  readonly photo: Photo;
  /** The analysed square, in the decoded pixels. */
  readonly crop: SquareCrop;
  /** The crop at ANALYSIS_SIZE, uint8 RGB: what the metrics read, and the 128 model's input. */
  readonly analysis: Uint8Array;
  /** The crop at PREVIEW_SIZE, uint8 RGB. */
  readonly preview: Uint8Array;
  readonly metrics: QualityMetrics;
}

/** What the photo-quality check found: problems (warnings, never a refusal) and hints. */
export interface QualityCheck {
  readonly problems: readonly QualityProblem[];
  /** One hint per problem: what is wrong and what to do. */
  readonly hints: readonly string[];
}

/** A photo held back by the quality check, as the screen shows it until "retake" or "anyway". */
export interface QualityGate extends QualityCheck {
  /** The crop at PREVIEW_SIZE, uint8 RGB. */
  readonly preview: Uint8Array;
}

/** A photo the not-a-skin-spot check refused: shown with what to do instead, never its numbers. */
export interface NotASpot {
  /** The crop at PREVIEW_SIZE, uint8 RGB. */
  readonly preview: Uint8Array;
  /** Every reason that applied (at least one). */
  readonly reasons: readonly NotASpotReason[];
  /**
   * What the photo-quality check found on the same crop (analysed anyway): a blurred or dark
   * photo of a real spot can look unlike the training photos, and the refusal says so.
   */
  readonly photoProblems: readonly QualityProblem[];
  /**
   * The crop is small in the photo (afar.ts), as a result would have said: a spot photographed
   * from afar is refused far more often than its close-up (docs/spot-fill.md), so the refusal
   * asks for a closer photo of it.
   */
  readonly fromAfar: boolean;
}

export interface ScanResult {
  readonly prediction: Prediction;
  readonly meta: ModelMeta;
  /** The crop as the model saw it, at PREVIEW_SIZE, uint8 RGB. */
  readonly preview: Uint8Array;
  /** From the file being chosen (or the shutter) to the result on screen; null until drawn. */
  readonly totalMs: number | null;
  /** The photo's quality problems (analysed anyway), as codes to store with the scan. */
  readonly quality: readonly QualityProblem[];
  /** Why this result is less reliable (blurred, dark, tiny, ...), in words. */
  readonly warnings: readonly string[];
  /** The higher band the crop read framed tighter or wider (steadiness.ts); null: it held. */
  readonly reframedBand: RiskBand | null;
  /** Grad-CAM of the top class, or of the class the person picked. */
  readonly heatmap: HeatMap | null;
}

/** Crops (the centre square unless a crop is given) and measures the photo: a few ms. */
export function preparePhoto(
  photo: Photo,
  crop: SquareCrop = centreSquare(photo.rgba.width, photo.rgba.height),
): PreparedPhoto {
  const analysis = preprocessRgba(photo.rgba, ANALYSIS_SIZE, crop);
  return {
    photo,
    crop,
    analysis,
    preview: preprocessRgba(photo.rgba, PREVIEW_SIZE, crop),
    metrics: measureCrop(analysis),
  };
}

/**
 * The size the "small" check judges and names, in the photo's original pixels: the photo's own
 * for the centre square (it spans the short side), else the crop's side.
 */
export function judgedSize(prepared: PreparedPhoto): { width: number; height: number } {
  const { photo, crop } = prepared;
  const centre = centreSquare(photo.rgba.width, photo.rgba.height);
  if (crop.x0 === centre.x0 && crop.y0 === centre.y0 && crop.side === centre.side) {
    return photo.original;
  }
  const side = Math.round((crop.side * photo.original.width) / photo.rgba.width);
  return { width: side, height: side };
}

/** The quality problems for a model of `inputSize`, with a hint for each, in display order. */
export function checkQuality(prepared: PreparedPhoto, inputSize: number): QualityCheck {
  const size = judgedSize(prepared);
  const problems = qualityProblems(prepared.metrics, size, inputSize, THRESHOLDS);
  return { problems, hints: problems.map((p) => problemText(p, size, inputSize)) };
}

/** The held photo as the quality gate shows it. */
export function qualityGate(prepared: PreparedPhoto, check: QualityCheck): QualityGate {
  return { ...check, preview: prepared.preview };
}

/** The crop at the model's `inputSize`, uint8 RGB (reusing the analysis crop at that size). */
export function modelRgb(prepared: PreparedPhoto, inputSize: number): Uint8Array {
  return inputSize === ANALYSIS_SIZE
    ? prepared.analysis
    : preprocessRgba(prepared.photo.rgba, inputSize, prepared.crop);
}

/** The network's input: the crop at `inputSize`, float32 in [0, 1]. */
export function modelInput(prepared: PreparedPhoto, inputSize: number): Float32Array {
  return toModelInput(modelRgb(prepared, inputSize));
}

/** The crop framed tighter and wider (steadiness.ts FRAMINGS), each as the network's input. */
export function framedInputs(prepared: PreparedPhoto, inputSize: number): Float32Array[] {
  return FRAMINGS.map((scale) => framedInput(prepared.photo.rgba, prepared.crop, scale, inputSize));
}

/**
 * Whether the result (or the refusal) says the spot was photographed from afar (afar.ts): the
 * crop is small in the photo, and the quality check has not already said the spot is small in
 * the crop ("far").
 */
function afarHinted(prepared: PreparedPhoto, check: QualityCheck): boolean {
  const { crop, photo } = prepared;
  return (
    !check.problems.includes('far') && takenFromAfar(crop, photo.rgba.width, photo.rgba.height)
  );
}

/**
 * The gate's evidence on the worker's answer: on the model's input, and where ood.json names a
 * tighter framing, the more skin-spot-like of it and that framing's (`framings`: the inputs sent
 * with the prediction, in FRAMINGS order; their skin share measured on them as uint8, as training does).
 */
export function gateEvidence(
  prediction: Prediction,
  gate: OodSpec,
  rgb: Uint8Array,
  framings: readonly Float32Array[],
): GateEvidence {
  const taken = {
    distance: prediction.featureDistance,
    energy: prediction.energy,
    skinFraction: skinFraction(rgb, gate.skinBox),
  };
  if (gate.tighterFraming === undefined) return taken;
  const index = FRAMINGS.indexOf(gate.tighterFraming);
  const framed = prediction.framedEvidence[index];
  const input = framings[index];
  if (index < 0 || !framed || !input) {
    throw new Error(`the gate reads a ${gate.tighterFraming} framing that was not predicted`);
  }
  const framedRgb = Uint8Array.from(input, (v) => Math.round(v * 255));
  return eitherFraming(taken, { ...framed, skinFraction: skinFraction(framedRgb, gate.skinBox) });
}

/**
 * The not-a-skin-spot check on the worker's answer: the refusal to show, or null when the result
 * may be shown. `rgb` is the model's input (modelRgb): the skin share is measured on exactly what
 * the network saw, as training measured it; `framings` as in gateEvidence.
 */
export function notASpot(
  prediction: Prediction,
  gate: OodSpec,
  rgb: Uint8Array,
  prepared: PreparedPhoto,
  check: QualityCheck,
  framings: readonly Float32Array[],
): NotASpot | null {
  const reasons = notASpotReasons(gateEvidence(prediction, gate, rgb, framings), gate.thresholds);
  return reasons.length
    ? {
        preview: prepared.preview,
        reasons,
        photoProblems: check.problems,
        fromAfar: afarHinted(prepared, check),
      }
    : null;
}

/** The result to show, not yet timed (totalMs is set once it is on screen). */
export function scanResult(
  prediction: Prediction,
  meta: ModelMeta,
  prepared: PreparedPhoto,
  check: QualityCheck,
): ScanResult {
  const shown = riskBand(prediction.malignantRisk, meta.risk);
  const higher = higherBandWhenReframed(shown, prediction.framedRisks, meta.risk);
  return {
    prediction,
    meta,
    preview: prepared.preview,
    totalMs: null,
    quality: check.problems,
    warnings: [
      ...check.hints,
      ...(afarHinted(prepared, check) ? [AFAR_HINT] : []),
      ...(higher ? [reframedHint(higher)] : []),
    ],
    reframedBand: higher,
    heatmap: prediction.heatmap,
  };
}
