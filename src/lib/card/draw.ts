/** Pure helpers for drawing the model card's numbers (tables and SVG charts). */
import type { ReliabilityBin, Reported } from './model-card';

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** A metric as shown: accuracy-like values as percentages, AUCs as 0.xxx; ranges as low–high. */
export function formatReported(value: Reported, kind: 'percent' | 'auc' = 'percent'): string {
  if (value === null || value === undefined) return '–';
  const one = (v: number): string => (kind === 'auc' ? v.toFixed(3) : pct(v));
  if (typeof value === 'number') return one(value);
  const [low, high] = value;
  return kind === 'auc'
    ? `${low.toFixed(3)}–${high.toFixed(3)}`
    : `${(low * 100).toFixed(1)}–${pct(high)}`;
}

/** How dark a confusion-matrix cell is: its share of the true class's images (row-normalised). */
export function cellShade(count: number, rowTotal: number): number {
  return rowTotal > 0 ? count / rowTotal : 0;
}

export interface ReliabilityBar {
  readonly x: number;
  readonly width: number;
  /** Top of the accuracy bar (SVG y grows downwards). */
  readonly y: number;
  readonly height: number;
  /** Where the bar would end if accuracy equalled confidence (the gap to calibration). */
  readonly gapY: number;
  readonly count: number;
}

/** Bars of a reliability diagram on a size x size square; empty bins are left out. */
export function barLayout(bins: readonly ReliabilityBin[], size: number): ReliabilityBar[] {
  return bins.flatMap((b) =>
    b.count > 0 && b.accuracy !== null && b.confidence !== null
      ? [
          {
            x: b.low * size,
            width: (b.high - b.low) * size,
            y: size - b.accuracy * size,
            height: b.accuracy * size,
            gapY: size - b.confidence * size,
            count: b.count,
          },
        ]
      : [],
  );
}
