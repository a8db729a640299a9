/**
 * Import conflicts put into words for the person deciding: which record (a scan by its date, a
 * spot by its name, as on this device) and what differs in the file's version. Pure.
 */
import type { ExportedScan, ExportedSpot } from './export';
import { canonical, type ImportPlan } from './merge';

export interface ConflictItem {
  readonly kind: 'scan' | 'spot';
  readonly id: string;
  /** 'Scan of 2 Mar 2026, 09:30' or 'Spot "Left shoulder mole"'. */
  readonly title: string;
  /** What the file's version changes, e.g. 'note, spot'. */
  readonly differences: string;
}

/** Field names in words; fields shown as one thing (the result) share a word. */
const SCAN_WORDS: Readonly<Record<string, string>> = {
  createdAt: 'date',
  thumbnail: 'photo',
  bodySite: 'body site',
  legacyBodySite: 'earlier body site',
  note: 'note',
  lesionId: 'spot', // the file's (and database's) name for the scan's spot
  quality: 'photo-quality findings',
  reframedBand: 'result',
  labels: 'result',
  labelNames: 'result',
  malignant: 'result',
  probabilities: 'result',
  malignantRisk: 'result',
  band: 'result',
  modelId: 'model',
  modelVersion: 'model',
  backend: 'backend',
  timings: 'timings',
};

const SPOT_WORDS: Readonly<Record<string, string>> = {
  name: 'name',
  location: 'place on the body',
  recheckMonths: 're-check interval',
  legacyBodySite: 'earlier body site',
  note: 'note',
  createdAt: 'date',
};

const OTHER = 'other details';

/** Fields the person wrote: the file's text is shown, so the choice can be made on it. */
const WRITTEN = new Set(['name', 'note', 'bodySite', 'legacyBodySite']);
const MAX_SHOWN = 60;

function fileText(value: unknown): string {
  if (typeof value !== 'string' || value === '') return ' (none in the file)';
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 1)}…` : value;
  return ` (“${shown}” in the file)`;
}

/**
 * The words for every field whose value differs (a field only one side has counts), in the
 * table's order, so the same difference always reads the same; a written field adds the file's text.
 */
function differences<T extends object>(
  here: T,
  incoming: T,
  words: Readonly<Record<string, string>>,
): string {
  const a = here as Record<string, unknown>;
  const b = incoming as Record<string, unknown>;
  const found = new Map<string, string>();
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (canonical(a[key]) === canonical(b[key])) continue;
    const word = words[key] ?? OTHER;
    found.set(word, WRITTEN.has(key) ? `${word}${fileText(b[key])}` : word);
  }
  return [...new Set([...Object.values(words), OTHER])]
    .flatMap((w) => found.get(w) ?? [])
    .join(', ');
}

/** Spots first (a scan's "spot" difference reads better once its spots are listed), then scans. */
export function describeConflicts(
  plan: ImportPlan,
  formatTime: (ms: number) => string,
): ConflictItem[] {
  const spots = plan.spots.conflicting.map(({ here, incoming }) => ({
    kind: 'spot' as const,
    id: here.id,
    title: `Spot “${here.name}”`,
    differences: differences<ExportedSpot>(here, incoming, SPOT_WORDS),
  }));
  const scans = plan.scans.conflicting.map(({ here, incoming }) => ({
    kind: 'scan' as const,
    id: here.id,
    title: `Scan of ${formatTime(here.createdAt)}`,
    differences: differences<ExportedScan>(here, incoming, SCAN_WORDS),
  }));
  return [...spots, ...scans];
}
