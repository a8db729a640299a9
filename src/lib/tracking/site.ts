/**
 * Where a saved scan is on the body, for the screen: a scan in a spot is where its spot is placed
 * on the outline (one place, see storage/site.ts), a scan in no spot where its own site says. Pure.
 */
import type { ScanRecord, SpotRecord } from '../storage/schema';
import { describe } from './body';

/** "Right shoulder (front)", "Back", or null when nothing says where. */
export function siteOf(scan: ScanRecord, spots: readonly SpotRecord[]): string | null {
  if (scan.spotId === undefined) return scan.bodySite ?? null;
  const location = spots.find((s) => s.id === scan.spotId)?.location;
  return location ? describe(location) : null;
}
