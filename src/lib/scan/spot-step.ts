/**
 * The scan path's spot-finding step: the spot finder's proposal for a decoded photo, found in the
 * spot worker (it costs more than a frame on a 12 MP photo) with a small copy of the photo for the
 * crop step. If the worker fails but hands the pixels back, the finder runs here instead.
 */
import { errorText } from '../../shared/errors';
import { SpotWorkerClient, spotWorkerFailure } from '../image/spot/client';
import { findSpot, type SpotResult } from '../image/spot/find';
import { DISPLAY_LONG_SIDE, displaySize } from '../image/spot/protocol';
import type { RgbaImage, SquareCrop } from '../image/preprocess';
import { ANALYSIS_SIZE } from '../image/quality/metrics';
import { atLeast, type PhotoSize } from '../image/spot/adjust';
import type { Photo } from './pipeline';

/** A photo with the spot finder's answer and the copy of it the crop step shows. */
export interface SpottedPhoto {
  /** The photo (its pixels may have travelled to the worker and back). */
  readonly photo: Photo;
  readonly spot: SpotResult;
  /** The photo at most DISPLAY_LONG_SIDE on its long side; null where none can be made (Node). */
  readonly display: ImageBitmap | null;
}

export type SpotFinder = (photo: Photo) => Promise<SpottedPhoto>;

/**
 * The crop the crop step proposes: the finder's, never smaller than the analysis size (128, the
 * largest model input) where the photo has the pixels. On a small close-up (a 200 x 150
 * dermatoscope image) the finder's square can be ~100 px; proposed as is, it would be enlarged
 * and held as "small" by the quality check.
 */
export function proposedCrop(spot: SpotResult, size: PhotoSize): SquareCrop {
  return atLeast(spot.crop, ANALYSIS_SIZE, size);
}

/** The finder on this thread, without a display copy: for Node (tests, scripts). */
export const findSpotHere: SpotFinder = (photo) =>
  Promise.resolve({ photo, spot: findSpot(photo.rgba), display: null });

/** A copy of a photo for the crop step to show, or null where none can be made (Node). */
export type DisplayCopier = (image: RgbaImage) => Promise<ImageBitmap | null>;

/** The display copy made on this thread (the worker's fallback, and "Crop again"). */
async function displayHere(image: RgbaImage): Promise<ImageBitmap> {
  const { width, height } = image;
  const data = clampedView(image.data);
  const size = displaySize(width, height, DISPLAY_LONG_SIDE);
  return createImageBitmap(new ImageData(data, width, height), {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'medium',
  });
}

/**
 * The pixels as ImageData wants them, without copying a 12 MP photo (48 MB) on this thread where
 * a view will do (createImageBitmap takes its own copy); a shared buffer, which ImageData
 * refuses, is copied.
 */
function clampedView(data: Uint8ClampedArray | Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const { buffer } = data;
  if (!(buffer instanceof ArrayBuffer)) return new Uint8ClampedArray(data);
  return new Uint8ClampedArray(buffer, data.byteOffset, data.byteLength);
}

/** The finder in the spot worker; falls back to this thread when the worker fails. */
export function spotFinderInWorker(
  client: Pick<SpotWorkerClient, 'find'> = new SpotWorkerClient(),
): SpotFinder {
  return async (photo) => {
    try {
      const found = await client.find(photo.rgba);
      return { photo: { ...photo, rgba: found.image }, spot: found.result, display: found.display };
    } catch (error) {
      const { message, image } = spotWorkerFailure(error);
      // The pixels went down with the worker: the photo has to be taken or chosen again.
      if (!image) {
        const sentence = message.endsWith('.') ? message : `${message}.`;
        throw new Error(`${sentence} Please take or choose the photo again.`, { cause: error });
      }
      const here = { ...photo, rgba: image };
      try {
        return { photo: here, spot: findSpot(image), display: await displayHere(image) };
      } catch (e) {
        throw new Error(`The spot could not be looked for: ${errorText(e)}`, { cause: e });
      }
    }
  };
}

/** The display copy where the page can draw one (createImageBitmap), else none (Node). */
export const defaultDisplayCopier = (): DisplayCopier =>
  typeof createImageBitmap === 'undefined' ? () => Promise.resolve(null) : displayHere;

/** The app's finder: in a worker where there are workers, else here. */
export const defaultSpotFinder = (): SpotFinder =>
  typeof Worker === 'undefined' ? findSpotHere : spotFinderInWorker();
