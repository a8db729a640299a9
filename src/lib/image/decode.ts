/** Browser decoding: file/blob or video frame -> straight RGBA pixels at (nearly) native size. */
import type { RgbaImage } from './preprocess';

/**
 * Above this many pixels the bitmap is downscaled before its pixels are read, so the RGBA copy and
 * the preprocessing scratch stay bounded (a 50 MP photo would need 200 MB of RGBA alone).
 */
export const MAX_DECODE_PIXELS = 16_000_000;

/**
 * Target size for a huge image: still >= `minSide` (4x the largest model input) on its short
 * side, so the area resize afterwards sees plenty of source pixels.
 */
export function decodeSize(
  width: number,
  height: number,
  maxPixels = MAX_DECODE_PIXELS,
): { width: number; height: number } {
  const pixels = width * height;
  if (pixels <= maxPixels) return { width, height };
  const scale = Math.sqrt(maxPixels / pixels);
  return {
    width: Math.max(1, Math.floor(width * scale)),
    height: Math.max(1, Math.floor(height * scale)),
  };
}

/** Reads an ImageBitmap's pixels through a 2D canvas, without any scaling. */
export function bitmapPixels(bitmap: ImageBitmap): RgbaImage {
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

/**
 * Decodes an image file upright (EXIF orientation applied), without colour-space conversion or
 * premultiplication, to match training's PIL decode as closely as the browser allows. A huge
 * image is resized bitmap-to-bitmap (the browser's own memory, not a JS copy) before reading.
 */
export async function decodeBlob(blob: Blob): Promise<RgbaImage> {
  const options: ImageBitmapOptions = {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  };
  let bitmap = await createImageBitmap(blob, options);
  const target = decodeSize(bitmap.width, bitmap.height);
  if (target.width !== bitmap.width) {
    const big = bitmap;
    bitmap = await createImageBitmap(big, {
      ...options,
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'high',
    });
    big.close();
  }
  try {
    return bitmapPixels(bitmap);
  } finally {
    bitmap.close();
  }
}

/** The current frame of a playing video (the camera), at the stream's native resolution. */
export function videoFramePixels(video: HTMLVideoElement): RgbaImage {
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (!width || !height) throw new Error('The camera has not delivered a frame yet.');
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(video, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}
