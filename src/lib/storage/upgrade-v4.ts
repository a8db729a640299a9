/**
 * The v3 -> v4 upgrade: rewrites, inside the upgrade transaction, every scan in a spot that has a
 * body site of its own and every spot that has one (see site.ts), keeping every other field as it
 * is. Nothing but IndexedDB requests is awaited here, so the transaction stays alive; if anything
 * fails, the transaction is aborted and the database stays at v3, untouched.
 */
import type { StoreNames } from 'idb';
import { SPOT_STORE, type HistorySchema, type UpgradeTx } from './schema';
import { enteringSpot, spotSiteV4 } from './site';

/** A v3 record as read during the upgrade: the v4 types do not know v3's spot `bodySite`. */
type V3Record = { readonly bodySite?: string; readonly lesionId?: string } & object;

async function rewrite(
  tx: UpgradeTx,
  store: StoreNames<HistorySchema>,
  change: (record: V3Record) => object | null,
): Promise<void> {
  let cursor = await tx.objectStore(store).openCursor();
  while (cursor) {
    const next = change(cursor.value as V3Record);
    if (next) await cursor.update(next as typeof cursor.value);
    cursor = await cursor.continue();
  }
}

export function upgradeToV4(tx: UpgradeTx): void {
  // An abort is reported by the open itself (it rejects); this promise would go unheard.
  tx.done.catch(() => undefined);
  const done = Promise.all([
    rewrite(tx, 'scans', (scan) =>
      scan.lesionId !== undefined && scan.bodySite !== undefined ? enteringSpot(scan) : null,
    ),
    rewrite(tx, SPOT_STORE, (spot) => (spot.bodySite !== undefined ? spotSiteV4(spot) : null)),
  ]);
  done.catch(() => {
    try {
      tx.abort();
    } catch {
      // Already aborted by the failed request itself.
    }
  });
}
