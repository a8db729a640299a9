/**
 * A re-check reminder as an iCalendar file (RFC 5545) that a phone's calendar imports: one
 * all-day VEVENT. Text values are escaped (backslash, semicolon, comma, line breaks), lines end
 * in CRLF and are folded at 75 octets of UTF-8 without cutting a character in two. Pure.
 */
import { basicDate, type Day } from './recheck';

export interface CalendarEvent {
  /** Stable for the same reminder, so adding it again updates the event instead of doubling it. */
  readonly uid: string;
  /** When the file is made (ms since the epoch): DTSTAMP. */
  readonly stamp: number;
  /** The day of the all-day event. */
  readonly day: Day;
  readonly summary: string;
  readonly description: string;
  /** A link back into the app (the spot's page); optional. */
  readonly url?: string;
}

/** TEXT escaping (RFC 5545 3.3.11). */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();
const LIMIT = 75;

/**
 * One content line folded (RFC 5545 3.1): at most 75 octets per physical line, a continuation
 * line starting with one space (which counts), split only between characters.
 */
export function fold(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > LIMIT) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join('\r\n');
}

/** UTC date-time in the basic form: 20260603T091500Z. */
function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The day after (DTEND of an all-day event is exclusive). */
function nextDay({ year, month, day }: Day): Day {
  const d = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The whole .ics file's text. */
export function calendarFile(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//DermLens//Re-check reminder//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART;VALUE=DATE:${basicDate(event.day)}`,
    `DTEND;VALUE=DATE:${basicDate(nextDay(event.day))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    ...(event.url ? [`URL:${event.url}`] : []),
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
