/**
 * Draws a laid-out report on a canvas and encodes it as PNG, on the device: the file the Share
 * button hands to the phone's share sheet. Text, photos, the chart: nothing is fetched.
 */
import type { Report } from './content';
import { FONTS, fitScale, layoutReport, type Font, type Op } from './layout';

/** The app's own font stack (app.css): system fonts only. */
const FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = '#000000';
const MUTED = '#3d4a4f';
const LINE = '#9aa5a9';

const fontOf = (font: Font): string => `${FONTS[font].weight} ${FONTS[font].size}px ${FAMILY}`;

/** Each entry's photo decoded, or null where a stored photo cannot be read (drawn as a gap). */
async function decode(photos: readonly Blob[]): Promise<(ImageBitmap | null)[]> {
  return Promise.all(photos.map((p) => createImageBitmap(p).catch(() => null)));
}

function draw(ctx: CanvasRenderingContext2D, op: Op, photos: readonly (ImageBitmap | null)[]) {
  switch (op.kind) {
    case 'text':
      ctx.font = fontOf(op.font);
      ctx.fillStyle = op.tone === 'ink' ? INK : MUTED;
      ctx.fillText(op.text, op.x, op.y);
      return;
    case 'photo': {
      const photo = photos[op.entry];
      if (photo) ctx.drawImage(photo, op.x, op.y, op.size, op.size);
      ctx.strokeStyle = LINE;
      ctx.lineWidth = 2;
      ctx.strokeRect(op.x, op.y, op.size, op.size);
      return;
    }
    case 'note':
      // A frame and a bar, not a fill: the PNG may well be printed in black and white.
      ctx.strokeStyle = INK;
      ctx.lineWidth = 2;
      ctx.strokeRect(op.x, op.y, op.width, op.height);
      ctx.fillStyle = INK;
      ctx.fillRect(op.x, op.y, 8, op.height);
      return;
    case 'rule':
      ctx.fillStyle = LINE;
      ctx.fillRect(op.x, op.y, op.width, 2);
      return;
    case 'chart': {
      ctx.font = fontOf('small');
      ctx.textAlign = 'right';
      for (const g of op.chart.grid) {
        ctx.fillStyle = LINE;
        ctx.fillRect(op.x, g.y, op.width, 2);
        ctx.fillStyle = MUTED;
        ctx.fillText(g.label, op.x - 12, g.y - FONTS.small.size / 2);
      }
      ctx.textAlign = 'left';
      ctx.strokeStyle = INK;
      ctx.lineWidth = 4;
      ctx.beginPath();
      op.chart.points.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
      ctx.stroke();
      ctx.fillStyle = INK;
      for (const p of op.chart.points) {
        ctx.beginPath();
        ctx.arc(p.x, p.y, 8, 0, 2 * Math.PI);
        ctx.fill();
      }
      return;
    }
  }
}

/** The report as a PNG, with each entry's photo. */
export async function renderReportPng(report: Report): Promise<Blob> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the report image.');
  const layout = layoutReport(report, (text, font) => {
    ctx.font = fontOf(font);
    return ctx.measureText(text).width;
  });
  const scale = fitScale(layout.width, layout.height);
  canvas.width = Math.round(layout.width * scale);
  canvas.height = Math.round(layout.height * scale);
  // Resizing the canvas reset its state: set it up again.
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.textBaseline = 'top';
  const bitmaps = await decode(report.entries.map((e) => e.photo));
  try {
    for (const op of layout.ops) draw(ctx, op, bitmaps);
  } finally {
    for (const b of bitmaps) b?.close();
  }
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('This browser could not encode the report image.');
  return blob;
}
