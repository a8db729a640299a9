/** Browser decoding: file/blob or video frame -> straight RGBA pixels at (nearly) native size. */
import type { RgbaImage } from './preprocess';
import { ImageInputError } from './problems';
import { sniffImage, SNIFF_BYTES, uprightSize, type FileKind } from './sniff';

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

/** A decoded file, upright, with the size it had before any downscaling. */
export interface DecodedImage {
  readonly rgba: RgbaImage;
  readonly original: { readonly width: number; readonly height: number };
}

/** Why createImageBitmap failed, in the person's terms, from what the bytes said the file is. */
function decodeProblem(kind: FileKind): ImageInputError {
  if (kind === 'heic') return new ImageInputError('heic');
  if (kind === 'unknown') return new ImageInputError('not-image');
  return new ImageInputError('damaged');
}

/**
 * Decodes an image file upright (EXIF orientation applied), without colour-space conversion or
 * premultiplication, to match training's PIL decode as closely as the browser allows. The
 * header is read first: files that are not images are refused with a precise reason, and a
 * huge photo is decoded straight to a bounded size from its header's dimensions (the browser
 * may decode JPEG at a reduced scale; the page never holds a full-size bitmap or pixel copy).
 */
export async function decodeBlob(blob: Blob): Promise<DecodedImage> {
  if (blob.size === 0) throw new ImageInputError('empty');
  const sniffed = sniffImage(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  // SVG is refused outright: it is a drawing, and it may reference other files.
  if (sniffed.kind === 'svg') throw new ImageInputError('svg');
  const options: ImageBitmapOptions = {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  };
  const upright = uprightSize(sniffed);
  const target = upright && decodeSize(upright.width, upright.height);
  const shrink = upright && target && target.width !== upright.width;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(
      blob,
      shrink
        ? {
            ...options,
            resizeWidth: target.width,
            resizeHeight: target.height,
            resizeQuality: 'high',
          }
        : options,
    );
  } catch {
    throw decodeProblem(sniffed.kind);
  }
  const original = upright ?? { width: bitmap.width, height: bitmap.height };
  // A format whose header we do not read (e.g. HEIC where the browser can decode it): shrink
  // bitmap-to-bitmap, still in the browser's memory rather than a JS copy.
  const late = decodeSize(bitmap.width, bitmap.height);
  if (late.width !== bitmap.width) {
    const big = bitmap;
    bitmap = await createImageBitmap(big, {
      ...options,
      resizeWidth: late.width,
      resizeHeight: late.height,
      resizeQuality: 'high',
    });
    big.close();
  }
  try {
    return { rgba: bitmapPixels(bitmap), original };
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
