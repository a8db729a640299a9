/**
 * The rule that turns measured metrics into a threshold: Youden's J under a false-alarm cap,
 * then as lenient as possible within a small loss of detection.
 */

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
 * The threshold t (flag when value < t), in two steps:
 * 1. the best Youden's J = detection - false alarm over `degraded` vs `originals`, among the
 *    thresholds flagging at most `maxFalseAlarm` of the originals;
 * 2. the most lenient threshold (the smallest t) whose detection is within `detectionSlack` of
 *    that best one.
 * Why step 2: HAM10000's dermoscopic originals are a narrow sample of good photos. A J-optimal
 * threshold sits at the very edge of their distribution (for clipped highlights: one clipped
 * pixel), so a good phone photo with a shiny highlight, or of darker skin than HAM10000 holds,
 * would be flagged. Giving up a little detection buys distance from that edge.
 * Candidates are midpoints between neighbouring measured values, so the threshold always lies
 * in the middle of a gap between two samples.
 */
export function chooseThreshold(
  originals: readonly number[],
  degraded: readonly number[],
  maxFalseAlarm: number,
  detectionSlack = 0,
): Choice {
  const values = [...new Set([...originals, ...degraded])].sort((a, b) => a - b);
  const candidates = [(values[0] ?? 0) - 1e-9];
  for (let i = 0; i + 1 < values.length; i++)
    candidates.push(((values[i] as number) + (values[i + 1] as number)) / 2);
  const choices: Choice[] = [];
  for (const threshold of candidates) {
    const falseAlarm = shareBelow(originals, threshold);
    if (falseAlarm > maxFalseAlarm) break; // only grows with t
    choices.push({ threshold, falseAlarm, detection: shareBelow(degraded, threshold) });
  }
  if (!choices.length) throw new Error('no threshold meets the false-alarm cap');
  const j = (c: Choice): number => c.detection - c.falseAlarm;
  const best = choices.reduce((a, c) => (j(c) > j(a) + 1e-12 ? c : a));
  // Ascending t: the first that detects enough is the most lenient.
  const lenient = choices.find((c) => c.detection >= best.detection - detectionSlack - 1e-12);
  return lenient ?? best;
}
