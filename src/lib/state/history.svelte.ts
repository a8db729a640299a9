/**
 * The on-device history for the UI: opens the database (coping with other tabs), saves the
 * current result when the person asks, lists, opens, deletes (and puts back: undo), sets spots'
 * re-check intervals and exports. Every failure leaves what is already stored untouched and ends
 * in a message the person can act on.
 */
import { errorText } from '../../shared/errors';
import { openHistoryDb, type HistoryDb } from '../storage/db';
import { downloadBlob, exportFileName, historyExport } from '../storage/export';
import type { BodyLocation, RecheckMonths, ScanRecord, SpotRecord } from '../storage/schema';
import { ScanStore, SpotGoneError, StorageFullError } from '../storage/scans';
import { newSpotRecord, SpotStore, type DeletedSpot } from '../storage/spots';
import { rgbThumbnail } from '../storage/thumbnail';
import { PREVIEW_SIZE, type ScanResult } from '../scan/pipeline';
import { scanRecord } from '../scan/record';

export type HistoryStatus = 'opening' | 'blocked' | 'ready' | 'closed' | 'unavailable';

/** A spot to create while saving: a name and, if placed, where on the outline. */
export interface SpotToCreate {
  readonly name: string;
  readonly location: BodyLocation | null;
}

export interface SaveDetails {
  /** Only for a scan in no spot: in a spot, the spot's place says where it is. */
  readonly bodySite: string;
  readonly note: string;
  /** An existing spot's id, a new spot, or none. */
  readonly spot?: string | SpotToCreate | null;
}

/** The open database and its two stores. */
export interface Stores {
  readonly db: HistoryDb;
  readonly scans: ScanStore;
  readonly spots: SpotStore;
}

export const HISTORY_MESSAGES = {
  blocked:
    'Your saved scans are waiting for another DermLens tab or window that runs an older ' +
    'version. Close it (or reload it) and this page carries on by itself.',
  closed: 'DermLens was updated in another tab. Reload this page to keep using your saved scans.',
  unavailable:
    'Saved scans are not available in this browser (private mode or storage turned off). ' +
    'Results still work; they just cannot be kept.',
  full:
    'Not saved: this device’s storage is full. Your earlier scans are all still here. Free ' +
    'some space (or delete old scans, or export and delete them), then press Save again.',
  spotGone:
    'Not saved: the spot you chose was deleted meanwhile (in another tab?). Choose a spot ' +
    'again, or none, and press Save again.',
  restoredWithoutSpot: 'Undone: the scan is back, in no spot (its spot was deleted meanwhile).',
  alreadyBack: 'Undone: the scan was already back on this device.',
  undoFull: 'this device’s storage is full. Free some space; nothing else was changed.',
} as const;

class HistoryState {
  status = $state<HistoryStatus>('opening');
  scans = $state.raw<readonly ScanRecord[]>([]);
  /** Every spot, oldest first. */
  spots = $state.raw<readonly SpotRecord[]>([]);
  /** The scan shown in full, if any. */
  opened = $state.raw<ScanRecord | null>(null);
  /** The last action's problem, shown next to the history. */
  error = $state<string | null>(null);
  /** Whether the browser agreed to keep our storage under pressure (asked on first save). */
  persisted = $state<boolean | null>(null);

  private store: Promise<Stores> | null = null;

  /** Opens the database once; safe to call again. */
  start(): Promise<Stores> {
    this.store ??= (async () => {
      try {
        const db = await openHistoryDb({
          onBlocked: () => (this.status = 'blocked'),
          onClosed: () => (this.status = 'closed'),
        });
        const store: Stores = { db, scans: new ScanStore(db), spots: new SpotStore(db) };
        this.status = 'ready';
        await this.refresh(store);
        return store;
      } catch (e) {
        this.status = 'unavailable';
        throw e;
      }
    })();
    this.store.catch(() => undefined);
    return this.store;
  }

  /** Saves a result; returns its id, or null when it could not be saved (message set). */
  async save(result: ScanResult, details: SaveDetails): Promise<string | null> {
    this.error = null;
    try {
      const store = await this.ready();
      // Made before the transaction: nothing but IndexedDB work may be awaited inside one.
      const thumbnail = await rgbThumbnail(result.preview, PREVIEW_SIZE);
      await this.askPersistence();
      // A plain copy: a place picked on the outline is reactive state, which cannot be cloned.
      const spot = $state.snapshot(details.spot) ?? null;
      const newSpot =
        spot && typeof spot !== 'string'
          ? newSpotRecord({
              name: spot.name,
              ...(spot.location ? { location: spot.location } : {}),
            })
          : undefined;
      const spotId = typeof spot === 'string' ? spot : null;
      const bodySite = spot ? '' : details.bodySite;
      const record = await store.scans.save(
        scanRecord(result, { bodySite, note: details.note, spotId }, thumbnail),
        newSpot,
      );
      await this.refresh(store);
      return record.id;
    } catch (e) {
      this.error =
        e instanceof StorageFullError
          ? HISTORY_MESSAGES.full
          : e instanceof SpotGoneError
            ? HISTORY_MESSAGES.spotGone
            : `Not saved: ${errorText(e)}`;
      return null;
    }
  }

  async open(id: string): Promise<void> {
    await this.act(async (store) => {
      this.opened = (await store.scans.get(id)) ?? null;
    });
  }

  /** Deletes a scan; returns it as it was (photo in memory), for undo. */
  async deleteScan(id: string): Promise<ScanRecord | null> {
    let taken: ScanRecord | null = null;
    await this.act(async (store) => {
      taken = (await store.scans.take(id)) ?? null;
      if (this.opened?.id === id) this.opened = null;
    });
    return taken;
  }

  /** Puts a deleted scan back (undo); returns words when it came back other than it was. */
  async restoreScan(scan: ScanRecord): Promise<string | null> {
    const how = await this.restoring((store) => store.scans.restore(scan));
    return how === 'restored'
      ? null
      : how === 'already-here'
        ? HISTORY_MESSAGES.alreadyBack
        : HISTORY_MESSAGES.restoredWithoutSpot;
  }

  /** Puts a saved scan into a spot, or (null) takes it out. */
  async moveToSpot(scanId: string, spotId: string | null): Promise<void> {
    await this.act(async (store) => {
      await store.scans.setSpot(scanId, spotId);
      if (this.opened?.id === scanId) this.opened = (await store.scans.get(scanId)) ?? null;
    });
  }

  async renameSpot(id: string, name: string): Promise<void> {
    await this.act((store) => store.spots.rename(id, name));
  }

  async placeSpot(id: string, location: BodyLocation | null): Promise<void> {
    await this.act((store) => store.spots.setLocation(id, $state.snapshot(location)));
  }

  async setRecheck(id: string, months: RecheckMonths | null): Promise<void> {
    await this.act((store) => store.spots.setRecheck(id, months));
  }

  /** Deletes a spot (its scans stay in History, in no spot); returns what undo needs. */
  async deleteSpot(id: string): Promise<DeletedSpot | null> {
    let deleted: DeletedSpot | null = null;
    await this.act(async (store) => {
      deleted = (await store.spots.delete(id)) ?? null;
    });
    return deleted;
  }

  /** Puts a deleted spot back, with its scans in it again (undo). */
  async restoreSpot(deleted: DeletedSpot): Promise<void> {
    await this.restoring((store) => store.spots.restore(deleted));
  }

  async deleteAll(): Promise<void> {
    await this.act(async (store) => {
      await store.scans.deleteAll();
      this.opened = null;
    });
  }

  /** Downloads every saved scan as one JSON file (built here, never uploaded). */
  async exportAll(): Promise<void> {
    await this.act(async (store) => {
      const file = await historyExport(await store.scans.list(), await store.spots.list());
      const blob = new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' });
      downloadBlob(blob, exportFileName());
    });
  }

  /** The stores, once open; throws the 'closed' message when another tab took over. */
  async ready(): Promise<Stores> {
    if (this.status === 'closed') throw new Error(HISTORY_MESSAGES.closed);
    return this.start();
  }

  /** Runs an action, then reloads the lists; a failure becomes `error`. */
  async act(run: (store: Stores) => Promise<void>): Promise<void> {
    this.error = null;
    try {
      const store = await this.ready();
      await run(store);
      await this.refresh(store);
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** Runs an undo, then reloads the lists; a failure is thrown (the undo bar says it). */
  private async restoring<T>(run: (store: Stores) => Promise<T>): Promise<T> {
    this.error = null;
    const store = await this.ready();
    try {
      return await run(store);
    } catch (e) {
      throw e instanceof StorageFullError ? new Error(HISTORY_MESSAGES.undoFull) : e;
    } finally {
      await this.refresh(store).catch(() => undefined);
    }
  }

  async refresh(store: Stores): Promise<void> {
    this.scans = await store.scans.list();
    this.spots = await store.spots.list();
  }

  /** Asked once, on the first save: the browser then keeps the history under storage pressure. */
  private async askPersistence(): Promise<void> {
    if (this.persisted !== null || !navigator.storage?.persist) return;
    try {
      this.persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
    } catch {
      this.persisted = false;
    }
  }
}

export const history = new HistoryState();
