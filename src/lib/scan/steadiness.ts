/**
 * Does the risk band hold when the same crop is framed a little tighter or wider? On phone
 * close-ups the accurate model keeps its band for only about 80% of reframings by 25%
 * (docs/framing-report.json), and a spot photographed from a little further away, once cropped,
 * most often drops from high to medium (docs/spot-fill.md). So the app also predicts the accepted
 * crop at FRAMINGS, and where one of them reads a HIGHER band than the one shown, the result says
 * so: the shown band is the one-view answer the card measures, and the hint tells the person it
 * is not settled, on the side that matters for a screening aid (a band that would fall
 * instead is not flagged: that would only soften a warning).
 *
 * The framings are fixed, not fitted: those of the framing probe (20% tighter, 25% wider). What
 * the hint costs (how often close-ups get it) and what it catches (far copies whose band fell)
 * is measured by `npm run spot:bands` into docs/spot-bands-report.json (`reframedHinted`,
 * `lowerBandWithReframedHint`).
 */
import type { ModelMeta } from '../../shared/meta';
import { riskBand, type RiskBand } from '../../shared/risk';
import { BAND_TITLE } from '../../ui/text';

/** Crop sides, relative to the accepted crop, that are predicted besides it. */
export const FRAMINGS: readonly number[] = [0.8, 1.25];

const RANK: Record<RiskBand, number> = { low: 0, medium: 1, high: 2 };

/** The highest band among the framings' risks if it is above `shown`, else null. */
export function higherBandWhenReframed(
  shown: RiskBand,
  framedRisks: readonly number[],
  thresholds: ModelMeta['risk'],
): RiskBand | null {
  let highest: RiskBand | null = null;
  for (const risk of framedRisks) {
    const band = riskBand(risk, thresholds);
    if (RANK[band] > RANK[shown] && (highest === null || RANK[band] > RANK[highest])) {
      highest = band;
    }
  }
  return highest;
}

/** A saved scan's line when a framing had read `band` (history, report). */
export function reframedNote(band: RiskBand): string {
  return `Not a settled answer: framed a little tighter or wider, the photo read ${BAND_TITLE[band]}`;
}

/** The hint the result carries when a framing reads `band`, higher than the band shown. */
export function reframedHint(band: RiskBand): string {
  return (
    `Not a settled answer: framed a little tighter or wider, the same photo reads ` +
    `${BAND_TITLE[band]}. Take it as ${BAND_TITLE[band]} until a doctor has looked at the spot, ` +
    `or retake the photo closer with the spot in the middle.`
  );
}
