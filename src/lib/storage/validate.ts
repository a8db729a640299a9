/**
 * Strict validation of a history file before anything is imported: every field typed and in
 * range, probabilities that match their labels and sum to 1, thumbnails that are really JPEG,
 * PNG or WebP, ids unique, every scan's spot present. Pure (no DOM, no IndexedDB): it returns
 * the checked records, or the first problems in words the person can read.
 */
import { BACKENDS } from '../../shared/backends';
import { QUALITY_PROBLEMS } from '../image/quality/gate';
import { sniffImage } from '../image/sniff';
import type { ExportedLesion, ExportedScan } from './export';

/** Larger files are refused before parsing (about 20,000 scans with their thumbnails). */
export const MAX_FILE_CHARS = 256 * 1024 * 1024;
export const MAX_THUMBNAIL_CHARS = 4 * 1024 * 1024;
const MAX_RECORDS = 100_000;
/** How many problems the message names. */
const SHOWN = 5;

export interface ValidHistory {
  readonly format: 1 | 2;
  readonly lesions: readonly ExportedLesion[];
  readonly scans: readonly ExportedScan[];
}

export type Validated =
  | { readonly ok: true; readonly file: ValidHistory }
  | { readonly ok: false; readonly message: string; readonly problems: readonly string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isId = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length <= 100;
const isUnit = (v: unknown): v is number => isNum(v) && v >= 0 && v <= 1;
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isQualityProblem = (v: string): boolean =>
  (QUALITY_PROBLEMS as readonly string[]).includes(v);

const SCAN_KEYS = new Set(
  'id createdAt thumbnail modelId modelVersion labels labelNames malignant probabilities malignantRisk band backend timings bodySite note lesionId quality'.split(
    ' ',
  ),
);
const LESION_KEYS = new Set('id name bodySite createdAt location note'.split(' '));
const DATA_URL = /^data:image\/(jpeg|png|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/** The bytes of a base64 string (atob: in browsers and Node alike). */
function base64Bytes(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function thumbnailProblem(v: unknown): string | null {
  if (!isStr(v)) return 'thumbnail is not a string';
  if (v.length > MAX_THUMBNAIL_CHARS) return 'thumbnail is too large';
  const m = DATA_URL.exec(v);
  if (!m) return 'thumbnail is not a JPEG, PNG or WebP data URL';
  let bytes: Uint8Array;
  try {
    bytes = base64Bytes(m[2] as string);
  } catch {
    return 'thumbnail is not valid base64';
  }
  const kind = sniffImage(bytes).kind;
  return kind === m[1] ? null : `thumbnail says ${m[1]} but its bytes are ${kind}`;
}

function scanProblems(s: unknown, lesionIds: ReadonlySet<string>): string[] {
  if (!isObj(s)) return ['is not an object'];
  const p: string[] = [];
  const extra = Object.keys(s).filter((k) => !SCAN_KEYS.has(k));
  if (extra.length) p.push(`has unknown field(s) ${extra.join(', ')}`);
  if (!isId(s['id'])) p.push('id is missing or not a string');
  if (!isNum(s['createdAt']) || s['createdAt'] < 0) p.push('createdAt is not a time');
  const thumb = thumbnailProblem(s['thumbnail']);
  if (thumb) p.push(thumb);
  if (!isStr(s['modelId']) || !isStr(s['modelVersion'])) p.push('model id or version is missing');
  const labels = s['labels'];
  const probs = s['probabilities'];
  if (!strings(labels) || labels.length === 0 || new Set(labels).size !== labels.length) {
    p.push('labels are not a list of distinct names');
  } else {
    const names = s['labelNames'];
    if (!isObj(names) || !labels.every((l) => isStr(names[l]))) p.push('labelNames are missing');
    if (!strings(s['malignant']) || !s['malignant'].every((l) => labels.includes(l))) {
      p.push('malignant labels are not among its labels');
    }
    if (!Array.isArray(probs) || !probs.every(isUnit)) {
      p.push('probabilities are not numbers between 0 and 1');
    } else if (probs.length !== labels.length) {
      p.push(`has ${probs.length} probabilities for ${labels.length} labels`);
    } else {
      const sum = (probs as number[]).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 0.01) p.push(`probabilities sum to ${sum.toFixed(3)}, not 1`);
    }
  }
  if (!isUnit(s['malignantRisk'])) p.push('malignantRisk is not between 0 and 1');
  if (!['low', 'medium', 'high'].includes(s['band'] as string)) p.push('band is unknown');
  if (!(BACKENDS as readonly unknown[]).includes(s['backend'])) p.push('backend is unknown');
  const t = s['timings'];
  if (!isObj(t) || !isNum(t['inferenceMs']) || !(t['totalMs'] === null || isNum(t['totalMs']))) {
    p.push('timings are missing');
  }
  for (const k of ['bodySite', 'note'] as const) {
    if (k in s && !isStr(s[k])) p.push(`${k} is not text`);
  }
  const quality = s['quality'];
  if ('quality' in s && !(strings(quality) && quality.every((q) => isQualityProblem(q)))) {
    p.push('quality is not a list of known photo problems');
  }
  if ('lesionId' in s && !(isId(s['lesionId']) && lesionIds.has(s['lesionId']))) {
    p.push('belongs to a spot that is not in the file');
  }
  return p;
}

function lesionProblems(l: unknown): string[] {
  if (!isObj(l)) return ['is not an object'];
  const p: string[] = [];
  const extra = Object.keys(l).filter((k) => !LESION_KEYS.has(k));
  if (extra.length) p.push(`has unknown field(s) ${extra.join(', ')}`);
  if (!isId(l['id'])) p.push('id is missing or not a string');
  if (!isStr(l['name']) || !l['name'].trim()) p.push('name is missing');
  if (!isNum(l['createdAt']) || l['createdAt'] < 0) p.push('createdAt is not a time');
  for (const k of ['bodySite', 'note'] as const) {
    if (k in l && !isStr(l[k])) p.push(`${k} is not text`);
  }
  const at = l['location'];
  if ('location' in l) {
    const ok = isObj(at) && ['front', 'back'].includes(at['view'] as string);
    if (!ok || !isUnit(at['x']) || !isUnit(at['y']))
      p.push('location is not a place on the outline');
  }
  return p;
}

function duplicates(records: readonly unknown[], what: string): string[] {
  const seen = new Set<unknown>();
  const p: string[] = [];
  for (const r of records) {
    const id = isObj(r) ? r['id'] : undefined;
    if (seen.has(id)) p.push(`${what} id ${String(id)} appears more than once`);
    seen.add(id);
  }
  return p;
}

function fail(problems: readonly string[]): Validated {
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : '';
  const message = `This is not a DermLens history file we can import: ${problems.slice(0, SHOWN).join('; ')}${more}. Nothing was imported.`;
  return { ok: false, message, problems };
}

export function validateHistory(text: string): Validated {
  if (text.length > MAX_FILE_CHARS) return fail(['the file is too large (over 256 MB)']);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail(['it is not JSON']);
  }
  if (!isObj(data) || data['app'] !== 'DermLens') return fail(['it was not made by DermLens']);
  const format = data['format'];
  if (format !== 1 && format !== 2) {
    return fail([`its format (${String(format)}) is unknown to this version of DermLens`]);
  }
  const top: string[] = [];
  if (!isNum(data['schemaVersion'])) top.push('schemaVersion is missing');
  if (!isStr(data['exportedAt'])) top.push('exportedAt is missing');
  const scans = data['scans'];
  const lesions = format === 1 ? [] : data['lesions'];
  if (!Array.isArray(scans)) top.push('scans is not a list');
  if (!Array.isArray(lesions)) top.push('lesions is not a list');
  if (top.length || !Array.isArray(scans) || !Array.isArray(lesions)) return fail(top);
  if (scans.length + lesions.length > MAX_RECORDS) return fail(['it holds too many records']);

  const problems = [...duplicates(lesions, 'spot'), ...duplicates(scans, 'scan')];
  lesions.forEach((l, i) => problems.push(...lesionProblems(l).map((x) => `spot ${i + 1} ${x}`)));
  const lesionIds = new Set(lesions.map((l) => (isObj(l) ? l['id'] : undefined)).filter(isId));
  scans.forEach((s, i) =>
    problems.push(...scanProblems(s, lesionIds).map((x) => `scan ${i + 1} ${x}`)),
  );
  if (problems.length) return fail(problems);
  return {
    ok: true,
    file: { format, lesions: lesions as ExportedLesion[], scans: scans as ExportedScan[] },
  };
}
