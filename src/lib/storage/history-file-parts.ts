/**
 * The building blocks of the history file's schema (history-file.ts): records with exactly their
 * fields, lists with a length bound and unique ids, the fields every format's scans and spots
 * share, and the checks on a scan that a field's type cannot state. Each field carries the words
 * the import names when it is wrong.
 */
import * as v from 'valibot';
import { BACKENDS } from '../../shared/backends';
import { QUALITY_PROBLEMS } from '../image/quality/gate';
import { sniffImage } from '../image/sniff';

export const MAX_THUMBNAIL_CHARS = 4 * 1024 * 1024;
/** Per list, checked before its items are: a bound on the work a hostile file can cause. */
const MAX_RECORDS = 100_000;
const RISK_BANDS = ['low', 'medium', 'high'] as const;
const DATA_URL = /^data:image\/(jpeg|png|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/**
 * A check from a typed function that lists what is wrong (nothing: fine). Like `check` it runs
 * only on a value its schema passed, but its words can say what it found.
 */
export function found<T>(problems: (value: T) => readonly string[]) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of problems(dataset.value)) addIssue({ message });
  });
}

/**
 * Words for an object's own problems. Valibot reports a missing field on the object, not on the
 * field, so the words are the field's own for having no value (`lesions is not a list`); an
 * unknown field is named with every other one the record has. Valibot takes an array for an
 * object whose fields are all missing: each of them then says `notAnObject` (said once).
 */
export function fieldWords(entries: v.ObjectEntries, notAnObject: string) {
  return (issue: v.BaseIssue<unknown>): string => {
    const at = issue.path?.[0];
    if (at?.type !== 'object' || Array.isArray(at.input)) return notAnObject;
    if (issue.expected !== 'never') {
      const field = entries[at.key];
      return (field && v.safeParse(field, undefined).issues?.[0].message) ?? `${at.key} is missing`;
    }
    const unknown = Object.keys(at.input).filter((key) => !Object.hasOwn(entries, key));
    return `has unknown field(s) ${unknown.join(', ')}`;
  };
}

/** A record with exactly these fields, no other. */
export function record<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, fieldWords(entries, 'is not an object'));
}

/** A list the file's top level holds: its length checked before its items, then ids unique. */
export function records<const T extends { readonly id: string }>(
  item: v.GenericSchema<unknown, T>,
  what: 'scan' | 'spot',
  notAList: string,
) {
  return v.pipe(
    v.array(v.unknown(), notAList),
    v.maxLength(MAX_RECORDS, 'it holds too many records'),
    v.array(item),
    // Before readonly(): a pipe stops at a transformation once there are problems.
    v.rawCheck(({ dataset, addIssue }) => {
      for (const message of repeatedIds(dataset.value, what)) addIssue({ message });
    }),
    v.readonly(),
  );
}

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const Time = v.pipe(v.number(), v.finite(), v.minValue(0));
const Unit = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const Ms = v.pipe(v.number(), v.finite());

/** A scan's fields in formats 1 and 2 (format 3 adds legacyBodySite). */
const SCAN_FIELDS = {
  id: v.message(Id, 'id is missing or not a string'),
  createdAt: v.message(Time, 'createdAt is not a time'),
  thumbnail: v.pipe(v.string('thumbnail is not a string'), found(thumbnailProblems)),
  modelId: v.string('model id or version is missing'),
  modelVersion: v.string('model id or version is missing'),
  labels: v.message(
    v.pipe(
      v.array(v.string()),
      v.minLength(1),
      v.check((labels) => new Set(labels).size === labels.length),
      v.readonly(),
    ),
    'labels are not a list of distinct names',
  ),
  labelNames: v.message(v.record(v.string(), v.string()), 'labelNames are not text'),
  malignant: v.message(
    v.pipe(v.array(v.string()), v.readonly()),
    'malignant labels are not among its labels',
  ),
  probabilities: v.message(
    v.pipe(v.array(Unit), v.readonly()),
    'probabilities are not numbers between 0 and 1',
  ),
  malignantRisk: v.message(Unit, 'malignantRisk is not between 0 and 1'),
  band: v.picklist(RISK_BANDS, 'band is unknown'),
  backend: v.picklist(BACKENDS, 'backend is unknown'),
  timings: v.message(v.object({ inferenceMs: Ms, totalMs: v.nullable(Ms) }), 'timings are missing'),
  bodySite: v.optional(v.string('bodySite is not text')),
  note: v.optional(v.string('note is not text')),
  lesionId: v.optional(v.message(Id, 'belongs to a spot that is not in the file')),
  quality: v.optional(
    v.message(
      v.pipe(v.array(v.picklist(QUALITY_PROBLEMS)), v.readonly()),
      'quality is not a list of known photo problems',
    ),
  ),
  reframedBand: v.optional(v.picklist(RISK_BANDS, 'reframedBand is unknown')),
};

/** A spot's fields in every format (format 2 adds bodySite; format 3 two fields of its own). */
export const SPOT_FIELDS = {
  id: v.message(Id, 'id is missing or not a string'),
  name: v.message(
    v.pipe(
      v.string(),
      v.check((name) => name.trim() !== ''),
    ),
    'name is missing',
  ),
  createdAt: v.message(Time, 'createdAt is not a time'),
  location: v.optional(
    v.message(
      v.object({ view: v.picklist(['front', 'back']), x: Unit, y: Unit }),
      'location is not a place on the outline',
    ),
  ),
  note: v.optional(v.string('note is not text')),
};

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * A scan with the fields of every format (format 3's legacyBodySite included) and the checks a
 * field's type cannot state: its names, malignant labels and probabilities one per label, summing
 * to 1. Each check runs once the fields it reads passed, whatever else is wrong with the scan
 * (`partialCheck`).
 */
export const CheckedScan = v.pipe(
  record({ ...SCAN_FIELDS, legacyBodySite: v.optional(v.string('legacyBodySite is not text')) }),
  v.partialCheck(
    [['labels'], ['labelNames']],
    // typeof, not `in`: a label such as "constructor" would find the prototype's.
    (s) => s.labels.every((l) => typeof s.labelNames[l] === 'string'),
    'labelNames are missing',
  ),
  v.partialCheck(
    [['labels'], ['malignant']],
    (s) => s.malignant.every((l) => s.labels.includes(l)),
    'malignant labels are not among its labels',
  ),
  v.partialCheck(
    [['labels'], ['probabilities']],
    (s) => s.probabilities.length === s.labels.length,
    ({ input: s }) => `has ${s.probabilities.length} probabilities for ${s.labels.length} labels`,
  ),
  v.partialCheck(
    [['probabilities']],
    (s) => Math.abs(sum(s.probabilities) - 1) <= 0.01,
    ({ input: s }) => `probabilities sum to ${sum(s.probabilities).toFixed(3)}, not 1`,
  ),
);

/** A photo must be a JPEG, PNG or WebP data URL whose bytes are what its type says. */
function thumbnailProblems(url: string): string[] {
  if (url.length > MAX_THUMBNAIL_CHARS) return ['thumbnail is too large'];
  const m = DATA_URL.exec(url);
  if (!m) return ['thumbnail is not a JPEG, PNG or WebP data URL'];
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(m[2] as string), (c) => c.charCodeAt(0)); // atob: browsers and Node
  } catch {
    return ['thumbnail is not valid base64'];
  }
  const kind = sniffImage(bytes).kind;
  return kind === m[1] ? [] : [`thumbnail says ${m[1]} but its bytes are ${kind}`];
}

/**
 * Ids that appear twice, read whatever else is wrong with the records (so from a list valibot did
 * not type): a repeat is a problem of its own. A missing id is the record's own problem.
 */
function repeatedIds(records: unknown, what: string): string[] {
  const seen = new Set<string>();
  const p: string[] = [];
  for (const r of Array.isArray(records) ? records : []) {
    const id = typeof r === 'object' && r !== null && 'id' in r ? r.id : undefined;
    if (typeof id !== 'string') continue;
    if (seen.has(id)) p.push(`${what} id ${id} appears more than once`);
    seen.add(id);
  }
  return p;
}
