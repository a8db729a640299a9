/**
 * The report laid out as one tall page for the shared PNG: every line, photo, box and the chart
 * with its position, computed from the report's words and a measure of text. Drawing it is
 * render.ts's job; this part is pure, so it is tested without a canvas.
 */
import { chartGeometry, type Chart } from './chart';
import { DISCLAIMER_TITLE, HEADINGS, MALIGNANT_TAG, type Report } from './content';
import { wrap } from './wrap';

/** 1240 px: an A4 page's width at 150 dpi, sharp on a phone, readable when printed. */
export const PAGE_WIDTH = 1240;
export const MARGIN = 80;
export const PHOTO = 300;
const GAP = 40;

export type Font = 'title' | 'heading' | 'body' | 'bold' | 'small';
export const FONTS: Readonly<Record<Font, { readonly size: number; readonly weight: 400 | 700 }>> =
  {
    title: { size: 46, weight: 700 },
    heading: { size: 34, weight: 700 },
    body: { size: 28, weight: 400 },
    bold: { size: 28, weight: 700 },
    small: { size: 24, weight: 400 },
  };
const lineHeight = (font: Font): number => Math.round(FONTS[font].size * 1.35);

export type Tone = 'ink' | 'muted';

export type Op =
  | { kind: 'text'; x: number; y: number; text: string; font: Font; tone: Tone }
  /** Entry `entry`'s photo, a square; y is its top. */
  | { kind: 'photo'; x: number; y: number; size: number; entry: number }
  /** The disclaimer's shaded box, drawn under its text. */
  | { kind: 'note'; x: number; y: number; width: number; height: number }
  | { kind: 'rule'; x: number; y: number; width: number }
  | { kind: 'chart'; chart: Chart; x: number; y: number; width: number; height: number };

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly ops: readonly Op[];
}

/** The width of `text` in `font`. */
export type FontMeasure = (text: string, font: Font) => number;

export function layoutReport(report: Report, measure: FontMeasure): Layout {
  const ops: Op[] = [];
  const full = PAGE_WIDTH - 2 * MARGIN;
  let y = MARGIN;

  /** Wrapped text at x, `width` wide, from y down; moves y below it. */
  const text = (value: string, font: Font, x = MARGIN, width = full, tone: Tone = 'ink') => {
    for (const line of wrap(value, width, (t) => measure(t, font))) {
      ops.push({ kind: 'text', x, y, text: line, font, tone });
      y += lineHeight(font);
    }
  };

  text(report.title, 'title');
  y += 10;
  for (const line of report.about) text(line, 'body');
  y += GAP / 2;

  const pad = 24;
  const noteTop = y;
  y += pad;
  text(DISCLAIMER_TITLE, 'bold', MARGIN + pad, full - 2 * pad);
  text(report.disclaimer, 'body', MARGIN + pad, full - 2 * pad);
  y += pad;
  ops.push({ kind: 'note', x: MARGIN, y: noteTop, width: full, height: y - noteTop });
  y += GAP;

  if (report.kind === 'spot' && report.entries.length > 1) {
    text(HEADINGS.chart, 'heading');
    y += 10;
    // Room on the left for the "100%" labels, below for the two dates.
    const box = { x: MARGIN + 90, y: y + 10, width: full - 110, height: 260 };
    ops.push({ kind: 'chart', chart: chartGeometry(report.entries, box), ...box });
    y = box.y + box.height + 16;
    const first = report.entries[0]?.date ?? '';
    const last = report.entries.at(-1)?.date ?? '';
    ops.push({ kind: 'text', x: box.x, y, text: first, font: 'small', tone: 'muted' });
    const lastX = box.x + box.width - measure(last, 'small');
    ops.push({ kind: 'text', x: lastX, y, text: last, font: 'small', tone: 'muted' });
    y += lineHeight('small') + GAP;
  }

  text(HEADINGS.scans(report.entries.length), 'heading');
  y += 10;
  const textX = MARGIN + PHOTO + GAP;
  const textWidth = full - PHOTO - GAP;
  report.entries.forEach((entry, i) => {
    if (i > 0) {
      ops.push({ kind: 'rule', x: MARGIN, y, width: full });
      y += GAP / 2;
    }
    const top = y;
    ops.push({ kind: 'photo', x: MARGIN, y: top, size: PHOTO, entry: i });
    text(entry.date, 'heading', textX, textWidth);
    text(entry.risk, 'bold', textX, textWidth);
    y += 8;
    for (const c of entry.classes) {
      text(c.malignant ? `${c.text} (${MALIGNANT_TAG})` : c.text, 'body', textX, textWidth);
    }
    y += 8;
    for (const line of entry.details) text(line, 'small', textX, textWidth, 'muted');
    y = Math.max(y, top + PHOTO) + GAP / 2;
  });
  y += GAP / 2;

  text(HEADINGS.model(report.models.length), 'heading');
  y += 10;
  for (const model of report.models) {
    text(model.what, 'body');
    if (model.limits) text(model.limits, 'body');
    y += 12;
  }
  y += GAP / 2;
  text(report.footer, 'small', MARGIN, full, 'muted');
  return { width: PAGE_WIDTH, height: Math.ceil(y + MARGIN), ops };
}

/**
 * How much to scale the page down so the canvas stays within what browsers allow: iOS Safari
 * refuses canvases over 16,777,216 pixels (4096²) and every browser one over 32,767 px tall.
 */
export function fitScale(width: number, height: number, maxArea = 16_777_216, maxSide = 32_767) {
  return Math.min(1, Math.sqrt(maxArea / (width * height)), maxSide / height, maxSide / width);
}
