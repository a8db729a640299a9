/** Pure result interpretation: malignant risk, its band, and whether the network is unsure. */
import type { ModelMeta } from './meta';

export type RiskBand = 'low' | 'medium' | 'high';

/** Sum of the probabilities of the malignant classes (mel + bcc + akiec). */
export function malignantRisk(
  probabilities: readonly number[],
  meta: Pick<ModelMeta, 'labels' | 'malignant'>,
): number {
  return meta.labels.reduce(
    (sum, label, i) => (meta.malignant.includes(label) ? sum + (probabilities[i] ?? 0) : sum),
    0,
  );
}

/** "medium" starts at risk.threshold, "high" at risk.high (both chosen on validation). */
export function riskBand(risk: number, thresholds: ModelMeta['risk']): RiskBand {
  if (risk >= thresholds.high) return 'high';
  if (risk >= thresholds.threshold) return 'medium';
  return 'low';
}

export interface RankedClass {
  readonly label: string;
  readonly name: string;
  readonly probability: number;
  readonly malignant: boolean;
}

/** All classes, most probable first, with display names like "Melanoma (mel)". */
export function rankClasses(
  probabilities: readonly number[],
  meta: Pick<ModelMeta, 'labels' | 'labelNames' | 'malignant'>,
): RankedClass[] {
  return meta.labels
    .map((label, i) => ({
      label,
      name: `${meta.labelNames[label] ?? label} (${label})`,
      probability: probabilities[i] ?? 0,
      malignant: meta.malignant.includes(label),
    }))
    .sort((a, b) => b.probability - a.probability);
}

/** Top-1 below this, or a top-1/top-2 margin below MIN_MARGIN, counts as "unsure". */
export const MIN_TOP1 = 0.5;
export const MIN_MARGIN = 0.15;

export function isLowConfidence(probabilities: readonly number[]): boolean {
  const sorted = [...probabilities].sort((a, b) => b - a);
  const top1 = sorted[0] ?? 0;
  const top2 = sorted[1] ?? 0;
  return top1 < MIN_TOP1 || top1 - top2 < MIN_MARGIN;
}
