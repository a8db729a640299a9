/**
 * What importing a checked history file would do, decided before anything is written: records
 * that are new, records already here with identical content (skipped), and records whose id is
 * here with different content (conflicts: never overwritten unless the person says so). Pure.
 */
import type { ExportedScan, ExportedSpot } from './export';

/** The device's records with the same ids as the file's, in export form (thumbnails as data URLs). */
export interface ExistingRecords {
  readonly scans: ReadonlyMap<string, ExportedScan>;
  readonly spots: ReadonlyMap<string, ExportedSpot>;
}

/** A record here and the file's record with the same id but different content. */
export interface Conflict<T> {
  readonly here: T;
  readonly incoming: T;
}

export interface Split<T> {
  readonly added: readonly T[];
  readonly same: number;
  readonly conflicting: readonly Conflict<T>[];
}

export interface ImportPlan {
  readonly scans: Split<ExportedScan>;
  readonly spots: Split<ExportedSpot>;
}

/**
 * Which conflicts the file's version replaces, by id (per store: a scan and a spot could share
 * an id). Every other conflict keeps the device's record: the default, never overwritten silently.
 */
export interface ConflictChoice {
  readonly scans: ReadonlySet<string>;
  readonly spots: ReadonlySet<string>;
}

export const KEEP_ALL: ConflictChoice = { scans: new Set(), spots: new Set() };

/** Every conflict replaced with the file's version. */
export const replaceAll = (plan: ImportPlan): ConflictChoice => ({
  scans: new Set(plan.scans.conflicting.map((c) => c.incoming.id)),
  spots: new Set(plan.spots.conflicting.map((c) => c.incoming.id)),
});

/** JSON with object keys sorted, so equal content gives equal text whatever the key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function split<T extends { readonly id: string }>(
  incoming: readonly T[],
  existing: ReadonlyMap<string, T>,
): Split<T> {
  const added: T[] = [];
  const conflicting: Conflict<T>[] = [];
  let same = 0;
  for (const record of incoming) {
    const here = existing.get(record.id);
    if (!here) added.push(record);
    else if (canonical(here) === canonical(record)) same++;
    else conflicting.push({ here, incoming: record });
  }
  return { added, same, conflicting };
}

export function planImport(
  /** The checked file: its spots under the file's key, `lesions` (see schema.ts). */
  file: { readonly scans: readonly ExportedScan[]; readonly lesions: readonly ExportedSpot[] },
  existing: ExistingRecords,
): ImportPlan {
  return {
    scans: split(file.scans, existing.scans),
    spots: split(file.lesions, existing.spots),
  };
}

export const conflictCount = (plan: ImportPlan): number =>
  plan.scans.conflicting.length + plan.spots.conflicting.length;

/** The records to write for a choice: every new record, and the conflicts chosen to replace. */
export function toWrite(plan: ImportPlan, choice: ConflictChoice) {
  const take = <T extends { readonly id: string }>(
    s: Split<T>,
    replace: ReadonlySet<string>,
  ): readonly T[] => [
    ...s.added,
    ...s.conflicting.filter((c) => replace.has(c.incoming.id)).map((c) => c.incoming),
  ];
  return { scans: take(plan.scans, choice.scans), spots: take(plan.spots, choice.spots) };
}

/** "2 scans and 1 spot imported, 3 already here, 1 kept as on this device, 1 replaced with ..." */
export function importSummary(plan: ImportPlan, choice: ConflictChoice): string {
  const n = (count: number, one: string, many: string): string =>
    `${count} ${count === 1 ? one : many}`;
  const added = `${n(plan.scans.added.length, 'scan', 'scans')} and ${n(plan.spots.added.length, 'spot', 'spots')} imported`;
  const same = `${plan.scans.same + plan.spots.same} already here`;
  const total = conflictCount(plan);
  if (total === 0) return `${added}, ${same}.`;
  const replaced = toWrite(plan, choice);
  const r =
    replaced.scans.length +
    replaced.spots.length -
    plan.scans.added.length -
    plan.spots.added.length;
  const parts = [
    ...(total - r > 0 ? [`${total - r} kept as on this device`] : []),
    ...(r > 0 ? [`${r} replaced with the imported version`] : []),
  ];
  return `${added}, ${same}, ${parts.join(', ')}.`;
}
