import { describe, expect, it } from 'vitest';
import type { ScanRecord, SpotRecord } from '../../src/lib/storage/schema';
import {
  addMonths,
  basicDate,
  compareDays,
  dayOf,
  dueSpots,
  recheckOf,
} from '../../src/lib/tracking/recheck';
import { reminderEvent, reminderFileName } from '../../src/lib/tracking/reminder';

/** Local noon of a calendar day (whatever the machine's time zone). */
const at = (year: number, month: number, day: number, hour = 12): number =>
  new Date(year, month - 1, day, hour).getTime();

const spot = (id: string, months?: 1 | 3 | 6 | 12, createdAt = at(2025, 1, 1)): SpotRecord => ({
  id,
  name: `Spot ${id}`,
  createdAt,
  ...(months ? { recheckMonths: months } : {}),
});
const scan = (spotId: string | undefined, createdAt: number) =>
  ({ id: `${spotId}-${createdAt}`, createdAt, ...(spotId ? { spotId } : {}) }) as ScanRecord;

describe('month arithmetic', () => {
  it.each([
    [{ year: 2026, month: 1, day: 31 }, 1, { year: 2026, month: 2, day: 28 }],
    [{ year: 2028, month: 1, day: 31 }, 1, { year: 2028, month: 2, day: 29 }], // leap year
    [{ year: 2026, month: 1, day: 31 }, 3, { year: 2026, month: 4, day: 30 }],
    [{ year: 2026, month: 8, day: 31 }, 6, { year: 2027, month: 2, day: 28 }],
    [{ year: 2026, month: 11, day: 30 }, 3, { year: 2027, month: 2, day: 28 }],
    [{ year: 2026, month: 12, day: 15 }, 1, { year: 2027, month: 1, day: 15 }],
    [{ year: 2024, month: 2, day: 29 }, 12, { year: 2025, month: 2, day: 28 }],
    [{ year: 2026, month: 3, day: 31 }, 12, { year: 2027, month: 3, day: 31 }],
  ])('%o + %i months = %o', (from, months, to) => {
    expect(addMonths(from, months)).toEqual(to);
  });

  it('orders days and writes them in the iCalendar form', () => {
    expect(
      compareDays({ year: 2026, month: 2, day: 1 }, { year: 2026, month: 1, day: 31 }),
    ).toBeGreaterThan(0);
    expect(compareDays({ year: 2026, month: 2, day: 1 }, { year: 2026, month: 2, day: 1 })).toBe(0);
    expect(basicDate({ year: 2026, month: 6, day: 3 })).toBe('20260603');
    // Late in the evening is still that day, in the person's own calendar.
    expect(dayOf(at(2026, 1, 31, 23))).toEqual({ year: 2026, month: 1, day: 31 });
  });
});

describe('which spots are due', () => {
  it('latest scan + interval <= today, by calendar day, month ends clamped', () => {
    const scans = [
      scan('a', at(2026, 1, 31, 23)), // due 30 Apr (3 months)
      scan('a', at(2025, 10, 1)), // older: ignored
      scan('b', at(2026, 2, 15)), // due 15 Mar (1 month)
      scan('c', at(2026, 4, 1)), // due 1 Oct (6 months): not yet
      scan(undefined, at(2026, 4, 30)), // in no spot
    ];
    const spots = [
      spot('a', 3),
      spot('b', 1),
      spot('c', 6),
      spot('d'),
      spot('e', 12, at(2025, 4, 30)),
    ];
    expect(dueSpots(spots, scans, at(2026, 4, 29, 23)).map((r) => r.spot.id)).toEqual(['b']);
    // On the due day itself, from the morning on.
    const onTheDay = dueSpots(spots, scans, at(2026, 4, 30, 0));
    expect(onTheDay.map((r) => r.spot.id)).toEqual(['b', 'a', 'e']);
    expect(onTheDay[1]).toMatchObject({
      months: 3,
      since: at(2026, 1, 31, 23),
      due: { year: 2026, month: 4, day: 30 },
      isDue: true,
    });
    // A spot with no scan counts from its creation; one with no interval is never due.
    expect(onTheDay[2]?.since).toBe(at(2025, 4, 30));
    expect(recheckOf(spots[3]!, scans, at(2030, 1, 1))).toBeNull();
    expect(recheckOf(spots[2]!, scans, at(2026, 4, 30))).toMatchObject({
      due: { year: 2026, month: 10, day: 1 },
      isDue: false,
    });
  });

  it('the reminder: on the due day, or today once that has passed; one uid per spot', () => {
    const r = recheckOf(spot('a', 3), [scan('a', at(2026, 1, 31))], at(2026, 2, 1))!;
    const ahead = reminderEvent(r, at(2026, 2, 1), 'https://app.example/');
    expect(ahead).toMatchObject({
      uid: 'recheck-a@dermlens',
      day: { year: 2026, month: 4, day: 30 },
      summary: 'Re-check skin spot: Spot a',
      url: 'https://app.example/#/spots/a',
    });
    const late = reminderEvent(r, at(2026, 6, 10), 'https://app.example/');
    expect(late.day).toEqual({ year: 2026, month: 6, day: 10 });
    expect(late.uid).toBe(ahead.uid);
    expect(reminderFileName('Left shoulder mole!')).toBe('dermlens-recheck-left-shoulder-mole.ics');
    expect(reminderFileName('€€€')).toBe('dermlens-recheck-spot.ics');
    expect(reminderFileName('Mole (Fuß)')).toBe('dermlens-recheck-mole-fu.ics');
  });
});
