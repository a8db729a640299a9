/**
 * Messages between the page and the spot worker (src/spot-worker/): the decoded photo goes there
 * and comes back (its pixel buffer transferred both ways, never copied), with the spot finder's
 * answer and a small copy of the photo to show in the crop step. Types only: both sides import it.
 */
import type { SpotResult } from './find';

/** Long side, in pixels, of the copy of the photo the crop step shows (sharp on a 3x phone). */
export const DISPLAY_LONG_SIDE = 1280;

/** Page -> worker: find the spot in this photo (straight RGBA, width x height). */
export interface FindSpotRequest {
  readonly id: number;
  readonly type: 'find';
  readonly width: number;
  readonly height: number;
  /** The photo's RGBA bytes, transferred: the page cannot read them until the reply. */
  readonly pixels: ArrayBuffer;
  /** Long side of the display copy to make; 0 for none (timing runs). */
  readonly displayLongSide: number;
}

/** Worker -> page: the answer, with the pixel buffer handed back. */
export type FindSpotReply =
  | {
      readonly id: number;
      readonly type: 'found';
      readonly result: SpotResult;
      readonly pixels: ArrayBuffer;
      /** The photo at DISPLAY_LONG_SIDE (never larger than itself), or null if none was asked. */
      readonly display: ImageBitmap | null;
      /** Time spent in findSpot alone, ms. */
      readonly findMs: number;
    }
  | {
      readonly id: number;
      readonly type: 'failed';
      readonly message: string;
      readonly pixels: ArrayBuffer;
    };

/** The display copy's size for a photo: long side DISPLAY_LONG_SIDE at most, never enlarged. */
export function displaySize(
  width: number,
  height: number,
  longSide: number,
): { width: number; height: number } {
  const k = Math.min(1, longSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}
