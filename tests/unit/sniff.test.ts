import { describe, expect, it } from 'vitest';
import { sniffImage, uprightSize } from '../../src/lib/image/sniff';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );
const be16 = (n: number): number[] => [n >> 8, n & 255];
const be32 = (n: number): number[] => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];

/** SOI, an APP1 EXIF block (big-endian TIFF, IFD0 with Orientation), then SOF0 w x h. */
function jpegHeader(width: number, height: number, orientation?: number): Uint8Array {
  const tiff = orientation
    ? [
        'MM',
        [0, 42],
        be32(8),
        be16(1),
        be16(0x0112),
        be16(3),
        be32(1),
        be16(orientation),
        [0, 0],
        be32(0),
      ]
    : null;
  const tiffBytes = tiff ? bytes(...tiff) : new Uint8Array(0);
  const app1 = tiff
    ? bytes([0xff, 0xe1], be16(2 + 6 + tiffBytes.length), 'Exif\0\0', [...tiffBytes])
    : [];
  return bytes(
    [0xff, 0xd8],
    [...app1],
    [0xff, 0xc0],
    be16(17),
    [8],
    be16(height),
    be16(width),
    [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
  );
}

describe('sniffImage', () => {
  it('reads JPEG size and EXIF orientation; 5-8 swap the upright size', () => {
    const s = sniffImage(jpegHeader(8160, 6120, 6));
    expect(s).toEqual({ kind: 'jpeg', width: 8160, height: 6120, orientation: 6 });
    expect(uprightSize(s)).toEqual({ width: 6120, height: 8160 });
    expect(sniffImage(jpegHeader(40, 30))).toEqual({ kind: 'jpeg', width: 40, height: 30 });
  });

  it('reads PNG, GIF and BMP sizes', () => {
    const png = bytes([0x89], 'PNG', [13, 10, 26, 10], be32(13), 'IHDR', be32(8192), be32(6144));
    expect(sniffImage(png)).toEqual({ kind: 'png', width: 8192, height: 6144 });
    expect(sniffImage(bytes('GIF89a', [0x10, 0, 0x20, 0]))).toEqual({
      kind: 'gif',
      width: 16,
      height: 32,
    });
    const bmp = bytes('BM', new Array(16).fill(0), [100, 0, 0, 0], [0x9c, 0xff, 0xff, 0xff]);
    expect(sniffImage(bmp)).toEqual({ kind: 'bmp', width: 100, height: 100 });
  });

  it('tells HEIC from AVIF by the ftyp brands', () => {
    const ftyp = (major: string, ...compatible: string[]) =>
      bytes(be32(16 + 4 * compatible.length), 'ftyp', major, be32(0), ...compatible);
    expect(sniffImage(ftyp('heic', 'mif1', 'heic')).kind).toBe('heic');
    expect(sniffImage(ftyp('mif1', 'avif')).kind).toBe('avif');
    expect(sniffImage(ftyp('isom', 'mp41')).kind).toBe('unknown');
  });

  it('recognises SVG (with XML prolog, comments, BOM) and nothing else as text', () => {
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).kind).toBe('svg');
    expect(
      sniffImage(bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0"?>\n<!-- x -->\n<svg>')).kind,
    ).toBe('svg');
    expect(sniffImage(bytes('hello, not an image')).kind).toBe('unknown');
    expect(sniffImage(bytes('%PDF-1.7')).kind).toBe('unknown');
    expect(sniffImage(new Uint8Array(0)).kind).toBe('unknown');
  });

  it('survives a JPEG header cut short', () => {
    expect(sniffImage(jpegHeader(40, 30, 6).subarray(0, 20))).toEqual({ kind: 'jpeg' });
  });
});
