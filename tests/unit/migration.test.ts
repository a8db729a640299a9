import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openHistoryDb } from '../../src/lib/storage/db';
import { DB_NAME, DB_VERSION } from '../../src/lib/storage/schema';
import { ScanStore, SpotGoneError } from '../../src/lib/storage/scans';
import { newSpotRecord, SpotStore } from '../../src/lib/storage/spots';
import { openHistoryDbV2, type LesionRecordV2, type ScanRecordV2 } from './fixtures/history-v2';

const labels = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'];

function v2Scan(id: string, createdAt: number, extra: Partial<ScanRecordV2> = {}): ScanRecordV2 {
  return {
    id,
    createdAt,
    thumbnail: new Blob([new Uint8Array([0xff, 0xd8, 0xff, id.length, 0xff, 0xd9])], {
      type: 'image/jpeg',
    }),
    modelId: 'ham10000-128',
    modelVersion: '1.0.0',
    labels,
    labelNames: Object.fromEntries(labels.map((l) => [l, l.toUpperCase()])),
    malignant: ['akiec', 'bcc', 'mel'],
    probabilities: [0.05, 0.05, 0.1, 0.1, 0.2, 0.45, 0.05],
    malignantRisk: 0.3,
    band: 'medium',
    backend: 'webgl',
    timings: { inferenceMs: 12.5, totalMs: null },
    ...extra,
  };
}

const shoulder: LesionRecordV2 = {
  id: 'l-1',
  name: 'Left shoulder',
  createdAt: 10,
  bodySite: 'Back',
};
const ankle: LesionRecordV2 = { id: 'l-2', name: 'Ankle', createdAt: 20 };

/** Blobs compared by their bytes and type (fake-indexeddb clones them). */
async function plain<T extends { thumbnail: Blob }>(s: T) {
  return {
    ...s,
    thumbnail: [s.thumbnail.type, [...new Uint8Array(await s.thumbnail.arrayBuffer())]],
  };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('upgrade from v2 (a database written by v2’s own code)', () => {
  it('keeps every scan and spot field for field (body sites as v4 keeps them); the timeline index works', async () => {
    const scans = [
      v2Scan('s-a', 300, { lesionId: 'l-1', note: 'itchy' }),
      v2Scan('s-b', 100, { lesionId: 'l-1', bodySite: 'Back' }),
      v2Scan('s-c', 200),
      v2Scan('s-d', 150, { lesionId: 'l-2' }),
    ];
    const v2 = await openHistoryDbV2();
    expect(v2.version).toBe(2);
    for (const l of [shoulder, ankle]) await v2.put('lesions', l);
    for (const s of scans) await v2.put('scans', s);
    v2.close();

    const db = await openHistoryDb();
    expect(db.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(4);
    const stored = await db.getAll('scans');
    // v4: a scan in a spot keeps its own body site as legacyBodySite, as does a spot (site.ts).
    const sB = { ...scans[1]!, legacyBodySite: 'Back' };
    delete sB.bodySite;
    const expected = [scans[0]!, sB, scans[2]!, scans[3]!];
    expect(await Promise.all(stored.map(plain))).toEqual(await Promise.all(expected.map(plain)));
    expect(await db.getAll('lesions')).toEqual([
      { id: 'l-1', name: 'Left shoulder', createdAt: 10, legacyBodySite: 'Back' },
      ankle,
    ]);
    expect([...db.transaction('scans').store.indexNames].sort()).toEqual([
      'by-lesion',
      'by-lesion-time',
      'by-time',
    ]);

    const spots = new SpotStore(db);
    expect((await spots.timeline('l-1')).map((s) => s.id)).toEqual(['s-b', 's-a']);
    expect((await spots.timeline('l-2')).map((s) => s.id)).toEqual(['s-d']);
    const read = await new ScanStore(db).list();
    expect(read.map((s) => s.id)).toEqual(['s-a', 's-c', 's-d', 's-b']);
    // The code's word for the stored lesionId is spotId; a scan in no spot has neither.
    expect(read.map((s) => s.spotId)).toEqual(['l-1', undefined, 'l-2', 'l-1']);
    expect(read.filter((s) => 'lesionId' in s)).toEqual([]);
  });

  it('upgrades from v1 straight to v4', async () => {
    const v1 = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('scans', { keyPath: 'id' }).createIndex('by-time', 'createdAt');
      },
    });
    await v1.put('scans', v2Scan('old', 5));
    v1.close();
    const db = await openHistoryDb();
    expect(db.version).toBe(4);
    expect((await db.getAll('scans')).map((s) => s.id)).toEqual(['old']);
    expect(await db.count('lesions')).toBe(0);
    expect(await new SpotStore(db).timeline('any')).toEqual([]);
  });
});

describe('spots', () => {
  it('create, rename, place, list, timeline, move a scan in and out, delete keeps scans', async () => {
    const db = await openHistoryDb();
    const spots = new SpotStore(db);
    const scans = new ScanStore(db);
    const mole = await spots.create({ name: '  Left shoulder mole ', createdAt: 1 });
    expect(mole.name).toBe('Left shoulder mole');
    await expect(spots.create({ name: '  ' })).rejects.toThrow(/name/);
    await spots.rename(mole.id, 'Shoulder mole');
    await spots.setLocation(mole.id, { view: 'back', x: 0.3, y: 0.25 });
    expect(await spots.get(mole.id)).toMatchObject({
      name: 'Shoulder mole',
      location: { view: 'back', x: 0.3, y: 0.25 },
    });
    await spots.setLocation(mole.id, null);
    expect(await spots.get(mole.id)).not.toHaveProperty('location');

    const base = v2Scan('x', 0);
    const late = await scans.save({ ...base, createdAt: 500, spotId: mole.id });
    // On disk the spot keeps its v2 name, so v2's indexes and export format still hold.
    expect(await db.get('scans', late.id)).toMatchObject({ lesionId: mole.id });
    expect(await db.get('scans', late.id)).not.toHaveProperty('spotId');
    const early = await scans.save({ ...base, createdAt: 100 });
    await scans.setSpot(early.id, mole.id);
    expect((await spots.timeline(mole.id)).map((s) => s.id)).toEqual([early.id, late.id]);
    expect(await scans.get(early.id)).toMatchObject({ spotId: mole.id });
    await scans.setSpot(early.id, null);
    expect(await scans.get(early.id)).not.toHaveProperty('spotId');
    expect(await db.get('scans', early.id)).not.toHaveProperty('lesionId');
    await expect(scans.setSpot(early.id, 'nope')).rejects.toThrow(/spot/);

    const deleted = await spots.delete(mole.id);
    expect(deleted?.scanIds).toEqual([late.id]);
    expect(deleted?.spot).toEqual({ id: mole.id, name: 'Shoulder mole', createdAt: 1 });
    expect(await spots.list()).toEqual([]);
    expect((await scans.list()).map((s) => s.id)).toEqual([late.id, early.id]);
    expect(await scans.get(late.id)).not.toHaveProperty('spotId');
    expect(await db.get('scans', late.id)).not.toHaveProperty('lesionId');
  });

  it('a scan saved into a new spot writes both, or neither', async () => {
    const db = await openHistoryDb();
    const scans = new ScanStore(db);
    const spot = newSpotRecord({ name: 'Ankle' });
    const saved = await scans.save(v2Scan('x', 0), spot);
    expect(saved.spotId).toBe(spot.id);
    expect(await new SpotStore(db).get(spot.id)).toEqual(spot);

    const other = newSpotRecord({ name: 'Knee' });
    const uncloneable = v2Scan('y', 1, { note: (() => 'x') as unknown as string });
    await expect(scans.save(uncloneable, other)).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(await db.count('lesions')).toBe(1);
    expect(await db.count('scans')).toBe(1);
    expect(() => newSpotRecord({ name: ' ' })).toThrow(/name/);
  });

  it('a scan saved into a spot deleted meanwhile is refused, and nothing is written', async () => {
    const db = await openHistoryDb();
    const scans = new ScanStore(db);
    const spots = new SpotStore(db);
    const spot = await spots.create({ name: 'Knee' });
    await spots.delete(spot.id); // another tab, say
    await expect(scans.save({ ...v2Scan('x', 0), spotId: spot.id })).rejects.toBeInstanceOf(
      SpotGoneError,
    );
    expect(await db.count('scans')).toBe(0);
    // A spot that exists is fine, and the photo problems are kept with the scan.
    const kept = await spots.create({ name: 'Elbow' });
    const saved = await scans.save({
      ...v2Scan('x', 0),
      spotId: kept.id,
      quality: ['blurred', 'dark'],
    });
    expect(await scans.get(saved.id)).toMatchObject({
      spotId: kept.id,
      quality: ['blurred', 'dark'],
    });
  });
});
