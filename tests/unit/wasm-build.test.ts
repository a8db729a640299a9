import { describe, expect, it } from 'vitest';
import { libraryThreads, threadedBuildHelps } from '../../src/worker/wasm-build';

describe('which tfjs-backend-wasm binary the worker starts', () => {
  it("follows the library's thread count: half the logical cores, 1 to 4", () => {
    expect([1, 2, 3, 4, 5, 6, 8, 12, 16].map(libraryThreads)).toEqual([1, 1, 1, 2, 2, 3, 4, 4, 4]);
  });

  it('counts an unknown or odd core count as one core', () => {
    expect(libraryThreads(0)).toBe(1);
    expect(libraryThreads(Number.NaN)).toBe(1);
    expect(libraryThreads(-2)).toBe(1);
    expect(libraryThreads(7.9)).toBe(3);
  });

  it('starts the threaded binary only where it would compute on more than one thread', () => {
    expect(threadedBuildHelps(2)).toBe(false);
    expect(threadedBuildHelps(3)).toBe(false);
    expect(threadedBuildHelps(4)).toBe(true);
    expect(threadedBuildHelps(8)).toBe(true);
  });
});
