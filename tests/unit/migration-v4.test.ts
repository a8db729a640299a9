/**
 * The v4 upgrade (one place for where a spot is, re-check intervals) from a database written by
 * v3's own code (a frozen copy), every field of every record checked; a failed upgrade leaves the
 * v3 database as it was; and the v4 rules for body sites when scans move, spots are deleted and
 * deletes are undone.
 */
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openHistoryDb } from '../../src/lib/storage/db';
import { DB_VERSION } from '../../src/lib/storage/schema';
import { ScanStore } from '../../src/lib/storage/scans';
import { SpotStore } from '../../src/lib/storage/spots';
import { siteOf } from '../../src/lib/tracking/site';
import { openHistoryDbV3, type SpotRecordV3, type StoredScanV3 } from './fixtures/history-v3';

const labels = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'];

function v3Scan(id: string, createdAt: number, extra: Partial<StoredScanV3> = {}): StoredScanV3 {
  return {
    id,
    createdAt,
    thumbnail: new Blob([new Uint8Array([0xff, 0xd8, 0xff, createdAt % 250, 0xff, 0xd9])], {
      type: 'image/jpeg',
    }),
    modelId: 'derm-lite0-128',
    modelVersion: '2.0.0',
    labels,
    labelNames: Object.fromEntries(labels.map((l) => [l, l.toUpperCase()])),
    malignant: ['akiec', 'bcc', 'mel'],
    probabilities: [0.05, 0.05, 0.1, 0.1, 0.2, 0.45, 0.05],
    malignantRisk: 0.3,
    band: 'medium',
    backend: 'wasm',
    timings: { inferenceMs: 12.5, totalMs: 310 },
    ...extra,
  };
}

/** Placed on the front at the right shoulder, no body site. */
const placed: SpotRecordV3 = {
  id: 'sp-placed',
  name: 'Mole',
  createdAt: 10,
  location: { view: 'front', x: 0.31, y: 0.19 },
  note: 'watch it',
};
/** v2's body site beside a place. */
const sited: SpotRecordV3 = {
  id: 'sp-sited',
  name: 'Back mole',
  createdAt: 20,
  bodySite: 'Back',
  location: { view: 'back', x: 0.5, y: 0.36 },
};
/** A body site and no place. */
const unplaced: SpotRecordV3 = {
  id: 'sp-unplaced',
  name: 'Ankle',
  createdAt: 30,
  bodySite: 'Foot',
};
const bare: SpotRecordV3 = { id: 'sp-bare', name: 'Bare', createdAt: 40 };

const SCANS = [
  // In a spot, a body site that disagrees with the spot's place (the case the person reported).
  v3Scan('a', 100, { lesionId: 'sp-placed', bodySite: 'Back', note: 'itchy', quality: ['dark'] }),
  v3Scan('b', 110, { lesionId: 'sp-placed' }),
  v3Scan('c', 120, { bodySite: 'Arm', note: 'in no spot' }),
  v3Scan('d', 130, { lesionId: 'sp-unplaced', bodySite: 'Foot' }),
  v3Scan('e', 140),
  v3Scan('f', 150, { lesionId: 'sp-sited', bodySite: 'Back', quality: ['blurred', 'far'] }),
];

/** A copy without one field (v4 moves a field under another name). */
function without<T extends object>(record: T, key: keyof T): T {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** A scan to save: v3's fields, less the id and time the store gives. */
function toSave(extra: Partial<StoredScanV3>) {
  return without(without(v3Scan('x', 1, extra), 'id'), 'createdAt');
}

/** Blobs compared by their bytes and type (fake-indexeddb clones them). */
async function plain<T extends { thumbnail: Blob }>(s: T) {
  return {
    ...s,
    thumbnail: [s.thumbnail.type, [...new Uint8Array(await s.thumbnail.arrayBuffer())]],
  };
}

async function writeV3(): Promise<void> {
  const v3 = await openHistoryDbV3();
  expect(v3.version).toBe(3);
  for (const spot of [placed, sited, unplaced, bare]) await v3.put('lesions', spot);
  for (const scan of SCANS) await v3.put('scans', scan);
  v3.close();
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('upgrade from v3 (a database written by v3’s own code)', () => {
  it('keeps every field of every record; a body site in a spot is kept as legacyBodySite', async () => {
    await writeV3();
    const db = await openHistoryDb();
    expect(db.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(4);

    // Written out by hand, field for field: what v4 must hold for each v3 record.
    const [a, b, c, d, e, f] = SCANS.map((s) => s);
    const expectedScans = [
      {
        id: 'a',
        createdAt: 100,
        thumbnail: a!.thumbnail,
        modelId: 'derm-lite0-128',
        modelVersion: '2.0.0',
        labels,
        labelNames: a!.labelNames,
        malignant: ['akiec', 'bcc', 'mel'],
        probabilities: [0.05, 0.05, 0.1, 0.1, 0.2, 0.45, 0.05],
        malignantRisk: 0.3,
        band: 'medium',
        backend: 'wasm',
        timings: { inferenceMs: 12.5, totalMs: 310 },
        legacyBodySite: 'Back',
        note: 'itchy',
        lesionId: 'sp-placed',
        quality: ['dark'],
      },
      b,
      c,
      { ...without(d!, 'bodySite'), legacyBodySite: 'Foot' },
      e,
      { ...without(f!, 'bodySite'), legacyBodySite: 'Back' },
    ];
    const stored = await db.getAll('scans');
    expect(await Promise.all(stored.map(plain))).toEqual(
      await Promise.all(expectedScans.map((s) => plain(s as StoredScanV3))),
    );
    // Not one field more or less than v3 had (bodySite and legacyBodySite counted as one).
    for (const [i, s] of stored.entries()) {
      const before = Object.keys(SCANS[i]!).map((k) => (k === 'bodySite' ? 'site' : k));
      const after = Object.keys(s).map((k) =>
        k === 'bodySite' || k === 'legacyBodySite' ? 'site' : k,
      );
      expect(after.sort()).toEqual(before.sort());
    }
    expect(await db.getAll('lesions')).toEqual([
      bare,
      placed,
      {
        id: 'sp-sited',
        name: 'Back mole',
        createdAt: 20,
        legacyBodySite: 'Back',
        location: { view: 'back', x: 0.5, y: 0.36 },
      },
      { id: 'sp-unplaced', name: 'Ankle', createdAt: 30, legacyBodySite: 'Foot' },
    ]);

    // Indexes still work, and where a scan is now comes from its spot's place alone.
    const spots = new SpotStore(db);
    expect((await spots.timeline('sp-placed')).map((s) => s.id)).toEqual(['a', 'b']);
    const scans = await new ScanStore(db).list();
    const all = await spots.list();
    const site = (id: string) =>
      siteOf(
        scans.find((s) => s.id === id)!,
        all,
      );
    expect(site('a')).toBe('Right shoulder (front)');
    expect(site('c')).toBe('Arm');
    expect(site('d')).toBeNull();
    expect(site('f')).toBe('Lower back (back)');
  });

  it('a failing upgrade is rolled back: the v3 database stays as it was', async () => {
    await writeV3();
    const update = vi.spyOn(IDBCursor.prototype, 'update').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(openHistoryDb()).rejects.toBeDefined();
    update.mockRestore();
    const v3 = await openHistoryDbV3();
    expect(v3.version).toBe(3);
    expect(await Promise.all((await v3.getAll('scans')).map(plain))).toEqual(
      await Promise.all(SCANS.map(plain)),
    );
    expect(await v3.getAll('lesions')).toEqual([bare, placed, sited, unplaced]);
    v3.close();
    // Once the cause is gone, the upgrade goes through.
    expect((await openHistoryDb()).version).toBe(4);
  });
});

describe('one place for where a spot is (v4)', () => {
  it('a scan moved into a spot keeps its site as legacyBodySite; out again, it is its site', async () => {
    const db = await openHistoryDb();
    const scans = new ScanStore(db);
    const spots = new SpotStore(db);
    const spot = await spots.create({
      name: 'Knee',
      location: { view: 'front', x: 0.39, y: 0.75 },
    });
    const base = toSave({ bodySite: 'Leg' });
    const saved = await scans.save({ ...base, createdAt: 5 });
    expect(saved).toMatchObject({ bodySite: 'Leg' });
    await scans.setSpot(saved.id, spot.id);
    const moved = await scans.get(saved.id);
    expect(moved).toMatchObject({ legacyBodySite: 'Leg', spotId: spot.id });
    expect(moved).not.toHaveProperty('bodySite');
    expect(siteOf(moved!, await spots.list())).toBe('Right knee (front)');
    await scans.setSpot(saved.id, null);
    const out = await scans.get(saved.id);
    expect(out).toMatchObject({ bodySite: 'Leg' });
    expect(out).not.toHaveProperty('legacyBodySite');

    // Saved straight into a spot with a site given (not what the app does): kept, as legacy.
    const direct = await scans.save({ ...base, spotId: spot.id });
    expect(await scans.get(direct.id)).toMatchObject({ legacyBodySite: 'Leg' });
    expect(await scans.get(direct.id)).not.toHaveProperty('bodySite');
  });

  it('a deleted spot, undone: back as it was, with its scans in it again', async () => {
    const db = await openHistoryDb();
    const scans = new ScanStore(db);
    const spots = new SpotStore(db);
    const spot = await spots.create({ name: 'Calf', note: 'n', createdAt: 3 });
    await spots.setRecheck(spot.id, 6);
    const kept = await spots.get(spot.id);
    expect(kept).toMatchObject({ recheckMonths: 6 });
    const base = toSave({ bodySite: 'Leg' });
    const one = await scans.save({ ...base, createdAt: 1 });
    await scans.setSpot(one.id, spot.id);
    const two = await scans.save({ ...base, createdAt: 2, spotId: spot.id });
    const other = await spots.create({ name: 'Other' });
    const before = await scans.list();

    const deleted = await spots.delete(spot.id);
    expect([...(deleted?.scanIds ?? [])].sort()).toEqual([one.id, two.id].sort());
    // Out of the spot: each scan has its own site back.
    expect((await scans.list()).map((s) => [s.spotId, s.bodySite])).toEqual([
      [undefined, 'Leg'],
      [undefined, 'Leg'],
    ]);
    // Meanwhile one of them is put into another spot: it stays there.
    await scans.setSpot(two.id, other.id);
    await spots.restore(deleted!);
    expect(await spots.get(spot.id)).toEqual(kept);
    const after = await scans.list();
    expect(after.find((s) => s.id === one.id)).toEqual(before.find((s) => s.id === one.id));
    expect(after.find((s) => s.id === two.id)).toMatchObject({ spotId: other.id });
    await spots.setRecheck(spot.id, null);
    expect(await spots.get(spot.id)).not.toHaveProperty('recheckMonths');
  });

  it('a deleted scan whose spot went meanwhile comes back in no spot, with its own site', async () => {
    const db = await openHistoryDb();
    const scans = new ScanStore(db);
    const spots = new SpotStore(db);
    const spot = await spots.create({ name: 'Wrist' });
    const base = toSave({ bodySite: 'Hand' });
    const saved = await scans.save({ ...base, createdAt: 9, spotId: spot.id });
    const taken = await scans.take(saved.id);
    expect(taken).toMatchObject({ spotId: spot.id, legacyBodySite: 'Hand' });
    await spots.delete(spot.id);
    expect(await scans.restore(taken!)).toBe('restored-without-spot');
    const back = await scans.get(saved.id);
    expect(back).toMatchObject({ bodySite: 'Hand', createdAt: 9 });
    expect(back).not.toHaveProperty('spotId');
    expect(back).not.toHaveProperty('legacyBodySite');
  });
});
