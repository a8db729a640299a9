/**
 * The spots store: spots the person names and follows over time, their timelines, their re-check
 * intervals; deleting one (and putting it back: undo).
 */
import type { HistoryDb } from './db';
import {
  fromStoredScan,
  SCANS_BY_SPOT,
  SCANS_BY_SPOT_TIME,
  SPOT_STORE,
  toStoredScan,
  type BodyLocation,
  type RecheckMonths,
  type ScanRecord,
  type SpotRecord,
} from './schema';
import { inSpot, withoutSpot, writeAll } from './scans';

/** What deleting a spot took away: enough to put it back as it was. */
export interface DeletedSpot {
  readonly spot: SpotRecord;
  /** The scans that were in it (they stay, in no spot). */
  readonly scanIds: readonly string[];
}

/** What the caller provides; the store adds the id and (unless given) the time. */
export interface NewSpot {
  readonly name: string;
  readonly location?: BodyLocation;
  readonly note?: string;
  readonly createdAt?: number;
}

/** A new spot's record (a fresh id, the time now); its name must not be blank. */
export function newSpotRecord(spot: NewSpot): SpotRecord {
  const name = spot.name.trim();
  if (!name) throw new Error('A spot needs a name.');
  return { ...spot, name, id: crypto.randomUUID(), createdAt: spot.createdAt ?? Date.now() };
}

export class SpotStore {
  constructor(private readonly db: HistoryDb) {}

  async create(spot: NewSpot): Promise<SpotRecord> {
    const record = newSpotRecord(spot);
    await this.db.add(SPOT_STORE, record);
    return record;
  }

  /** Every spot, oldest first. */
  list(): Promise<SpotRecord[]> {
    return this.db.getAllFromIndex(SPOT_STORE, 'by-time');
  }

  get(id: string): Promise<SpotRecord | undefined> {
    return this.db.get(SPOT_STORE, id);
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

  /** Sets (or, null, removes) how many months after its latest scan the spot is due again. */
  async setRecheck(id: string, months: RecheckMonths | null): Promise<void> {
    await this.update(id, ({ recheckMonths: _old, ...rest }) =>
      months ? { ...rest, recheckMonths: months } : rest,
    );
  }

  /** The spot's scans, oldest first (one range of the [spot, createdAt] index). */
  async timeline(id: string): Promise<ScanRecord[]> {
    const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
    return (await this.db.getAllFromIndex('scans', SCANS_BY_SPOT_TIME, range)).map(fromStoredScan);
  }

  /**
   * Deletes the spot but keeps its scans: they are taken out of it in the same transaction, so
   * no scan ever points at a spot that is gone. Returns what restore() needs to undo it
   * (undefined: the spot was not there).
   */
  async delete(id: string): Promise<DeletedSpot | undefined> {
    const tx = this.db.transaction([SPOT_STORE, 'scans'], 'readwrite');
    const scans = tx.objectStore('scans');
    const [spot, mine] = await Promise.all([
      tx.objectStore(SPOT_STORE).get(id),
      scans.index(SCANS_BY_SPOT).getAll(id),
    ]);
    await Promise.all([
      ...mine.map((scan) => scans.put(toStoredScan(withoutSpot(fromStoredScan(scan))))),
      tx.objectStore(SPOT_STORE).delete(id),
      tx.done,
    ]);
    return spot && { spot, scanIds: mine.map((s) => s.id) };
  }

  /**
   * Undoes delete(): the spot comes back as it was, and its scans go back into it, those that
   * are still here and in no spot (one put into another spot meanwhile stays there). All or
   * nothing; a spot with its id here again (imported meanwhile) stays as it is.
   */
  async restore({ spot, scanIds }: DeletedSpot): Promise<void> {
    const tx = this.db.transaction([SPOT_STORE, 'scans'], 'readwrite');
    const scans = tx.objectStore('scans');
    const [here, ...current] = await Promise.all([
      tx.objectStore(SPOT_STORE).count(spot.id),
      ...scanIds.map((id) => scans.get(id)),
    ]);
    await writeAll(tx, (track) => {
      if (!here) track(tx.objectStore(SPOT_STORE).add(spot));
      for (const stored of current) {
        if (stored && stored.lesionId === undefined) {
          track(scans.put(toStoredScan(inSpot(fromStoredScan(stored), spot.id))));
        }
      }
    });
  }

  private async update(id: string, change: (s: SpotRecord) => SpotRecord): Promise<void> {
    const tx = this.db.transaction(SPOT_STORE, 'readwrite');
    const current = await tx.store.get(id);
    if (!current) throw new Error('That spot no longer exists.');
    await Promise.all([tx.store.put(change(current)), tx.done]);
  }
}
