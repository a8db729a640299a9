/**
 * What a file really is, from its first bytes (names and MIME types lie), and for the common
 * formats its pixel size and EXIF orientation, read before any decoding: a huge photo can then
 * be decoded straight to a smaller size, and a non-image gets a precise message.
 */

export type FileKind =
  'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'svg' | 'unknown';

export interface Sniffed {
  readonly kind: FileKind;
  /** Stored (unrotated) pixel size, when the header says it. */
  readonly width?: number;
  readonly height?: number;
  /** EXIF orientation 1-8 (JPEG only); 5-8 swap width and height when shown upright. */
  readonly orientation?: number;
}

/** How many leading bytes sniffImage needs: JPEG's EXIF block and SOF marker come early. */
export const SNIFF_BYTES = 256 * 1024;

const ascii = (b: Uint8Array, at: number, n: number): string =>
  String.fromCharCode(...b.subarray(at, at + n));

export function sniffImage(b: Uint8Array): Sniffed {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b, v);
  if (b.length >= 24 && ascii(b, 1, 3) === 'PNG' && ascii(b, 12, 4) === 'IHDR') {
    return { kind: 'png', width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (b.length >= 10 && ascii(b, 0, 4) === 'GIF8') {
    return { kind: 'gif', width: v.getUint16(6, true), height: v.getUint16(8, true) };
  }
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b, v);
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') {
    return { kind: 'bmp', width: v.getInt32(18, true), height: Math.abs(v.getInt32(22, true)) };
  }
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return isoMedia(b, v);
  const text = new TextDecoder()
    .decode(b.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) {
    return { kind: 'svg' };
  }
  return { kind: 'unknown' };
}

/** Walks JPEG marker segments up to the first frame header (SOFn), reading EXIF on the way. */
function jpeg(b: Uint8Array, v: DataView): Sniffed {
  let orientation: number | undefined;
  let at = 2;
  while (at + 9 < b.length && b[at] === 0xff) {
    const marker = b[at + 1] as number;
    const length = v.getUint16(at + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isSof) {
      const height = v.getUint16(at + 5);
      const width = v.getUint16(at + 7);
      return { kind: 'jpeg', width, height, ...(orientation ? { orientation } : {}) };
    }
    if (marker === 0xe1 && ascii(b, at + 4, 6) === 'Exif\0\0') {
      orientation = exifOrientation(v, at + 10, at + 2 + length) ?? orientation;
    }
    at += 2 + length;
  }
  return { kind: 'jpeg', ...(orientation ? { orientation } : {}) };
}

/** Tag 0x0112 of IFD0 in the TIFF block at `tiff`, if it lies before `end`. */
function exifOrientation(v: DataView, tiff: number, end: number): number | undefined {
  if (end > v.byteLength || tiff + 8 > end) return undefined;
  const little = v.getUint16(tiff) === 0x4949; // "II"
  const ifd = tiff + v.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return undefined;
  const count = v.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (v.getUint16(entry, little) === 0x0112) {
      const value = v.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

function webp(b: Uint8Array, v: DataView): Sniffed {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') {
    const u24 = (at: number): number => v.getUint16(at, true) + ((b[at + 2] as number) << 16);
    return { kind: 'webp', width: u24(24) + 1, height: u24(27) + 1 };
  }
  if (chunk === 'VP8 ') {
    return {
      kind: 'webp',
      width: v.getUint16(26, true) & 0x3fff,
      height: v.getUint16(28, true) & 0x3fff,
    };
  }
  if (chunk === 'VP8L') {
    const bits = v.getUint32(21, true);
    return { kind: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return { kind: 'webp' };
}

/** HEIF family (ISO base media file): HEIC/HEIF photos from phones, or AVIF. */
function isoMedia(b: Uint8Array, v: DataView): Sniffed {
  const size = Math.min(v.getUint32(0), b.length);
  const brands: string[] = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(b, at, 4));
  if (brands.some((x) => x === 'avif' || x === 'avis')) return { kind: 'avif' };
  const heif = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];
  return brands.some((x) => heif.includes(x)) ? { kind: 'heic' } : { kind: 'unknown' };
}

/** The size the image has once shown upright (EXIF 5-8 are quarter turns). */
export function uprightSize(s: Sniffed): { width: number; height: number } | null {
  if (!s.width || !s.height) return null;
  const turned = (s.orientation ?? 1) >= 5;
  return turned ? { width: s.height, height: s.width } : { width: s.width, height: s.height };
}
