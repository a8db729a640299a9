/** The `lesions` store: spots the person names and follows over time, and their timelines. */
import type { HistoryDb } from './db';
import type { BodyLocation, LesionRecord, ScanRecord } from './schema';
import { withoutLesion } from './scans';

export interface NewLesion {
  readonly name: string;
  readonly location?: BodyLocation;
  readonly note?: string;
  readonly createdAt?: number;
}

/** A new spot's record (a fresh id, the time now); its name must not be blank. */
export function newLesionRecord(lesion: NewLesion): LesionRecord {
  const name = lesion.name.trim();
  if (!name) throw new Error('A spot needs a name.');
  return { ...lesion, name, id: crypto.randomUUID(), createdAt: lesion.createdAt ?? Date.now() };
}

export class LesionStore {
  constructor(private readonly db: HistoryDb) {}

  async create(lesion: NewLesion): Promise<LesionRecord> {
    const record = newLesionRecord(lesion);
    await this.db.add('lesions', record);
    return record;
  }

  /** Every spot, oldest first. */
  list(): Promise<LesionRecord[]> {
    return this.db.getAllFromIndex('lesions', 'by-time');
  }

  get(id: string): Promise<LesionRecord | undefined> {
    return this.db.get('lesions', id);
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) throw new Error('A spot needs a name.');
    await this.update(id, (l) => ({ ...l, name: trimmed }));
  }

  async setLocation(id: string, location: BodyLocation | null): Promise<void> {
    await this.update(id, ({ location: _old, ...rest }) =>
      location ? { ...rest, location } : rest,
    );
  }

  /** The spot's scans, oldest first (one range of the [lesionId, createdAt] index). */
  timeline(id: string): Promise<ScanRecord[]> {
    const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
    return this.db.getAllFromIndex('scans', 'by-lesion-time', range);
  }

  /**
   * Deletes the spot but keeps its scans: they are detached (lose their lesionId) in the same
   * transaction, so no scan ever points at a spot that is gone.
   */
  async delete(id: string): Promise<number> {
    const tx = this.db.transaction(['lesions', 'scans'], 'readwrite');
    const scans = tx.objectStore('scans');
    const mine = await scans.index('by-lesion').getAll(id);
    await Promise.all([
      ...mine.map((scan) => scans.put(withoutLesion(scan))),
      tx.objectStore('lesions').delete(id),
      tx.done,
    ]);
    return mine.length;
  }

  private async update(id: string, change: (l: LesionRecord) => LesionRecord): Promise<void> {
    const tx = this.db.transaction('lesions', 'readwrite');
    const current = await tx.store.get(id);
    if (!current) throw new Error('That spot no longer exists.');
    await Promise.all([tx.store.put(change(current)), tx.done]);
  }
}
