/**
 * The on-device history for the UI: opens the database (coping with other tabs), saves the
 * current result when the person asks, lists, opens, deletes and exports. Every failure leaves
 * what is already stored untouched and ends in a message the person can act on.
 */
import { errorText } from '../../shared/errors';
import { openHistoryDb, type HistoryDb } from '../storage/db';
import { downloadBlob, exportFileName, historyExport } from '../storage/export';
import type { BodyLocation, ScanRecord, SpotRecord } from '../storage/schema';
import { ScanStore, SpotGoneError, StorageFullError } from '../storage/scans';
import { newSpotRecord, SpotStore } from '../storage/spots';
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
      const record = await store.scans.save(
        scanRecord(result, { bodySite: details.bodySite, note: details.note, spotId }, thumbnail),
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

  async delete(id: string): Promise<void> {
    await this.act(async (store) => {
      await store.scans.delete(id);
      if (this.opened?.id === id) this.opened = null;
    });
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

  /** Deletes a spot; its scans stay in History, in no spot. */
  async deleteSpot(id: string): Promise<void> {
    await this.act(async (store) => {
      await store.spots.delete(id);
    });
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
