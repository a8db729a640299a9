import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openHistoryDb } from '../../src/lib/storage/db';
import { historyExport } from '../../src/lib/storage/export';
import { DB_NAME, DB_VERSION } from '../../src/lib/storage/schema';
import {
  isQuotaError,
  ScanStore,
  StorageFullError,
  type NewScan,
} from '../../src/lib/storage/scans';
import { classificationFields } from './fixtures/classification';

function scan(overrides: Partial<NewScan> = {}): NewScan {
  return {
    thumbnail: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' }),
    modelId: 'ham10000-28',
    ...classificationFields(),
    timings: { inferenceMs: 1.5, totalMs: 40 },
    ...overrides,
  };
}

beforeEach(() => {
  // A fresh, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory();
});

describe('scan store', () => {
  it('saves, lists newest first, gets, deletes one (and puts it back) and deletes all', async () => {
    const store = new ScanStore(await openHistoryDb());
    const a = await store.save(scan({ createdAt: 1000, note: 'left arm' }));
    const b = await store.save(scan({ createdAt: 2000, bodySite: 'back' }));
    expect((await store.list()).map((s) => s.id)).toEqual([b.id, a.id]);
    const got = await store.get(a.id);
    expect(got?.note).toBe('left arm');
    expect(got?.thumbnail.size).toBe(4);
    const taken = await store.take(a.id);
    expect((await store.list()).map((s) => s.id)).toEqual([b.id]);
    expect(await store.take(a.id)).toBeUndefined();
    // Undo: the same record, its photo byte for byte (held in memory, not by the store).
    expect(await store.restore(taken!)).toBe('restored');
    const back = await store.get(a.id);
    expect({ ...back, thumbnail: null }).toEqual({ ...a, thumbnail: null });
    expect([...new Uint8Array(await back!.thumbnail.arrayBuffer())]).toEqual([
      0xff, 0xd8, 0xff, 0xd9,
    ]);
    expect(await store.restore(taken!)).toBe('already-here');
    await store.take(a.id);
    await store.deleteAll();
    expect(await store.list()).toEqual([]);
  });

  it('a full disk: StorageFullError, and what was stored before is kept', async () => {
    const store = new ScanStore(await openHistoryDb());
    const kept = await store.save(scan());
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(store.save(scan())).rejects.toBeInstanceOf(StorageFullError);
    add.mockRestore();
    expect((await store.list()).map((s) => s.id)).toEqual([kept.id]);
  });

  it('other failures are not reported as a full disk, and nothing half-written stays', async () => {
    const store = new ScanStore(await openHistoryDb());
    const kept = await store.save(scan());
    const uncloneable = scan({ note: (() => undefined) as unknown as string });
    await expect(store.save(uncloneable)).rejects.toMatchObject({ name: 'DataCloneError' });
    expect((await store.list()).map((s) => s.id)).toEqual([kept.id]);
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });

  it('exports every scan with its thumbnail as a data URL', async () => {
    const store = new ScanStore(await openHistoryDb());
    await store.save(scan({ note: 'n' }));
    const file = await historyExport(await store.list(), [], new Date('2026-01-02T03:04:05Z'));
    expect(file.schemaVersion).toBe(DB_VERSION);
    expect(file.exportedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(file.scans[0]?.thumbnail).toBe('data:image/jpeg;base64,/9j/2Q==');
    expect(file.scans[0]?.note).toBe('n');
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });
});

describe('migrations', () => {
  it('creates the newest schema from nothing', async () => {
    const db = await openHistoryDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['lesions', 'scans']);
    const tx = db.transaction(['scans', 'lesions']);
    expect([...tx.objectStore('scans').indexNames].sort()).toEqual([
      'by-lesion',
      'by-lesion-time',
      'by-time',
    ]);
    expect([...tx.objectStore('lesions').indexNames]).toEqual(['by-time']);
  });

  it('upgrades a v1 database (as v1 wrote it) and keeps its scans', async () => {
    // The v1 layout, written out here on purpose: it must not change when schema.ts does.
    const v1 = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('scans', { keyPath: 'id' }).createIndex('by-time', 'createdAt');
      },
    });
    await v1.put('scans', { id: 'old', createdAt: 5, ...scan() });
    v1.close();

    const db = await openHistoryDb();
    expect(db.version).toBe(DB_VERSION);
    const store = new ScanStore(db);
    expect((await store.list()).map((s) => s.id)).toEqual(['old']);
    expect(await db.count('lesions')).toBe(0);
    expect(await db.getAllFromIndex('scans', 'by-lesion', 'none')).toEqual([]);
  });

  it('an old tab blocks the upgrade until it closes; the new tab is told meanwhile', async () => {
    const old = await openDB(DB_NAME, 1, {
      upgrade: (db) => void db.createObjectStore('scans', { keyPath: 'id' }),
    });
    let blocked = 0;
    const opening = openHistoryDb({ onBlocked: () => blocked++ });
    await new Promise((r) => setTimeout(r, 50));
    expect(blocked).toBe(1);
    old.close(); // what the old tab's versionchange handler (or closing it) does
    expect((await opening).version).toBe(DB_VERSION);
  });

  it('an open connection lets a newer version through: it closes itself and says so', async () => {
    const reasons: string[] = [];
    const db = await openHistoryDb({ onClosed: (r) => reasons.push(r) });
    const newer = await openDB(DB_NAME, DB_VERSION + 1); // resolves only if `db` let go
    expect(newer.version).toBe(DB_VERSION + 1);
    expect(reasons).toEqual(['newer-version']);
    expect(() => db.transaction('scans')).toThrow();
  });
});
