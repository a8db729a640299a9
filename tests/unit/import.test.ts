import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { openHistoryDb } from '../../src/lib/storage/db';
import {
  historyExport,
  type ExportedScan,
  type ExportedSpot,
  type HistoryExport,
} from '../../src/lib/storage/export';
import type { FileScan, FileSpot } from '../../src/lib/storage/history-file';
import { applyImport, planFor } from '../../src/lib/storage/import';
import { describeConflicts } from '../../src/lib/storage/conflicts';
import {
  canonical,
  conflictCount,
  importSummary,
  KEEP_ALL,
  planImport,
  replaceAll,
} from '../../src/lib/storage/merge';
import { ScanStore, StorageFullError } from '../../src/lib/storage/scans';
import { SpotStore } from '../../src/lib/storage/spots';
import { validateHistory, type ValidHistory } from '../../src/lib/storage/validate';
import { classificationFields } from './fixtures/classification';

const JPEG = 'data:image/jpeg;base64,/9j/2Q=='; // FF D8 FF D9
const PNG_BYTES = [
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
];
const PNG = `data:image/png;base64,${btoa(String.fromCharCode(...PNG_BYTES, 0, 0, 0, 4, 0, 0, 0, 4))}`;

function scanJson(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    createdAt: 1000,
    thumbnail: JPEG,
    modelId: 'ham10000-128',
    ...classificationFields(),
    timings: { inferenceMs: 3, totalMs: null },
    ...extra,
  };
}

function file(extra: Record<string, unknown> = {}) {
  return {
    app: 'DermLens',
    format: 2,
    schemaVersion: 3,
    exportedAt: '2026-01-01T00:00:00.000Z',
    lesions: [
      { id: 'l1', name: 'Left shoulder', createdAt: 5, location: { view: 'back', x: 0.3, y: 0.2 } },
    ],
    scans: [scanJson('s1', { lesionId: 'l1' }), scanJson('s2', { thumbnail: PNG })],
    ...extra,
  };
}

const check = (value: unknown) =>
  validateHistory(typeof value === 'string' ? value : JSON.stringify(value));
const problemsOf = (value: unknown): string => {
  const v = check(value);
  return v.ok ? 'OK' : v.message;
};

describe('validating a history file', () => {
  it('accepts a good format 2 file and a format 1 file (no spots)', () => {
    const good = check(file());
    expect(good.ok && good.file.scans.length).toBe(2);
    const old = check({ ...file({ format: 1, scans: [scanJson('s2')] }), lesions: undefined });
    expect(old.ok && old.file.lesions).toEqual([]);
    const flagged = check(file({ scans: [scanJson('a', { quality: ['blurred', 'far'] })] }));
    expect(flagged.ok && flagged.file.scans[0]?.quality).toEqual(['blurred', 'far']);
    const reframed = check(file({ scans: [scanJson('a', { reframedBand: 'high' })] }));
    expect(reframed.ok && reframed.file.scans[0]?.reframedBand).toBe('high');
  });

  it.each([
    ['not JSON', '{"app": "DermLens",', /not JSON/],
    ['another app', file({ app: 'Other' }), /not made by DermLens/],
    ['an array', '[1,2]', /not made by DermLens/],
    ['an unknown format', file({ format: 4 }), /format \(4\) is unknown/],
    ['no scans list', file({ scans: 'x' }), /scans is not a list/],
    ['format 2 without lesions', file({ lesions: undefined }), /lesions is not a list/],
    ['no exportedAt', file({ exportedAt: 5 }), /exportedAt is missing/],
    ['a missing id', file({ scans: [scanJson('')] }), /scan 1 id is missing/],
    [
      'a text createdAt',
      file({ scans: [scanJson('a', { createdAt: '2020' })] }),
      /createdAt is not a time/,
    ],
    [
      'too few probabilities',
      file({ scans: [scanJson('a', { probabilities: [0.5, 0.5] })] }),
      /2 probabilities for 7 labels/,
    ],
    [
      'probabilities not summing to 1',
      file({ scans: [scanJson('a', { probabilities: [0.5, 0.5, 0.5, 0, 0, 0, 0] })] }),
      /sum to 1.500/,
    ],
    [
      'a probability out of range',
      file({ scans: [scanJson('a', { probabilities: [-0.1, 0.2, 0.1, 0.1, 0.2, 0.4, 0.1] })] }),
      /between 0 and 1/,
    ],
    ['repeated labels', file({ scans: [scanJson('a', { labels: ['a', 'a'] })] }), /distinct/],
    [
      'a malignant label not among labels',
      file({ scans: [scanJson('a', { malignant: ['zzz'] })] }),
      /malignant labels/,
    ],
    ['an unknown band', file({ scans: [scanJson('a', { band: 'huge' })] }), /band is unknown/],
    [
      'an unknown backend',
      file({ scans: [scanJson('a', { backend: 'cloud' })] }),
      /backend is unknown/,
    ],
    ['no timings', file({ scans: [scanJson('a', { timings: null })] }), /timings/],
    [
      'an unknown field',
      file({ scans: [scanJson('a', { upload: 'http://x' })] }),
      /unknown field\(s\) upload/,
    ],
    ['a non-text note', file({ scans: [scanJson('a', { note: 5 })] }), /note is not text/],
    [
      'an unknown photo problem',
      file({ scans: [scanJson('a', { quality: ['blurred', 'haunted'] })] }),
      /quality is not a list of known photo problems/,
    ],
    [
      'an unknown reframed band',
      file({ scans: [scanJson('a', { reframedBand: 'severe' })] }),
      /reframedBand is unknown/,
    ],
    [
      'an http thumbnail',
      file({ scans: [scanJson('a', { thumbnail: 'https://evil.example/x.jpg' })] }),
      /not a JPEG, PNG or WebP data URL/,
    ],
    [
      'an SVG thumbnail',
      file({
        scans: [scanJson('a', { thumbnail: `data:image/svg+xml;base64,${btoa('<svg/>')}` })],
      }),
      /data URL/,
    ],
    [
      'a JPEG label on PNG bytes',
      file({ scans: [scanJson('a', { thumbnail: PNG.replace('png', 'jpeg') })] }),
      /says jpeg but its bytes are png/,
    ],
    [
      'text posing as a JPEG',
      file({ scans: [scanJson('a', { thumbnail: `data:image/jpeg;base64,${btoa('hello')}` })] }),
      /bytes are unknown/,
    ],
    [
      'bad base64',
      file({ scans: [scanJson('a', { thumbnail: 'data:image/jpeg;base64,/9j=2Q==' })] }),
      /data URL|base64/,
    ],
    [
      'a scan in an unknown spot',
      file({ scans: [scanJson('a', { lesionId: 'nope' })] }),
      /spot that is not in the file/,
    ],
    [
      'duplicate scan ids',
      file({ scans: [scanJson('a'), scanJson('a')] }),
      /scan id a appears more than once/,
    ],
    [
      'duplicate spot ids',
      file({
        lesions: [
          { id: 'l1', name: 'x', createdAt: 1 },
          { id: 'l1', name: 'y', createdAt: 1 },
        ],
      }),
      /spot id l1 appears more than once/,
    ],
    [
      'a nameless spot',
      file({ lesions: [{ id: 'l1', name: ' ', createdAt: 1 }] }),
      /spot 1 name is missing/,
    ],
    [
      'a spot off the outline',
      file({
        lesions: [{ id: 'l1', name: 'x', createdAt: 1, location: { view: 'side', x: 2, y: 0 } }],
      }),
      /not a place on the outline/,
    ],
  ])('refuses %s, naming the problem', (_what, value, message) => {
    expect(problemsOf(value)).toMatch(message);
    expect(problemsOf(value)).toMatch(/Nothing was imported\.$/);
  });

  it('reads a format 2 file as format 3: each body site where the v4 upgrade puts it', () => {
    const old = valid(
      file({
        lesions: [
          { id: 'l1', name: 'Mole', createdAt: 5, bodySite: 'Back' },
          { id: 'l2', name: 'Knee', createdAt: 6 },
        ],
        scans: [
          scanJson('s1', { lesionId: 'l1', bodySite: 'Arm', note: 'n' }),
          scanJson('s2', { bodySite: 'Leg' }),
          scanJson('s3', { lesionId: 'l2' }),
        ],
      }),
    );
    expect(old.format).toBe(3);
    expect(old.lesions).toEqual([
      { id: 'l1', name: 'Mole', createdAt: 5, legacyBodySite: 'Back' },
      { id: 'l2', name: 'Knee', createdAt: 6 },
    ]);
    expect(old.scans).toEqual([
      { ...scanJson('s1', { lesionId: 'l1', note: 'n' }), legacyBodySite: 'Arm' },
      scanJson('s2', { bodySite: 'Leg' }),
      scanJson('s3', { lesionId: 'l2' }),
    ]);
  });

  it('accepts a format 3 file: re-check intervals, earlier body sites of scans in spots', () => {
    const three = file({
      format: 3,
      schemaVersion: 4,
      lesions: [{ id: 'l1', name: 'Mole', createdAt: 5, recheckMonths: 3, legacyBodySite: 'Back' }],
      scans: [
        scanJson('s1', { lesionId: 'l1', legacyBodySite: 'Arm' }),
        scanJson('s2', { bodySite: 'Leg' }),
      ],
    });
    expect(valid(three)).toEqual(three);
  });

  it.each([
    [
      'a format 3 scan in a spot with a body site of its own',
      file({ format: 3, scans: [scanJson('a', { lesionId: 'l1', bodySite: 'Back' })] }),
      /scan 1 has a body site of its own but is in a spot/,
    ],
    [
      'a format 3 scan in no spot with an earlier body site',
      file({ format: 3, scans: [scanJson('a', { legacyBodySite: 'Back' })] }),
      /scan 1 has a legacyBodySite but is in no spot/,
    ],
    [
      'a format 3 spot with a body site',
      file({ format: 3, lesions: [{ id: 'l1', name: 'x', createdAt: 1, bodySite: 'Back' }] }),
      /spot 1 has unknown field\(s\) bodySite/,
    ],
    [
      'a re-check interval that is not offered',
      file({ format: 3, lesions: [{ id: 'l1', name: 'x', createdAt: 1, recheckMonths: 2 }] }),
      /spot 1 recheckMonths is not 1, 3, 6 or 12 months/,
    ],
    [
      'a format 2 scan with a field of format 3',
      file({ scans: [scanJson('a', { lesionId: 'l1', legacyBodySite: 'Back' })] }),
      /scan 1 has unknown field\(s\) legacyBodySite/,
    ],
    [
      'a format 2 spot with a re-check interval',
      file({ lesions: [{ id: 'l1', name: 'x', createdAt: 1, recheckMonths: 3 }] }),
      /spot 1 has unknown field\(s\) recheckMonths/,
    ],
    ['a scan that is a list', file({ scans: [[1, 2]] }), /: scan 1 is not an object\./],
    [
      'two unknown fields, both named',
      file({ scans: [scanJson('a', { upload: 1, x: 2 })] }),
      /scan 1 has unknown field\(s\) upload, x/,
    ],
    [
      'a missing field, in its own words',
      file({ scans: [{ ...scanJson('a'), thumbnail: undefined }] }),
      /scan 1 thumbnail is not a string/,
    ],
    [
      'an infinite time',
      JSON.stringify(file({ scans: [scanJson('a', { createdAt: 7 })] })).replace('7', '1e999'),
      /scan 1 createdAt is not a time/,
    ],
    [
      'a label name that is not text',
      file({ scans: [scanJson('a', { labelNames: { akiec: 5 } })] }),
      /scan 1 labelNames are not text/,
    ],
    [
      'a place wrong in two ways, said once',
      file({
        lesions: [{ id: 'l1', name: 'x', createdAt: 1, location: { view: 'side', x: 2, y: 0 } }],
      }),
      /: spot 1 location is not a place on the outline\./,
    ],
    [
      'too many records, before reading them',
      file({ scans: Array.from({ length: 100_001 }, () => 0) }),
      /: it holds too many records\./,
    ],
  ])('refuses %s, naming the problem', (_what, value, message) => {
    expect(problemsOf(value)).toMatch(message);
    expect(problemsOf(value)).toMatch(/Nothing was imported\.$/);
  });

  it('names every problem of a record, and repeats beside other problems', () => {
    const sum = [0.5, 0.5, 0.5, 0, 0, 0, 0];
    expect(problemsOf(file({ scans: [scanJson('a', { band: 'x', probabilities: sum })] }))).toMatch(
      /scan 1 band is unknown; scan 1 probabilities sum to 1.500, not 1\./,
    );
    const repeat = file({ scans: [scanJson('a'), scanJson('a'), scanJson('b', { band: 'x' })] });
    expect(problemsOf(repeat)).toMatch(/scan 3 band is unknown; scan id a appears more than once/);
  });

  it('reads the types of what export writes from the schema', () => {
    // Same fields, each of the same type (readonly aside): a field added to the stored records
    // but not to the schema, which would refuse every file holding it, fails to compile here.
    expectTypeOf<keyof FileScan>().toEqualTypeOf<keyof ExportedScan>();
    expectTypeOf<FileScan>().toExtend<ExportedScan>();
    expectTypeOf<ExportedScan>().toExtend<FileScan>();
    expectTypeOf<keyof FileSpot>().toEqualTypeOf<keyof ExportedSpot>();
    expectTypeOf<FileSpot>().toExtend<ExportedSpot>();
    expectTypeOf<ExportedSpot>().toExtend<FileSpot>();
    expectTypeOf<HistoryExport>().toExtend<ValidHistory>();
  });

  it('refuses an absurd size before parsing, and names only the first problems', () => {
    const huge = { length: 300 * 1024 * 1024 } as unknown as string;
    expect(validateHistory(huge).ok).toBe(false);
    const many = file({
      scans: Array.from({ length: 9 }, (_, i) => scanJson(`x${i}`, { band: 'x' })),
    });
    expect(problemsOf(many)).toMatch(/scan 5 band is unknown \(and 4 more\)/);
  });
});

function valid(value: unknown): ValidHistory {
  const v = check(value);
  if (!v.ok) throw new Error(v.message);
  return v.file;
}

describe('planning an import', () => {
  it('shows a long written text from the file cut to 60 characters', () => {
    const f = valid(file({ scans: [scanJson('s1', { note: 'x'.repeat(100) })], lesions: [] }));
    const plan = planImport(f, {
      scans: new Map([['s1', { ...f.scans[0]!, note: 'short' }]]),
      spots: new Map(),
    });
    const [item] = describeConflicts(plan, String);
    expect(item?.differences).toBe(`note (“${'x'.repeat(59)}…” in the file)`);
  });

  it('splits into new, identical (skipped) and conflicting, whatever the key order', () => {
    const f = valid(file());
    const [s1, s2] = f.scans;
    const reordered = JSON.parse(canonical(s1)) as NonNullable<typeof s1>;
    const plan = planImport(f, {
      scans: new Map([
        ['s1', reordered],
        ['s2', { ...s2!, note: 'mine' }],
      ]),
      spots: new Map(),
    });
    expect(plan.scans.added).toEqual([]);
    expect(plan.scans.same).toBe(1);
    expect(plan.scans.conflicting.map((c) => c.incoming.id)).toEqual(['s2']);
    expect(plan.scans.conflicting[0]!.here.note).toBe('mine');
    expect(plan.spots.added.map((l) => l.id)).toEqual(['l1']);
    expect(conflictCount(plan)).toBe(1);
    expect(importSummary(plan, KEEP_ALL)).toBe(
      '0 scans and 1 spot imported, 1 already here, 1 kept as on this device.',
    );
    expect(importSummary(plan, replaceAll(plan))).toMatch(
      /1 already here, 1 replaced with the imported version\.$/,
    );
  });

  it('describes each conflict: the record as on this device, and what the file changes', () => {
    const f = valid(file());
    const [s1, s2] = f.scans;
    const l1 = f.lesions[0]!;
    const plan = planImport(f, {
      scans: new Map([
        ['s1', { ...s1!, note: 'mine', probabilities: [0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] }],
        ['s2', { ...s2!, lesionId: 'l1', createdAt: 5 }],
      ]),
      spots: new Map([['l1', { ...l1, name: 'Old name', location: undefined }]]),
    });
    const items = describeConflicts(plan, (ms) => `t${ms}`);
    expect(items).toEqual([
      {
        kind: 'spot',
        id: 'l1',
        title: 'Spot “Old name”',
        differences: 'name (“Left shoulder” in the file), place on the body',
      },
      {
        kind: 'scan',
        id: 's1',
        title: 'Scan of t1000',
        differences: 'note (none in the file), result',
      },
      { kind: 'scan', id: 's2', title: 'Scan of t5', differences: 'date, spot' },
    ]);
  });
});

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('importing into the database', () => {
  async function exported(): Promise<HistoryExport> {
    const db = await openHistoryDb({}, 'source');
    const spot = await new SpotStore(db).create({
      name: 'Mole',
      location: { view: 'front', x: 0.5, y: 0.5 },
    });
    const scans = new ScanStore(db);
    const thumbnail = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 0xff, 0xd9])], {
      type: 'image/jpeg',
    });
    const base = { ...scanJson('z'), band: 'medium', backend: 'wasm', thumbnail } as const;
    await scans.save({ ...base, createdAt: 1, spotId: spot.id });
    await scans.save({ ...base, createdAt: 2 });
    const file = await historyExport(await scans.list(), await new SpotStore(db).list());
    db.close();
    return JSON.parse(JSON.stringify(file)) as HistoryExport;
  }

  it('round trip: same records, thumbnails byte for byte; a second import adds nothing', async () => {
    const file = await exported();
    const db = await openHistoryDb();
    const plan = await planFor(db, valid(file));
    await applyImport(db, plan, KEEP_ALL);
    expect(importSummary(plan, KEEP_ALL)).toBe('2 scans and 1 spot imported, 0 already here.');
    const again = await planFor(db, valid(file));
    expect(importSummary(again, KEEP_ALL)).toBe('0 scans and 0 spots imported, 3 already here.');
    const back = await historyExport(
      await new ScanStore(db).list(),
      await new SpotStore(db).list(),
    );
    expect(back.scans).toEqual(file.scans);
    expect(back.lesions).toEqual(file.lesions);
    // The file keeps the stored name of a scan's spot (format 3), and it comes back as spotId.
    expect(file.format).toBe(3);
    expect(file.scans.map((s) => s.lesionId)).toEqual([undefined, file.lesions[0]!.id]);
    expect((await new SpotStore(db).timeline(file.lesions[0]!.id)).length).toBe(1);
  });

  it('conflicts are kept by default and replaced only when chosen', async () => {
    const file = await exported();
    const db = await openHistoryDb();
    await applyImport(db, await planFor(db, valid(file)), KEEP_ALL);
    const changed = { ...file, scans: file.scans.map((s) => ({ ...s, note: 'edited elsewhere' })) };
    const plan = await planFor(db, valid(changed));
    expect(conflictCount(plan)).toBe(2);
    await applyImport(db, plan, KEEP_ALL);
    expect((await new ScanStore(db).list()).map((s) => s.note)).toEqual([undefined, undefined]);
    // One of the two replaced, as ticked; the other stays as it was here.
    const [first, second] = plan.scans.conflicting.map((c) => c.incoming.id);
    const one = { scans: new Set([first!]), spots: new Set<string>() };
    await applyImport(db, plan, one);
    expect(importSummary(plan, one)).toBe(
      '0 scans and 0 spots imported, 1 already here, 1 kept as on this device, 1 replaced with the imported version.',
    );
    const notes = async () =>
      new Map((await new ScanStore(db).list()).map((s) => [s.id, s.note] as const));
    expect(await notes()).toEqual(
      new Map([
        [first, 'edited elsewhere'],
        [second, undefined],
      ]),
    );
    await applyImport(db, plan, replaceAll(plan));
    expect([...(await notes()).values()]).toEqual(['edited elsewhere', 'edited elsewhere']);
  });

  it('a full disk writes nothing and says StorageFullError', async () => {
    const file = await exported();
    const db = await openHistoryDb();
    const plan = await planFor(db, valid(file));
    // The second write fails as a full disk does; the first must not stay.
    const original = IDBObjectStore.prototype.put;
    let calls = 0;
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      if (++calls === 2) throw new DOMException('quota exceeded', 'QuotaExceededError');
      return original.apply(this, args);
    });
    await expect(applyImport(db, plan, KEEP_ALL)).rejects.toBeInstanceOf(StorageFullError);
    put.mockRestore();
    expect(await db.count('scans')).toBe(0);
    expect(await db.count('lesions')).toBe(0);
  });
});
