/** Words the UI shows for results: plain guidance per risk band. */
import type { RiskBand } from '../shared/risk';

export const BAND_TITLE: Record<RiskBand, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const BAND_GUIDANCE: Record<RiskBand, string> = {
  low:
    'The picture looks most like harmless spots. Keep an eye on it: see a doctor if it grows, ' +
    'changes shape or colour, bleeds, itches or looks different from your other spots.',
  medium:
    'Some features resemble skin cancers. Have it checked by a doctor or dermatologist in the ' +
    'next few weeks, and bring this photo.',
  high:
    'The picture resembles skin cancers. See a dermatologist soon (within days). Early ' +
    'treatment works best.',
};

export const LOW_CONFIDENCE =
  'DermLens is unsure about this image (no class clearly ahead). Retake the photo in good ' +
  'light, in focus, with the spot filling the circle; if in doubt, see a doctor.';

export const DISCLAIMER =
  'DermLens is a screening aid. It learnt mostly from dermoscopic images and a few hundred ' +
  'phone photos, mostly of light skin. It can be wrong, especially on phone photos and on ' +
  'darker skin, which were rare in its training data. Only a doctor can diagnose a skin lesion.';

export const percent = (p: number): string =>
  p >= 0.995 ? '>99%' : p < 0.005 ? '<1%' : `${Math.round(p * 100)}%`;

/** Where on the body a saved spot is (optional); close to HAM10000's localisation values. */
export const BODY_SITES: readonly string[] = [
  'Scalp',
  'Face',
  'Ear',
  'Neck',
  'Chest',
  'Abdomen',
  'Back',
  'Arm',
  'Hand',
  'Leg',
  'Foot',
  'Genital area',
  'Other',
];

export const formatTime = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A calendar day (month 1..12) as "3 Jun 2026", in the person's own language. */
export const formatDay = (d: { year: number; month: number; day: number }): string =>
  new Date(d.year, d.month - 1, d.day).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** A re-check interval in words: "every 3 months". */
export const everyMonths = (months: number): string =>
  months === 1 ? 'every month' : `every ${months} months`;
