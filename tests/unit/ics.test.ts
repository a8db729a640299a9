import { describe, expect, it } from 'vitest';
import { calendarFile, escapeText, fold } from '../../src/lib/tracking/ics';

const octets = (s: string): number => new TextEncoder().encode(s).length;

describe('iCalendar text (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and line breaks in TEXT', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets, never inside a UTF-8 character; unfolding gives the line back', () => {
    const line = `SUMMARY:${'Grüße ✓ 🙂 '.repeat(20)}`;
    const folded = fold(line);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(octets(l)).toBeLessThanOrEqual(75);
    for (const l of lines.slice(1)) expect(l.startsWith(' ')).toBe(true);
    // No replacement characters: each piece is whole UTF-8 on its own.
    for (const l of lines) expect(new TextDecoder().decode(new TextEncoder().encode(l))).toBe(l);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(fold('SHORT:1')).toBe('SHORT:1');
    expect(fold('X'.repeat(75))).toBe('X'.repeat(75));
    expect(fold('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
  });

  it('a whole reminder: one VEVENT on a date, CRLF everywhere, stamped in UTC', () => {
    const text = calendarFile({
      uid: 'recheck-spot-1@dermlens',
      stamp: Date.UTC(2026, 5, 15, 9, 30, 5, 123),
      day: { year: 2026, month: 12, day: 31 },
      summary: 'Re-check skin spot: Mole, left; back',
      description: 'Line one\nline two',
      url: 'http://127.0.0.1:4517/#/spots/spot-1',
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n').slice(0, -1)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//DermLens//Re-check reminder//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:recheck-spot-1@dermlens',
      'DTSTAMP:20260615T093005Z',
      'DTSTART;VALUE=DATE:20261231',
      'DTEND;VALUE=DATE:20270101',
      'SUMMARY:Re-check skin spot: Mole\\, left\\; back',
      'DESCRIPTION:Line one\\nline two',
      'URL:http://127.0.0.1:4517/#/spots/spot-1',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
  });
});
