/** The Spots page's list: each spot with how many scans it has and its latest risk. Pure. */
import type { ScanRecord, SpotRecord } from '../storage/schema';

export interface SpotSummary {
  readonly spot: SpotRecord;
  readonly count: number;
  /** The spot's newest scan, if it has any. */
  readonly latest: ScanRecord | null;
}

export function summarise(
  spots: readonly SpotRecord[],
  scans: readonly ScanRecord[],
): SpotSummary[] {
  return spots.map((spot) => {
    const mine = scans.filter((s) => s.spotId === spot.id);
    const latest = mine.reduce<ScanRecord | null>(
      (a, s) => (a === null || s.createdAt > a.createdAt ? s : a),
      null,
    );
    return { spot, count: mine.length, latest };
  });
}
