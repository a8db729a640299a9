/**
 * The history's operations on the `scans` store: save, list, get, move in or out of a spot,
 * delete one (and put it back: undo), delete all.
 */
import type { HistoryDb } from './db';
import {
  fromStoredScan,
  SPOT_STORE,
  toStoredScan,
  type ScanRecord,
  type SpotRecord,
} from './schema';
import { enteringSpot, leavingSpot } from './site';

/** What the caller provides; the store adds the id and the time. */
export type NewScan = Omit<ScanRecord, 'id' | 'createdAt'> & { readonly createdAt?: number };

/** The browser refused to store more (disk or quota full). Nothing was written. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

/** The spot a scan was to be saved into no longer exists. Nothing was written. */
export class SpotGoneError extends Error {
  override name = 'SpotGoneError';
}

/** QuotaExceededError (Chromium, Safari) or Firefox's older name for it. */
export function isQuotaError(error: unknown): boolean {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** What writeAll needs of a transaction (an idb readwrite transaction on any stores). */
interface WriteTx {
  readonly done: Promise<void>;
  readonly error: DOMException | null;
  abort(): void;
}

/**
 * Queues requests on one transaction and waits for it: all or nothing. A request that throws at
 * once (DataCloneError, QuotaExceededError) would otherwise leave the earlier ones to commit, so
 * the transaction is aborted; a full disk becomes StorageFullError. Every request's promise is
 * settled here, so an abort leaves no unhandled rejection; the error that counts is tx.done's.
 */
export async function writeAll(
  tx: WriteTx,
  queue: (track: (request: Promise<unknown>) => void) => void,
): Promise<void> {
  tx.done.catch(() => undefined);
  const writes: Promise<unknown>[] = [tx.done];
  try {
    queue((request) => void writes.push(request.catch((e: unknown) => e)));
    await Promise.all(writes);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted: nothing of it was committed, or nothing is left to undo.
    }
    if (isQuotaError(error) || isQuotaError(tx.error)) {
      throw new StorageFullError('storage full', { cause: error });
    }
    throw error;
  }
}

/** The scan, belonging to no spot (with its own body site back, see site.ts). */
export const withoutSpot = ({ spotId: _gone, ...rest }: ScanRecord): ScanRecord =>
  leavingSpot(rest);

/** The scan in a spot (its own body site, if any, kept as legacyBodySite). */
export const inSpot = (scan: ScanRecord, spotId: string): ScanRecord => ({
  ...enteringSpot(scan),
  spotId,
});

/** A copy whose photo is in memory: it outlives the stored record (for undo). */
async function detached(scan: ScanRecord): Promise<ScanRecord> {
  const bytes = await scan.thumbnail.arrayBuffer();
  return { ...scan, thumbnail: new Blob([bytes], { type: scan.thumbnail.type }) };
}

export class ScanStore {
  constructor(private readonly db: HistoryDb) {}

  /**
   * Adds a scan (and, if given, the new spot it goes into) in one transaction. A full disk usually
   * shows only when the transaction commits (it aborts with QuotaExceededError), so the write
   * counts as done only after `tx.done`.
   */
  async save(scan: NewScan, newSpot?: SpotRecord): Promise<ScanRecord> {
    const fresh: ScanRecord = {
      ...scan,
      id: crypto.randomUUID(),
      createdAt: scan.createdAt ?? Date.now(),
    };
    const spotId = newSpot?.id ?? fresh.spotId;
    const record = spotId ? inSpot(fresh, spotId) : fresh;
    const tx = this.db.transaction(['scans', SPOT_STORE], 'readwrite');
    // The spot chosen may have been deleted since (another tab): checked in the same transaction,
    // so a scan never points at a spot that is not there (an export of it would not import).
    if (record.spotId && !newSpot && !(await tx.objectStore(SPOT_STORE).count(record.spotId))) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new SpotGoneError('spot gone');
    }
    await writeAll(tx, (track) => {
      if (newSpot) track(tx.objectStore(SPOT_STORE).add(newSpot));
      track(tx.objectStore('scans').add(toStoredScan(record)));
    });
    return record;
  }

  /** Every scan, newest first. */
  async list(): Promise<ScanRecord[]> {
    return (await this.db.getAllFromIndex('scans', 'by-time')).reverse().map(fromStoredScan);
  }

  async get(id: string): Promise<ScanRecord | undefined> {
    const stored = await this.db.get('scans', id);
    return stored && fromStoredScan(stored);
  }

  /** Puts a scan into a spot, or (null) takes it out of any. */
  async setSpot(id: string, spotId: string | null): Promise<void> {
    const tx = this.db.transaction(['scans', SPOT_STORE], 'readwrite');
    const scans = tx.objectStore('scans');
    const current = await scans.get(id);
    if (!current) throw new Error('That scan no longer exists.');
    if (spotId && !(await tx.objectStore(SPOT_STORE).get(spotId))) {
      throw new Error('That spot no longer exists.');
    }
    const rest = withoutSpot(fromStoredScan(current));
    await Promise.all([scans.put(toStoredScan(spotId ? inSpot(rest, spotId) : rest)), tx.done]);
  }

  /**
   * Deletes a scan and returns it as it was, its photo copied into memory first, so that it can
   * be put back (undo) even though the stored photo is gone. Undefined: it was not there.
   */
  async take(id: string): Promise<ScanRecord | undefined> {
    const stored = await this.get(id);
    if (!stored) return undefined;
    const copy = await detached(stored);
    await this.db.delete('scans', id);
    return copy;
  }

  /**
   * Puts a deleted scan back as it was. If its spot was deleted meanwhile, it comes back in no
   * spot (a scan never points at a spot that is not there); if a scan with its id is here again
   * (imported meanwhile), that one stays. Returns whether it is back in its spot.
   */
  async restore(scan: ScanRecord): Promise<'restored' | 'restored-without-spot' | 'already-here'> {
    const tx = this.db.transaction(['scans', SPOT_STORE], 'readwrite');
    const [here, spotHere] = await Promise.all([
      tx.objectStore('scans').count(scan.id),
      scan.spotId ? tx.objectStore(SPOT_STORE).count(scan.spotId) : Promise.resolve(1),
    ]);
    if (here) {
      await tx.done;
      return 'already-here';
    }
    const record = spotHere ? scan : withoutSpot(scan);
    await writeAll(tx, (track) => track(tx.objectStore('scans').add(toStoredScan(record))));
    return spotHere ? 'restored' : 'restored-without-spot';
  }

  /** Deletes every scan and spot in one transaction: all or nothing. */
  async deleteAll(): Promise<void> {
    const tx = this.db.transaction(['scans', SPOT_STORE], 'readwrite');
    await Promise.all([
      tx.objectStore('scans').clear(),
      tx.objectStore(SPOT_STORE).clear(),
      tx.done,
    ]);
  }
}
