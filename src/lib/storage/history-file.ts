/**
 * The history file's format, declared once as a valibot schema (parts in history-file-parts.ts):
 * the file's TypeScript types come from it, and every field carries the words the import names
 * when that field is wrong. Format 3 is this version's; formats 1 (no spots) and 2 (spots, body
 * sites in two places) are still read, and brought to format 3 by the same rule as the v4
 * database upgrade (site.ts).
 */
import * as v from 'valibot';
import { RECHECK_MONTHS } from './schema';
import { fieldWords, found, record, records, CheckedScan, SPOT_FIELDS } from './history-file-parts';
import { enteringSpot, spotSiteV4 } from './site';

/** A scan as formats 1 and 2 hold it: a body site of its own even in a spot. */
const FileScanV2 = v.pipe(
  CheckedScan,
  v.check((s) => s.legacyBodySite === undefined, 'has unknown field(s) legacyBodySite'),
);

/**
 * One saved scan as the file holds it (format 3): its photo a data URL, its names, malignant
 * labels and probabilities one per label; its place on the body the spot's if it is in one.
 */
export const FileScan = v.pipe(
  CheckedScan,
  v.partialCheck(
    [['lesionId'], ['bodySite']],
    (s) => s.lesionId === undefined || s.bodySite === undefined,
    'has a body site of its own but is in a spot (its place is the spot’s)',
  ),
  v.partialCheck(
    [['lesionId'], ['legacyBodySite']],
    (s) => s.lesionId !== undefined || s.legacyBodySite === undefined,
    'has a legacyBodySite but is in no spot',
  ),
);
export type FileScan = v.InferOutput<typeof FileScan>;

/** A spot as format 2 holds it: a body site beside its place on the outline. */
const FileSpotV2 = record({
  ...SPOT_FIELDS,
  bodySite: v.optional(v.string('bodySite is not text')),
});

/** One spot followed over time (format 3). */
export const FileSpot = record({
  ...SPOT_FIELDS,
  legacyBodySite: v.optional(v.string('legacyBodySite is not text')),
  recheckMonths: v.optional(
    v.picklist(RECHECK_MONTHS, 'recheckMonths is not 1, 3, 6 or 12 months'),
  ),
});
export type FileSpot = v.InferOutput<typeof FileSpot>;

const NOT_OURS = 'it was not made by DermLens';
const app = { app: v.literal('DermLens', NOT_OURS) };
const format = {
  ...app,
  format: v.picklist(
    [1, 2, 3],
    (issue) => `its format (${String(issue.input)}) is unknown to this version of DermLens`,
  ),
};
const header = {
  ...app,
  schemaVersion: v.message(v.pipe(v.number(), v.finite()), 'schemaVersion is missing'),
  exportedAt: v.string('exportedAt is missing'),
};
/** Format 1 (before spots): no `lesions`, and any there are ignored (stripped). */
const formatOne = {
  ...header,
  format: v.literal(1),
  scans: records(FileScanV2, 'scan', 'scans is not a list'),
};
const formatTwo = {
  ...formatOne,
  format: v.literal(2),
  lesions: records(FileSpotV2, 'spot', 'lesions is not a list'),
};
const formatThree = {
  ...header,
  format: v.literal(3),
  scans: records(FileScan, 'scan', 'scans is not a list'),
  lesions: records(FileSpot, 'spot', 'lesions is not a list'),
};

type V2Scan = v.InferOutput<typeof FileScanV2>;
type V2Spot = v.InferOutput<typeof FileSpotV2>;

/** Formats 1 and 2 read as format 3: each body site where the v4 upgrade puts it. */
function upgraded(scans: readonly V2Scan[], spots: readonly V2Spot[]) {
  return {
    format: 3 as const,
    scans: scans.map((s): FileScan => (s.lesionId === undefined ? s : enteringSpot(s))),
    lesions: spots.map((s): FileSpot => spotSiteV4(s)),
  };
}

/**
 * A whole history file, format 1, 2 or 3, read as format 3 (format 1: no spots). Its stages run
 * in turn, each only when the one before passed: another app's JSON gets one sentence, not a list
 * of every field it lacks; a file from a newer version, one about its format.
 */
export const HistoryFile = v.pipe(
  v.looseObject(app, NOT_OURS),
  v.looseObject(format, fieldWords(format, NOT_OURS)),
  v.variant('format', [
    v.object(formatOne, fieldWords(formatOne, NOT_OURS)),
    v.object(formatTwo, fieldWords(formatTwo, NOT_OURS)),
    v.object(formatThree, fieldWords(formatThree, NOT_OURS)),
  ]),
  v.transform((file) => {
    if (file.format === 3) return file;
    return { ...file, ...upgraded(file.scans, file.format === 1 ? [] : file.lesions) };
  }),
  found(({ lesions, scans }) => {
    const spots = new Set(lesions.map((l) => l.id));
    return scans.flatMap((s, i) =>
      s.lesionId === undefined || spots.has(s.lesionId)
        ? []
        : [`scan ${i + 1} belongs to a spot that is not in the file`],
    );
  }),
);
export type HistoryFile = v.InferOutput<typeof HistoryFile>;
