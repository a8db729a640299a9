/** The saved picture of a scan: the analysed centre crop (uint8 RGB) as a small JPEG. */
import { rgbToRgba } from '../image/preprocess';

export async function rgbThumbnail(rgb: Uint8Array, size: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.putImageData(new ImageData(rgbToRgba(rgb), size, size), 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
