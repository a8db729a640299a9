/**
 * Test images: real skin-spot close-ups (spot-photos.ts, read from ../shared/data at test time,
 * never committed) in the forms the specs need, and things drawn in code that are not a skin spot
 * at all, for the not-a-skin-spot gate.
 */
import { gaussianBlur, scaled } from '../../../scripts/quality/degrade';
import { encodePng } from '../../../build/png';
import { spotImage } from './spot-photos';
import type { RgbaImage } from '../../../src/lib/image/preprocess';

/** The SPOT_IDS close-up that gatePng degrades. */
const GATE_SPOT = 0;

export interface Drawn {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export function spotPng(width: number, height: number, seed: number, alpha = false): Buffer {
  const d = spotImage(width, height, seed, alpha);
  return encodePng(d.rgba, d.width, d.height);
}

/** The spot photo in shades of grey, as a true greyscale PNG (colour type 0). */
export function greySpotPng(width: number, height: number, seed: number): Buffer {
  const { rgba } = spotImage(width, height, seed);
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const o = i * 4;
    grey[i] = Math.round(
      0.299 * (rgba[o] as number) +
        0.587 * (rgba[o + 1] as number) +
        0.114 * (rgba[o + 2] as number),
    );
  }
  return encodePng(grey, width, height, 1);
}

/**
 * A PNG whose left half is fully transparent (with red behind the zero alpha, which must not
 * show) and whose right half is the opaque spot photo.
 */
export function halfTransparentPng(width: number, height: number, seed: number): Buffer {
  const { rgba } = spotImage(width, height, seed);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width / 2; x++) rgba.set([255, 0, 0, 0], (y * width + x) * 4);
  }
  return encodePng(rgba, width, height);
}

/** Inserts an EXIF block (big-endian TIFF, IFD0 with only Orientation) right after SOI. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    42,
    0,
    0,
    0,
    8, // "MM", 42, IFD0 at 8
    0,
    1, // one entry
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0, // Orientation, SHORT, 1, value
    0,
    0,
    0,
    0, // no next IFD
  ]);
  const app1 = Buffer.concat([
    Buffer.from([0xff, 0xe1]),
    Buffer.from([0, 0]),
    Buffer.from('Exif\0\0', 'binary'),
    tiff,
  ]);
  app1.writeUInt16BE(app1.length - 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/**
 * For the quality gate: a sharp, well-lit spot photo filling the frame, which passes, and its
 * blurred (sigma 5 here, 2.5 at the model's 128) and darkened (x0.35) copies. The not-a-skin-spot
 * gate must let all three through to a result (the quality specs analyse them anyway): this
 * close-up was chosen among SPOT_IDS for passing it in all three forms.
 */
export function gatePng(kind: 'sharp' | 'blurred' | 'dark'): Buffer {
  const lesion = spotImage(256, 256, GATE_SPOT);
  const sharp = { data: new Uint8ClampedArray(lesion.rgba), width: 256, height: 256 };
  const image =
    kind === 'blurred' ? gaussianBlur(sharp, 5) : kind === 'dark' ? scaled(sharp, 0.35) : sharp;
  return encodePng(new Uint8Array(image.data), image.width, image.height);
}

/**
 * Not a skin spot, with no skin tone anywhere (so any skin-share threshold refuses it): 'flat' is
 * one plain blue, 'gradient' runs from blue to teal with a violet band, as a screen or the sky
 * might look. Exactly what the gate refuses on made negatives like these is in ood.json's report.
 */
export function drawNotASpot(kind: 'flat' | 'gradient', width: number, height: number): Drawn {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const t = x / (width - 1);
      const band = Math.abs(y / height - 0.5) < 0.1 ? 60 : 0;
      const rgb = kind === 'flat' ? [40, 70, 190] : [30 + band, 60 + 120 * t, 200 - 40 * t];
      rgba.set([...rgb.map(Math.round), 255], o);
    }
  }
  return { rgba, width, height };
}

export function notASpotPng(kind: 'flat' | 'gradient', width: number, height: number): Buffer {
  const d = drawNotASpot(kind, width, height);
  return encodePng(d.rgba, d.width, d.height);
}

/**
 * Not a skin spot, small and off-centre in a large photo of plain skin: a blue square of `side` px
 * in a 1200 x 1600 frame of one skin tone with a little grain. The finder crops to the square, a
 * crop far under AFAR_CROP_SHARE of the photo, and the square itself is nothing the app learnt.
 */
export function farNotASpotPng(side = 90): Buffer {
  const width = 1200;
  const height = 1600;
  const rgba = new Uint8Array(width * height * 4);
  const x0 = 760;
  const y0 = 430;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const grain = ((x * 7 + y * 13) % 5) - 2;
      const inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
      const rgb = inside ? [40, 70, 190] : [205 + grain, 160 + grain, 135 + grain];
      rgba.set([...rgb, 255], o);
    }
  }
  return encodePng(rgba, width, height);
}

/**
 * A real close-up pasted, at its own size, in the middle of a `side` x `side` photo of one plain
 * blue (drawNotASpot's 'flat'): much of the whole photo is something the app never learnt, while a
 * square inside the close-up is a skin spot.
 */
export function spotOnBluePng(closeUp: RgbaImage, side: number): Buffer {
  const blue = drawNotASpot('flat', side, side);
  const x0 = Math.round((side - closeUp.width) / 2);
  const y0 = Math.round((side - closeUp.height) / 2);
  for (let y = 0; y < closeUp.height; y++) {
    const row = closeUp.data.subarray(y * closeUp.width * 4, (y + 1) * closeUp.width * 4);
    blue.rgba.set(row, ((y0 + y) * side + x0) * 4);
  }
  return encodePng(blue.rgba, side, side);
}
