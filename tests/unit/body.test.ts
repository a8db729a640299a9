import { describe as group, expect, it } from 'vitest';
import { BODY_PATH, describe, nearestRegion, nudge, regions } from '../../src/lib/tracking/body';

group('body outline', () => {
  it('names sides as the person’s own: front mirrors, back does not', () => {
    expect(describe({ view: 'front', x: 0.31, y: 0.19 })).toBe('Right shoulder (front)');
    expect(describe({ view: 'back', x: 0.31, y: 0.19 })).toBe('Left shoulder (back)');
    expect(describe({ view: 'back', x: 0.5, y: 0.36 })).toBe('Lower back (back)');
    expect(nearestRegion({ view: 'front', x: 0.5, y: 0.07 }).name).toBe('Head');
  });

  it('every region has a distinct name inside the outline box', () => {
    for (const view of ['front', 'back'] as const) {
      const names = regions(view).map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      for (const r of regions(view)) {
        expect(r.at.x).toBeGreaterThanOrEqual(0);
        expect(r.at.y).toBeLessThanOrEqual(1);
      }
    }
    expect(BODY_PATH).toMatch(/^M [\d .L]+ Z$/);
  });

  it('arrow keys move the marker and stop at the edges; other keys do nothing', () => {
    expect(nudge({ view: 'front', x: 0.5, y: 0.5 }, 'ArrowRight')).toEqual({
      view: 'front',
      x: 0.52,
      y: 0.5,
    });
    expect(nudge({ view: 'back', x: 0.5, y: 0.5 }, 'ArrowUp', true)).toEqual({
      view: 'back',
      x: 0.5,
      y: 0.45,
    });
    expect(nudge({ view: 'front', x: 0.99, y: 0 }, 'ArrowRight')?.x).toBe(1);
    expect(nudge({ view: 'front', x: 0.5, y: 0.5 }, 'Enter')).toBeNull();
  });
});
