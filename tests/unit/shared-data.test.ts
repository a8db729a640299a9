import { afterEach, describe, expect, it, vi } from 'vitest';
import { inCi, sharedData } from '../shared-data';

describe('tests that need ../shared/data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads CI=true (and other truthy values) as CI, unset, empty, false or 0 as not', () => {
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
    for (const CI of [undefined, '', 'false', 'FALSE', '0']) expect(inCi({ CI })).toBe(false);
  });

  it('fail in CI when the data is absent, naming the folder and what goes untested', () => {
    expect(() => sharedData('no-such-folder', 'the real-photo test', { CI: 'true' })).toThrow(
      /shared\/data\/no-such-folder not found.*CI must provide it, so the real-photo test fails/,
    );
  });

  it('skip with a message outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const found = sharedData('no-such-folder', 'the real-photo test', {});
    expect(found.path).toBeNull();
    expect(found.skipped).toMatch(/no-such-folder not found.*skipping the real-photo test/);
    expect(warn).toHaveBeenCalledWith(found.skipped);
  });

  it('give the folder when it is there, in CI or not', () => {
    // An absolute folder resolves to itself: this test's own folder always exists.
    expect(sharedData(import.meta.dirname, 'x', { CI: 'true' })).toEqual({
      path: import.meta.dirname,
      skipped: null,
    });
  });
});
