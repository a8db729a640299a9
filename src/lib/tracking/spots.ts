/** The Spots page's list: each spot with how many scans it has and its latest risk. Pure. */
import type { LesionRecord, ScanRecord } from '../storage/schema';

export interface SpotSummary {
  readonly lesion: LesionRecord;
  readonly count: number;
  /** The spot's newest scan, if it has any. */
  readonly latest: ScanRecord | null;
}

export function summarise(
  lesions: readonly LesionRecord[],
  scans: readonly ScanRecord[],
): SpotSummary[] {
  return lesions.map((lesion) => {
    const mine = scans.filter((s) => s.lesionId === lesion.id);
    const latest = mine.reduce<ScanRecord | null>(
      (a, s) => (a === null || s.createdAt > a.createdAt ? s : a),
      null,
    );
    return { lesion, count: mine.length, latest };
  });
}
