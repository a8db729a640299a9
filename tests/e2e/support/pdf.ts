/**
 * A small reader for the PDFs Chromium prints (Skia's writer), enough for the report's tests:
 * page sizes, image XObjects, the document title, and each page's text, decoded through the
 * fonts' ToUnicode maps (Skia writes text as glyph ids, one Tj per glyph). Not a general PDF
 * parser: no object streams, no indirect /Length, no encryption, which Skia does not write.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  readonly dict: string;
  readonly stream: Buffer | null;
}

export interface PdfImage {
  /** Its object number, as pages name it. */
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly filter: string;
  readonly bytes: Buffer;
}

export interface PdfPage {
  /** [width, height] in points. */
  readonly size: readonly [number, number];
  /** The page's text in paint order, one line per text object, whitespace collapsed. */
  readonly text: string;
  /** The images the page draws (object numbers): an image cut across two pages is on both. */
  readonly images: readonly number[];
  /** The first clip rectangle, in points from the top left: where the page's content box is. */
  readonly contentBox: readonly [number, number, number, number] | null;
}

export interface Pdf {
  readonly title: string | null;
  readonly pages: readonly PdfPage[];
  readonly images: readonly PdfImage[];
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const start = /(\d+) 0 obj\b/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const body = m.index + m[0].length;
    const end = text.indexOf('endobj', body);
    const streamAt = text.indexOf('stream', body);
    if (streamAt === -1 || streamAt > end) {
      objects.set(Number(m[1]), { dict: text.slice(body, end), stream: null });
      continue;
    }
    const dict = text.slice(body, streamAt);
    const length = Number(/\/Length (\d+)(?!\s+\d+\s+R)/.exec(dict)?.[1] ?? NaN);
    if (!Number.isFinite(length)) throw new Error(`object ${m[1]}: no direct /Length`);
    const data = streamAt + 'stream'.length + (text[streamAt + 6] === '\r' ? 2 : 1);
    objects.set(Number(m[1]), { dict, stream: pdf.subarray(data, data + length) });
    start.lastIndex = data + length;
  }
  return objects;
}

const decoded = (o: PdfObject | undefined): string =>
  !o?.stream
    ? ''
    : (/\/FlateDecode/.test(o.dict) ? inflateSync(o.stream) : o.stream).toString('latin1');

const utf16 = (hex: string): string =>
  String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

/** A ToUnicode CMap: glyph code (hex) to text. */
function readCmap(source: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, text] of (block[1] ?? '').matchAll(/<(\w+)>\s*<(\w+)>/g)) {
      map.set(parseInt(code ?? '', 16), utf16(text ?? ''));
    }
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, to] of (block[1] ?? '').matchAll(/<(\w+)>\s*<(\w+)>\s*<(\w+)>/g)) {
      const first = parseInt(to ?? '', 16);
      for (let c = parseInt(lo ?? '', 16); c <= parseInt(hi ?? '', 16); c++) {
        map.set(c, String.fromCharCode(first + c - parseInt(lo ?? '', 16)));
      }
    }
  }
  return map;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

function pageText(content: string, fonts: Map<string, Map<number, string>>): string {
  const lines: string[] = [];
  let line = '';
  let cmap = new Map<number, string>();
  const show = (hex: string): void => {
    for (const code of hex.match(/.{4}/g) ?? []) line += cmap.get(parseInt(code, 16)) ?? '';
  };
  const ops = /\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[([^\]]*)\]\s*TJ|\bET\b/g;
  for (const [op, font, tj, array] of content.matchAll(ops)) {
    if (font !== undefined) cmap = fonts.get(font) ?? new Map();
    else if (tj !== undefined) show(tj);
    else if (array !== undefined) for (const [, h] of array.matchAll(/<(\w*)>/g)) show(h ?? '');
    else if (op === 'ET') {
      lines.push(line);
      line = '';
    }
  }
  return lines
    .map((l) => l.normalize('NFKC').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The first `cm` (Skia's CSS px to points) and the first `re W` clip after it, in points. */
function contentBox(content: string): PdfPage['contentBox'] {
  const cm = /^\s*([-\d.]+) 0 0 ([-\d.]+) [-\d.]+ [-\d.]+ cm/.exec(content);
  const re = /([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re\s+W/.exec(content);
  if (!cm || !re) return null;
  const [sx, sy] = [Number(cm[1]), Math.abs(Number(cm[2]))];
  const [x, y, w, h] = re.slice(1, 5).map(Number) as [number, number, number, number];
  return [x * sx, y * sy, w * sx, h * sy];
}

/** The Info dictionary's /Title: a literal string, or UTF-16 in hex when it is not ASCII. */
function readTitle(text: string): string | null {
  const hex = /\/Title\s*<FEFF([0-9A-Fa-f]*)>/.exec(text)?.[1];
  if (hex !== undefined) return utf16(hex);
  const literal = /\/Title\s*\(((?:\\.|[^\\)])*)\)/.exec(text)?.[1];
  return literal === undefined ? null : literal.replace(/\\(.)/g, '$1');
}

export function readPdf(pdf: Buffer): Pdf {
  const objects = readObjects(pdf);
  const all = [...objects.values()];
  const cmaps = new Map<number, Map<number, string>>();
  const cmapOf = (fontObject: number): Map<number, string> => {
    const known = cmaps.get(fontObject);
    if (known) return known;
    const to = ref(objects.get(fontObject)?.dict ?? '', 'ToUnicode');
    const map = to === null ? new Map<number, string>() : readCmap(decoded(objects.get(to)));
    cmaps.set(fontObject, map);
    return map;
  };
  const isImage = (id: number): boolean =>
    /\/Subtype\s*\/Image\b/.test(objects.get(id)?.dict ?? '');
  const page = (o: PdfObject): PdfPage => {
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(o.dict);
    const size: [number, number] = [Number(box?.[1]), Number(box?.[2])];
    const refs = (key: string): [string, number][] =>
      [
        ...(new RegExp(`/${key}\\s*<<([^>]*)>>`).exec(o.dict)?.[1] ?? '').matchAll(
          /\/(\w+)\s+(\d+) 0 R/g,
        ),
      ].map(([, name, id]) => [name ?? '', Number(id)]);
    const fonts = new Map(refs('Font').map(([name, id]) => [name, cmapOf(id)]));
    const images = refs('XObject')
      .map(([, id]) => id)
      .filter(isImage);
    const content = decoded(objects.get(ref(o.dict, 'Contents') ?? -1));
    return { size, images, text: pageText(content, fonts), contentBox: contentBox(content) };
  };
  // Pages in reading order: the page tree's /Kids from the catalog's /Pages, depth first.
  const kids = (id: number): number[] => {
    const dict = objects.get(id)?.dict ?? '';
    if (!/\/Type\s*\/Pages\b/.test(dict)) return [id];
    const list = /\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? '';
    return [...list.matchAll(/(\d+) 0 R/g)].flatMap(([, k]) => kids(Number(k)));
  };
  const catalog = all.find((o) => /\/Type\s*\/Catalog\b/.test(o.dict));
  const pages = kids(ref(catalog?.dict ?? '', 'Pages') ?? -1).map((id) => {
    const o = objects.get(id);
    if (!o) throw new Error(`page object ${id} missing`);
    return page(o);
  });
  const images = [...objects]
    .filter(([id, o]) => isImage(id) && o.stream)
    .map(([id, o]) => ({
      id,
      width: Number(/\/Width (\d+)/.exec(o.dict)?.[1]),
      height: Number(/\/Height (\d+)/.exec(o.dict)?.[1]),
      filter: /\/Filter\s*\/(\w+)/.exec(o.dict)?.[1] ?? '',
      bytes: o.stream as Buffer,
    }));
  return { title: readTitle(pdf.toString('latin1')), pages, images };
}
