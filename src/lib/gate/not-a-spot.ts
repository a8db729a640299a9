/**
 * "This doesn't look like a close-up of a skin spot": the gate's decision, before any probability
 * is shown. Two pieces of evidence, thresholds chosen in training on held-out skin-spot photos of
 * both domains and on made negatives (docs/not-a-spot.md):
 * - the network's own evidence: its features are far from those of its training photos, or its
 *   logits' free energy is high (the worker measures both on the photo as taken);
 * - too little of the square the model sees is skin-coloured (measured here, on the page).
 * Where the model's ood.json names a tighter framing, the crop framed that much tighter is judged
 * too and each check takes the more skin-spot-like of the two (eitherFraming): a spot photographed
 * from afar is cropped with plain skin round it, unlike the training close-ups, and its tighter
 * framing holds less of it; a photo that is no skin spot mostly stays one when framed tighter.
 */
import type { OodSpec, OodThresholds } from '../../shared/ood';

export type NotASpotReason = 'unlike-training-photos' | 'too-little-skin';

export interface GateEvidence {
  /** Squared feature distance to the nearest class of the training photos (from the worker). */
  readonly distance: number;
  /** -logsumexp of the logits of the photo as taken (from the worker). */
  readonly energy: number;
  /** Share of the model input's pixels inside the YCbCr skin box. */
  readonly skinFraction: number;
}

/** ITU-R BT.601 full-range chroma, as training computes it. */
function chroma(r: number, g: number, b: number): [number, number] {
  return [128 - 0.168736 * r - 0.331264 * g + 0.5 * b, 128 + 0.5 * r - 0.418688 * g - 0.081312 * b];
}

/** Share of pixels of an RGB (3 bytes per pixel) image inside the skin box of `spec`. */
export function skinFraction(rgb: Uint8Array, skinBox: OodSpec['skinBox']): number {
  const pixels = rgb.length / 3;
  if (!Number.isInteger(pixels) || pixels === 0) throw new Error('expected RGB bytes');
  let inside = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    const [cb, cr] = chroma(rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number);
    if (cb >= skinBox.cb[0] && cb <= skinBox.cb[1] && cr >= skinBox.cr[0] && cr <= skinBox.cr[1])
      inside++;
  }
  return inside / pixels;
}

/** Per check, the evidence of the framing that looks more like a skin spot (training's either_framing). */
export function eitherFraming(taken: GateEvidence, tighter: GateEvidence): GateEvidence {
  // NaN in either must still refuse: Math.min / Math.max pass NaN on.
  return {
    distance: Math.min(taken.distance, tighter.distance),
    energy: Math.min(taken.energy, tighter.energy),
    skinFraction: Math.max(taken.skinFraction, tighter.skinFraction),
  };
}

/** Why the photo is refused (every reason that applies), or an empty list when it may be analysed. */
export function notASpotReasons(
  evidence: GateEvidence,
  thresholds: OodThresholds,
): NotASpotReason[] {
  const reasons: NotASpotReason[] = [];
  // NaN (a broken feature vector) must refuse, so compare with "not <=".
  const unlike =
    !(evidence.distance <= thresholds.maxDistance) || !(evidence.energy <= thresholds.maxEnergy);
  if (unlike) reasons.push('unlike-training-photos');
  if (!(evidence.skinFraction >= thresholds.minSkinFraction)) reasons.push('too-little-skin');
  return reasons;
}
