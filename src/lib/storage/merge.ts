/**
 * What importing a checked history file would do, decided before anything is written: records
 * that are new, records already here with identical content (skipped), and records whose id is
 * here with different content (conflicts: never overwritten unless the person says so). Pure.
 */
import type { ExportedLesion, ExportedScan } from './export';

/** The device's records with the same ids as the file's, in export form (thumbnails as data URLs). */
export interface ExistingRecords {
  readonly scans: ReadonlyMap<string, ExportedScan>;
  readonly lesions: ReadonlyMap<string, ExportedLesion>;
}

export interface Split<T> {
  readonly added: readonly T[];
  readonly same: number;
  readonly conflicting: readonly T[];
}

export interface ImportPlan {
  readonly scans: Split<ExportedScan>;
  readonly lesions: Split<ExportedLesion>;
}

/** What to do with conflicts: keep the device's records (the default) or take the file's. */
export type ConflictChoice = 'keep' | 'replace';

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
  const conflicting: T[] = [];
  let same = 0;
  for (const record of incoming) {
    const here = existing.get(record.id);
    if (!here) added.push(record);
    else if (canonical(here) === canonical(record)) same++;
    else conflicting.push(record);
  }
  return { added, same, conflicting };
}

export function planImport(
  file: { readonly scans: readonly ExportedScan[]; readonly lesions: readonly ExportedLesion[] },
  existing: ExistingRecords,
): ImportPlan {
  return {
    scans: split(file.scans, existing.scans),
    lesions: split(file.lesions, existing.lesions),
  };
}

export const conflictCount = (plan: ImportPlan): number =>
  plan.scans.conflicting.length + plan.lesions.conflicting.length;

/** The records to write for a choice. */
export function toWrite(plan: ImportPlan, choice: ConflictChoice) {
  const take = <T>(s: Split<T>): readonly T[] =>
    choice === 'replace' ? [...s.added, ...s.conflicting] : s.added;
  return { scans: take(plan.scans), lesions: take(plan.lesions) };
}

/** "2 scans and 1 spot imported, 3 already here, 1 kept as it was on this device." */
export function importSummary(plan: ImportPlan, choice: ConflictChoice): string {
  const n = (count: number, one: string, many: string): string =>
    `${count} ${count === 1 ? one : many}`;
  const added = `${n(plan.scans.added.length, 'scan', 'scans')} and ${n(plan.lesions.added.length, 'spot', 'spots')} imported`;
  const same = `${plan.scans.same + plan.lesions.same} already here`;
  const c = conflictCount(plan);
  if (c === 0) return `${added}, ${same}.`;
  const what =
    choice === 'replace' ? 'replaced with the imported version' : 'kept as on this device';
  return `${added}, ${same}, ${c} ${what}.`;
}
