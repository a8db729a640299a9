/**
 * The risk-over-time chart's geometry for the canvas report, the rule RiskChart.svelte draws on
 * screen: x by time (evenly spaced if all scans share one time), y from 0% at the bottom to 100%
 * at the top. Pure.
 */

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Chart {
  readonly points: readonly Point[];
  /** The 0%, 50% and 100% lines, with their labels. */
  readonly grid: readonly { readonly y: number; readonly label: string }[];
}

export function chartGeometry(
  series: readonly { readonly createdAt: number; readonly malignantRisk: number }[],
  box: Box,
): Chart {
  const first = series[0]?.createdAt ?? 0;
  const span = (series.at(-1)?.createdAt ?? 0) - first;
  const yOf = (risk: number): number =>
    box.y + box.height - Math.min(1, Math.max(0, risk)) * box.height;
  return {
    points: series.map((s, i) => ({
      x:
        box.x +
        (span > 0 ? (s.createdAt - first) / span : i / Math.max(1, series.length - 1)) * box.width,
      y: yOf(s.malignantRisk),
    })),
    grid: [0, 0.5, 1].map((r) => ({ y: yOf(r), label: `${r * 100}%` })),
  };
}
