import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../src/lib/state/route.svelte';
import type { ScanRecord, SpotRecord } from '../../src/lib/storage/schema';
import { summarise } from '../../src/lib/tracking/spots';

describe('spot pages', () => {
  it('routes: #/spots and #/spots/<id>, anything else is the scanner', () => {
    expect(parseHash('#/spots')).toEqual({ page: 'spots', id: null });
    expect(parseHash('#/spots/0b1c-2d')).toEqual({ page: 'spot', id: '0b1c-2d' });
    expect(parseHash('#/spots/<script>')).toEqual({ page: 'scan', id: null });
    expect(parseHash('#/model-card').page).toBe('model-card');
    expect(href('spot', 'abc')).toBe('#/spots/abc');
    expect(parseHash(href('spot', 'abc'))).toEqual({ page: 'spot', id: 'abc' });
    // "New scan of this spot": the scanner, with the spot chosen for the next scan.
    expect(parseHash(href('scan', 'abc'))).toEqual({ page: 'scan', id: 'abc' });
    expect(href('scan')).toBe('#/');
    expect(parseHash('#/scan/<x>')).toEqual({ page: 'scan', id: null });
  });

  it('summarises each spot: number of scans and the newest one', () => {
    const spot = (id: string): SpotRecord => ({ id, name: id, createdAt: 0 });
    const scan = (id: string, createdAt: number, spotId?: string) =>
      ({ id, createdAt, ...(spotId ? { spotId } : {}) }) as ScanRecord;
    const list = summarise(
      [spot('a'), spot('b')],
      [scan('1', 30, 'a'), scan('2', 50, 'a'), scan('3', 40, 'a'), scan('4', 60)],
    );
    expect(list.map((s) => [s.spot.id, s.count, s.latest?.id ?? null])).toEqual([
      ['a', 3, '2'],
      ['b', 0, null],
    ]);
  });
});
