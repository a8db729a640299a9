/**
 * Opening the history database so that tabs never deadlock each other: an open blocked by an old
 * tab says so (and completes once that tab lets go), and a tab whose connection stands in the
 * way of a newer version closes it at once and asks the person to reload.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, migrate, type HistorySchema } from './schema';

export type HistoryDb = IDBPDatabase<HistorySchema>;

export interface OpenEvents {
  /** Another tab holds an older version open; the upgrade waits for it. */
  readonly onBlocked?: () => void;
  /** This connection was closed: a newer version (another tab) or the browser needs the db. */
  readonly onClosed?: (reason: 'newer-version' | 'terminated') => void;
}

export async function openHistoryDb(events: OpenEvents = {}, name = DB_NAME): Promise<HistoryDb> {
  const db: HistoryDb = await openDB<HistorySchema>(name, DB_VERSION, {
    upgrade: (database, oldVersion, _newVersion, tx) => migrate(database, oldVersion, tx),
    blocked: () => events.onBlocked?.(),
    blocking: () => {
      // Holding on would hang the other tab's upgrade forever.
      db.close();
      events.onClosed?.('newer-version');
    },
    terminated: () => events.onClosed?.('terminated'),
  });
  return db;
}
