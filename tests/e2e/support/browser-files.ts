/** Test files that only a browser can make cheaply (JPEG encoding), drawn in the page. */
import type { Page } from '@playwright/test';

export type Pattern = 'spot' | 'dark-left';

/**
 * A JPEG drawn on a canvas in the page: 'spot' is a dark disc on a skin tone, 'dark-left' a
 * skin tone whose left third is dark (to see which way up it ends).
 */
export async function pageJpeg(
  page: Page,
  width: number,
  height: number,
  pattern: Pattern = 'spot',
): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([w, h, p]) => {
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#d29a7a';
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#4a2a1c';
      if (p === 'dark-left') ctx.fillRect(0, 0, w / 3, h);
      else {
        ctx.beginPath();
        ctx.ellipse(w / 2, h / 2, w / 6, h / 5, 0.3, 0, 2 * Math.PI);
        ctx.fill();
      }
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      return btoa(s);
    },
    [width, height, pattern] as const,
  );
  return Buffer.from(base64, 'base64');
}

/**
 * An image file (e.g. a drawn lesion's PNG) stretched to width x height on a canvas in the page
 * and encoded as a JPEG: a photo of any size that still looks, at the model's resolution, like
 * the image it was made from.
 */
export async function pageJpegOf(
  page: Page,
  image: Buffer,
  width: number,
  height: number,
): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([source, w, h]) => {
      const bytes = Uint8Array.from(atob(source), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const canvas = new OffscreenCanvas(w, h);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h);
      bitmap.close();
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      const out = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < out.length; i += 0x8000) {
        s += String.fromCharCode(...out.subarray(i, i + 0x8000));
      }
      return btoa(s);
    },
    [image.toString('base64'), width, height] as const,
  );
  return Buffer.from(base64, 'base64');
}

/**
 * Not a skin spot: a page of rendered text (black on white, as a photographed document or a
 * screenshot of a message looks), drawn with the browser's own fonts, as a PNG.
 */
export async function pageTextPng(page: Page, width: number, height: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([w, h]) => {
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#111111';
      const size = Math.round(h / 18);
      ctx.font = `${size}px sans-serif`;
      const words = 'Dear patient, your appointment is on Monday at ten. Please bring this letter';
      for (let line = 0, y = size * 1.5; y < h - size / 2; line++, y += size * 1.4) {
        ctx.fillText(words.slice(line % 7, (line % 7) + 40), size / 2, y);
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      return btoa(s);
    },
    [width, height] as const,
  );
  return Buffer.from(base64, 'base64');
}

/** Mean RGB of a band of a preview canvas (the result's unless `label` names another), rows or columns as fractions. */
export async function previewMean(
  page: Page,
  band: { x0: number; x1: number; y0: number; y1: number },
  label = 'The analysed part of the photo',
): Promise<number[]> {
  return page.getByLabel(label).evaluate((canvas: HTMLCanvasElement, b) => {
    const { width: w, height: h } = canvas;
    const x = Math.floor(b.x0 * w);
    const y = Math.floor(b.y0 * h);
    const data = canvas
      .getContext('2d')!
      .getImageData(x, y, Math.ceil((b.x1 - b.x0) * w), Math.ceil((b.y1 - b.y0) * h)).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
    return sum.map((v) => v / (data.length / 4));
  }, band);
}
