/**
 * A spot's re-check as a calendar event: on its due day, or today if that day has passed (an
 * event in the past would never remind anyone). It names the spot and links to its page in the
 * app; it holds no photo and no result. Pure.
 */
import type { CalendarEvent } from './ics';
import { compareDays, dayOf, type Recheck } from './recheck';

export function reminderEvent(recheck: Recheck, now: number, appUrl: string): CalendarEvent {
  const today = dayOf(now);
  const { spot } = recheck;
  return {
    // One per spot: adding it again after a new scan moves the event instead of adding another.
    uid: `recheck-${spot.id}@dermlens`,
    stamp: now,
    day: compareDays(recheck.due, today) < 0 ? today : recheck.due,
    summary: `Re-check skin spot: ${spot.name}`,
    description:
      `Time to photograph “${spot.name}” again with DermLens and compare it with its last ` +
      'scan. DermLens is a screening aid, not a diagnosis: see a doctor about any change.',
    url: `${appUrl}#/spots/${spot.id}`,
  };
}

/** "dermlens-recheck-left-shoulder-mole.ics" (letters and digits of the name only). */
export function reminderFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `dermlens-recheck-${slug || 'spot'}.ics`;
}
