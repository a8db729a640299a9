/**
 * A far-away photo made in the test from a real HAM10000 close-up: the close-up shrunk and put
 * off-centre into a 1200 x 1600 frame of skin (src/lib/image/spot/far.ts, as the spot scripts
 * measure), as a JPEG, with where the close-up's centre square went. The images stay in memory.
 */
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import type { RgbaImage, SquareCrop } from '../../../src/lib/image/preprocess';
import type { PixelBox } from '../../../src/lib/image/spot/crop';
import { farCopy } from '../../../src/lib/image/spot/far';

export interface FarPhoto {
  /** The close-up file as it is. */
  readonly closeUp: Buffer;
  /** The far-away copy as a JPEG (quality 92). */
  readonly far: Buffer;
  /** Where the close-up's centre square went, in the copy's pixels. */
  readonly square: PixelBox;
  readonly width: number;
  readonly height: number;
}

export function readJpeg(file: string): RgbaImage {
  const raw = jpeg.decode(readFileSync(file), { useTArray: true });
  return { data: raw.data, width: raw.width, height: raw.height };
}

/** The close-up at `file`, put at (x, y) with a long side of `side` in a 1200 x 1600 frame. */
export function farPhoto(file: string, side: number, x: number, y: number): FarPhoto {
  const width = 1200;
  const height = 1600;
  const copy = farCopy(readJpeg(file), { width, height, side, centre: { x, y }, seed: 5 });
  const far = Buffer.from(jpeg.encode({ ...copy.image, data: copy.image.data }, 92).data);
  return { closeUp: readFileSync(file), far, square: copy.square, width, height };
}

/** A crop step's `data-crop` ("x0 y0 side") as a crop. */
export function parseCrop(attribute: string | null): SquareCrop {
  const [x0, y0, side] = (attribute ?? '').split(' ').map(Number);
  if (![x0, y0, side].every((v) => Number.isFinite(v))) throw new Error(`bad crop ${attribute}`);
  return { x0: x0 as number, y0: y0 as number, side: side as number };
}
