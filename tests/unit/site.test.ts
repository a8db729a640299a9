import { describe, expect, it } from 'vitest';
import type { ScanRecord, SpotRecord } from '../../src/lib/storage/schema';
import { enteringSpot, leavingSpot, spotSiteV4 } from '../../src/lib/storage/site';
import { siteOf } from '../../src/lib/tracking/site';

const spots: SpotRecord[] = [
  { id: 'front', name: 'A', createdAt: 1, location: { view: 'front', x: 0.31, y: 0.19 } },
  { id: 'back', name: 'B', createdAt: 2, location: { view: 'back', x: 0.31, y: 0.19 } },
  { id: 'nowhere', name: 'C', createdAt: 3, legacyBodySite: 'Back' },
];
/** A record with other fields beside its site (generic in the rules, so not a literal). */
const rec = (fields: { id?: number; bodySite?: string; legacyBodySite?: string }) => fields;
const scan = (extra: Partial<ScanRecord>) => ({ id: 's', createdAt: 1, ...extra }) as ScanRecord;

describe('where a scan is: one place', () => {
  it('a scan in a spot is where the spot is placed (region names from the outline)', () => {
    expect(siteOf(scan({ spotId: 'front', legacyBodySite: 'Back' }), spots)).toBe(
      'Right shoulder (front)',
    );
    expect(siteOf(scan({ spotId: 'back' }), spots)).toBe('Left shoulder (back)');
    // An unplaced spot says nothing: its earlier body site is not a second answer.
    expect(siteOf(scan({ spotId: 'nowhere' }), spots)).toBeNull();
    expect(siteOf(scan({ spotId: 'gone' }), spots)).toBeNull();
    expect(siteOf(scan({ bodySite: 'Arm' }), spots)).toBe('Arm');
    expect(siteOf(scan({}), spots)).toBeNull();
  });

  it('into a spot, a site becomes legacyBodySite; out of it, back; nothing is dropped', () => {
    expect(enteringSpot(rec({ id: 1, bodySite: 'Arm' }))).toEqual({ id: 1, legacyBodySite: 'Arm' });
    expect(enteringSpot(rec({ id: 1 }))).toEqual({ id: 1 });
    expect(leavingSpot(rec({ id: 1, legacyBodySite: 'Arm' }))).toEqual({ id: 1, bodySite: 'Arm' });
    expect(leavingSpot(rec({ id: 1, bodySite: 'Leg' }))).toEqual({ id: 1, bodySite: 'Leg' });
    expect(leavingSpot(enteringSpot(rec({ id: 1, bodySite: 'Arm' })))).toEqual({
      id: 1,
      bodySite: 'Arm',
    });
    // Two texts (never written by the app): both kept, side by side.
    expect(enteringSpot(rec({ bodySite: 'Arm', legacyBodySite: 'Back' }))).toEqual({
      legacyBodySite: 'Back / Arm',
    });
    expect(enteringSpot(rec({ bodySite: 'Arm', legacyBodySite: 'Arm' }))).toEqual({
      legacyBodySite: 'Arm',
    });
    expect(leavingSpot(rec({ bodySite: 'Arm', legacyBodySite: 'Back' }))).toEqual({
      bodySite: 'Arm / Back',
    });
    expect(spotSiteV4(rec({ id: 7, bodySite: 'Back' }))).toEqual({ id: 7, legacyBodySite: 'Back' });
  });
});
