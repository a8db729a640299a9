/** The rule that turns measured metrics into a threshold: Youden's J under a false-alarm cap. */

export interface Choice {
  /** Flag a photo when its (oriented) metric is below this. */
  readonly threshold: number;
  /** Share of the originals flagged (false alarms) and of the degraded copies flagged. */
  readonly falseAlarm: number;
  readonly detection: number;
}

/** Share of `values` strictly below `t`. */
export const shareBelow = (values: readonly number[], t: number): number =>
  values.length ? values.filter((v) => v < t).length / values.length : 0;

/**
 * The threshold t (flag when value < t) that maximises Youden's J = detection - false alarm
 * over `degraded` vs `originals`, among those flagging at most `maxFalseAlarm` of the
 * originals. Candidates are the midpoints between neighbouring measured values; ties (an empty
 * gap between samples) resolve to the middle of the gap.
 */
export function chooseThreshold(
  originals: readonly number[],
  degraded: readonly number[],
  maxFalseAlarm: number,
): Choice {
  const values = [...new Set([...originals, ...degraded])].sort((a, b) => a - b);
  const candidates = [(values[0] ?? 0) - 1e-9];
  for (let i = 0; i + 1 < values.length; i++)
    candidates.push(((values[i] as number) + (values[i + 1] as number)) / 2);
  let best: Choice | null = null;
  let tied: number[] = [];
  for (const t of candidates) {
    const falseAlarm = shareBelow(originals, t);
    if (falseAlarm > maxFalseAlarm) break; // only grows with t
    const detection = shareBelow(degraded, t);
    const j = detection - falseAlarm;
    const bestJ = best ? best.detection - best.falseAlarm : -Infinity;
    if (j > bestJ + 1e-12) {
      best = { threshold: t, falseAlarm, detection };
      tied = [t];
    } else if (best && Math.abs(j - bestJ) <= 1e-12 && falseAlarm === best.falseAlarm) {
      tied.push(t);
    }
  }
  if (!best) throw new Error('no threshold meets the false-alarm cap');
  const threshold = ((tied[0] as number) + (tied[tied.length - 1] as number)) / 2;
  return { ...best, threshold };
}
