/**
 * The model card's first lines, in plain words: per domain, out of 100 skin cancers and 100
 * harmless spots in testing, how many the model rated medium or high risk. Numbers come from the
 * card's malignant sensitivity and specificity at the "medium" threshold.
 */
import type { ModelCard, TestMetrics } from './model-card';

export interface PlainSummary {
  readonly domain: 'phone' | 'dermoscopic';
  readonly title: string;
  /** Of 100 skin cancers in testing, how many were rated medium or high risk. */
  readonly cancersFlagged: number;
  /** Of 100 harmless spots in testing, how many were rated that high. */
  readonly harmlessFlagged: number;
  readonly cancers: number;
  readonly harmless: number;
  readonly sentence: string;
}

function summary(
  domain: PlainSummary['domain'],
  title: string,
  metrics: TestMetrics,
  what: string,
): PlainSummary {
  const at = metrics.malignant.threshold;
  const cancersFlagged = Math.round(100 * at.sensitivity);
  const harmlessFlagged = Math.round(100 * (1 - at.specificity));
  return {
    domain,
    title,
    cancersFlagged,
    harmlessFlagged,
    cancers: metrics.malignant.positives,
    harmless: metrics.malignant.negatives,
    sentence:
      `Of 100 skin cancers in testing on ${what}, it rated ${cancersFlagged} as medium or high risk ` +
      `(so it missed ${100 - cancersFlagged}); of 100 harmless spots it rated ${harmlessFlagged} that high.`,
  };
}

/** Phone photos first: that is how DermLens is used. */
export function plainSummaries(card: ModelCard): PlainSummary[] {
  const out: PlainSummary[] = [];
  if (card.phone) out.push(summary('phone', 'On phone photos', card.phone, 'phone photos'));
  out.push(summary('dermoscopic', 'On dermoscopic images', card.test, 'dermoscopic images'));
  return out;
}
