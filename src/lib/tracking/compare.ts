/**
 * Two saved scans of one spot side by side: the change in malignant risk and in every class
 * probability, in percentage points. Classes are matched by label, never by position, because
 * the two scans may come from different models (different label order or label sets).
 */
import type { ScanRecord } from '../storage/schema';

/** The parts of a saved scan the comparison reads. */
export type Comparable = Pick<
  ScanRecord,
  | 'createdAt'
  | 'modelId'
  | 'modelVersion'
  | 'labels'
  | 'labelNames'
  | 'probabilities'
  | 'malignantRisk'
>;

export type Direction = 'up' | 'down' | 'same';

export interface Change {
  readonly before: number;
  readonly after: number;
  /** after - before, in percentage points (0.12 -> 0.2 is +8). */
  readonly points: number;
  readonly direction: Direction;
}

export interface ClassChange {
  readonly label: string;
  readonly name: string;
  /** null where that scan's model has no such class. */
  readonly before: number | null;
  readonly after: number | null;
  readonly change: Change | null;
}

export interface Comparison {
  /** Same model id and version: only then are the numbers directly comparable. */
  readonly sameModel: boolean;
  readonly risk: Change;
  readonly classes: readonly ClassChange[];
}

/** Changes smaller than this (in points) are called "about the same": below display precision. */
export const SAME_WITHIN_POINTS = 0.5;

export function change(before: number, after: number): Change {
  const points = (after - before) * 100;
  const direction = Math.abs(points) < SAME_WITHIN_POINTS ? 'same' : points > 0 ? 'up' : 'down';
  return { before, after, points, direction };
}

function probabilityOf(scan: Comparable, label: string): number | null {
  const i = scan.labels.indexOf(label);
  return i < 0 ? null : (scan.probabilities[i] ?? null);
}

/** `before` is the earlier scan; the order of the arguments does not matter. */
export function compareScans(a: Comparable, b: Comparable): Comparison {
  const [before, after] = a.createdAt <= b.createdAt ? [a, b] : [b, a];
  const labels = [...before.labels, ...after.labels.filter((l) => !before.labels.includes(l))];
  const classes = labels.map((label): ClassChange => {
    const p = probabilityOf(before, label);
    const q = probabilityOf(after, label);
    return {
      label,
      name: after.labelNames[label] ?? before.labelNames[label] ?? label,
      before: p,
      after: q,
      change: p === null || q === null ? null : change(p, q),
    };
  });
  return {
    sameModel: before.modelId === after.modelId && before.modelVersion === after.modelVersion,
    risk: change(before.malignantRisk, after.malignantRisk),
    classes,
  };
}

/** "+8.0 points", "−3.5 points", "±0 points" (one decimal, a real minus sign). */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '±0.0 points';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)} points`;
}

export const DIRECTION_WORDS: Record<Direction, string> = {
  up: 'higher than before',
  down: 'lower than before',
  same: 'about the same',
};
