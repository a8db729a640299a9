/**
 * Importing a checked history file into the database: compare with what is here (only the
 * file's ids are read), then write the chosen records in one transaction (all or nothing).
 */
import type { HistoryDb } from './db';
import { blobToDataUrl, dataUrlToBlob, type ExportedScan, type ExportedSpot } from './export';
import { planImport, toWrite, type ConflictChoice, type ImportPlan } from './merge';
import { writeAll } from './scans';
import { SPOT_STORE, type StoredScan } from './schema';
import type { ValidHistory } from './validate';

/** Reads the device's records that share an id with the file and plans the import. */
export async function planFor(db: HistoryDb, file: ValidHistory): Promise<ImportPlan> {
  const tx = db.transaction(['scans', SPOT_STORE]);
  const [scansHere, spotsHere] = await Promise.all([
    Promise.all(file.scans.map(({ id }) => tx.objectStore('scans').get(id))),
    Promise.all(file.lesions.map(({ id }) => tx.objectStore(SPOT_STORE).get(id))),
  ]);
  // Thumbnails read after the transaction: nothing but IndexedDB work may be awaited inside it.
  const scans = new Map<string, ExportedScan>();
  for (const here of scansHere) {
    if (here) scans.set(here.id, { ...here, thumbnail: await blobToDataUrl(here.thumbnail) });
  }
  const spots = new Map<string, ExportedSpot>();
  for (const here of spotsHere) if (here) spots.set(here.id, here);
  return planImport(file, { scans, spots });
}

/** Writes the plan's records for the choice, in one transaction; a full disk writes nothing. */
export async function applyImport(
  db: HistoryDb,
  plan: ImportPlan,
  choice: ConflictChoice,
): Promise<void> {
  const chosen = toWrite(plan, choice);
  // Blobs made first: nothing but IndexedDB work may be awaited inside the transaction.
  // The file's records have the stored shape (schema.ts): written as they are, photos as blobs.
  const scans: StoredScan[] = chosen.scans.map((s) => ({
    ...s,
    thumbnail: dataUrlToBlob(s.thumbnail),
  }));
  const tx = db.transaction([SPOT_STORE, 'scans'], 'readwrite');
  await writeAll(tx, (track) => {
    for (const spot of chosen.spots) track(tx.objectStore(SPOT_STORE).put(spot));
    for (const s of scans) track(tx.objectStore('scans').put(s));
  });
}
