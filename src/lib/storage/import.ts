/**
 * Importing a checked history file into the database: compare with what is here (only the
 * file's ids are read), then write the chosen records in one transaction (all or nothing).
 */
import type { HistoryDb } from './db';
import { blobToDataUrl, dataUrlToBlob, type ExportedLesion, type ExportedScan } from './export';
import { planImport, toWrite, type ConflictChoice, type ImportPlan } from './merge';
import { isQuotaError, StorageFullError } from './scans';
import type { ScanRecord } from './schema';
import type { ValidHistory } from './validate';

/** A request that throws at once leaves the transaction open: undo what went before it. */
function abort(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already aborted or finished (then nothing was committed, or nothing is left to undo).
  }
}

/** Reads the device's records that share an id with the file and plans the import. */
export async function planFor(db: HistoryDb, file: ValidHistory): Promise<ImportPlan> {
  const scans = new Map<string, ExportedScan>();
  const lesions = new Map<string, ExportedLesion>();
  for (const { id } of file.scans) {
    const here = await db.get('scans', id);
    if (here) scans.set(id, { ...here, thumbnail: await blobToDataUrl(here.thumbnail) });
  }
  for (const { id } of file.lesions) {
    const here = await db.get('lesions', id);
    if (here) lesions.set(id, here);
  }
  return planImport(file, { scans, lesions });
}

/** Writes the plan's records for the choice, in one transaction; a full disk writes nothing. */
export async function applyImport(
  db: HistoryDb,
  plan: ImportPlan,
  choice: ConflictChoice,
): Promise<void> {
  const chosen = toWrite(plan, choice);
  // Blobs made first: nothing but IndexedDB work may be awaited inside the transaction.
  const scans: ScanRecord[] = chosen.scans.map((s) => ({
    ...s,
    thumbnail: dataUrlToBlob(s.thumbnail),
  }));
  const tx = db.transaction(['lesions', 'scans'], 'readwrite');
  // Every request's promise is settled here, so an abort leaves no unhandled rejection.
  tx.done.catch(() => undefined);
  const writes: Promise<unknown>[] = [tx.done];
  const track = (p: Promise<unknown>): void => void writes.push(p.catch((e: unknown) => e));
  try {
    for (const l of chosen.lesions) track(tx.objectStore('lesions').put(l));
    for (const s of scans) track(tx.objectStore('scans').put(s));
    await Promise.all(writes);
  } catch (error) {
    abort(tx);
    if (isQuotaError(error) || isQuotaError(tx.error)) {
      throw new StorageFullError('storage full', { cause: error });
    }
    throw error;
  }
}
