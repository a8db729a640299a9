/**
 * Follow-up reminders: when a spot with a re-check interval is due to be scanned again (its
 * latest scan, or its creation if it has none, plus the interval). Dates are days of the person's
 * own calendar, not instants: "3 months after 31 January" is the last day of April, and a spot is
 * due on its day from the morning on, whatever the time of the scan. Pure.
 */
import type { RecheckMonths, ScanRecord, SpotRecord } from '../storage/schema';

/** A day of the calendar: month 1..12, day 1..31. */
export interface Day {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The local calendar day of an instant (ms since the epoch). */
export function dayOf(ms: number): Day {
  const d = new Date(ms);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

const daysIn = (year: number, month: number): number => new Date(year, month, 0).getDate();

/** `months` later, on the same day of the month, or that month's last day if it is shorter. */
export function addMonths(from: Day, months: number): Day {
  const index = from.year * 12 + (from.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(from.day, daysIn(year, month)) };
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export const compareDays = (a: Day, b: Day): number =>
  a.year - b.year || a.month - b.month || a.day - b.day;

/** 2026-06-03 -> "20260603" (iCalendar's DATE form). */
export const basicDate = (d: Day): string =>
  `${String(d.year).padStart(4, '0')}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;

export interface Recheck {
  readonly spot: SpotRecord;
  readonly months: RecheckMonths;
  /** The latest scan of the spot (ms), or the spot's creation if it has no scan. */
  readonly since: number;
  readonly due: Day;
  /** Due today or earlier. */
  readonly isDue: boolean;
}

/** A spot's next re-check, or null when it has no interval. */
export function recheckOf(
  spot: SpotRecord,
  scans: readonly ScanRecord[],
  now: number,
): Recheck | null {
  const months = spot.recheckMonths;
  if (months === undefined) return null;
  const since = scans.reduce(
    (latest, s) => (s.spotId === spot.id && s.createdAt > latest ? s.createdAt : latest),
    -Infinity,
  );
  const from = since === -Infinity ? spot.createdAt : since;
  const due = addMonths(dayOf(from), months);
  return { spot, months, since: from, due, isDue: compareDays(due, dayOf(now)) <= 0 };
}

/** The spots due for a re-check today (or overdue), the longest overdue first. */
export function dueSpots(
  spots: readonly SpotRecord[],
  scans: readonly ScanRecord[],
  now: number,
): Recheck[] {
  return spots
    .flatMap((spot) => {
      const r = recheckOf(spot, scans, now);
      return r?.isDue ? [r] : [];
    })
    .sort((a, b) => compareDays(a.due, b.due));
}
