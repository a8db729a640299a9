import { describe, expect, it } from 'vitest';
import { wasmThreads, withPoolSizedFor } from '../../src/worker/wasm-threads';

/** A navigator-like object whose core count is a prototype getter, as on the platform. */
function platformNavigator(cores: number): { hardwareConcurrency: number } {
  return Object.create({
    get hardwareConcurrency() {
      return cores;
    },
  }) as { hardwareConcurrency: number };
}

describe('wasmThreads', () => {
  it('gives 2- and 3-core devices two threads, where the library would take one', () => {
    expect(wasmThreads(2)).toBe(2);
    expect(wasmThreads(3)).toBe(2);
  });

  it("keeps the library's choice from 4 logical cores on (half of them, at most 4)", () => {
    expect(wasmThreads(4)).toBe(2);
    expect(wasmThreads(6)).toBe(3);
    expect(wasmThreads(8)).toBe(4);
    expect(wasmThreads(16)).toBe(4);
  });

  it('runs one thread on one core or an unknown count', () => {
    expect(wasmThreads(1)).toBe(1);
    expect(wasmThreads(0)).toBe(1);
    expect(wasmThreads(Number.NaN)).toBe(1);
    expect(wasmThreads(undefined as unknown as number)).toBe(1);
  });
});

describe('withPoolSizedFor', () => {
  it('reports twice the threads while the backend starts, so the halving gives them', async () => {
    const nav = platformNavigator(2);
    const seen = await withPoolSizedFor(nav, 2, () => Promise.resolve(nav.hardwareConcurrency));
    expect(seen).toBe(4);
    expect(nav.hardwareConcurrency).toBe(2);
    expect(Object.prototype.hasOwnProperty.call(nav, 'hardwareConcurrency')).toBe(false);
  });

  it('gives the real count back when the start fails', async () => {
    const nav = platformNavigator(3);
    await expect(
      withPoolSizedFor(nav, 2, () => Promise.reject(new Error('wasm did not compile'))),
    ).rejects.toThrow('wasm did not compile');
    expect(nav.hardwareConcurrency).toBe(3);
  });

  it('leaves a count that is not the platform getter alone', async () => {
    const nav = { hardwareConcurrency: 6 };
    const seen = await withPoolSizedFor(nav, 2, () => Promise.resolve(nav.hardwareConcurrency));
    expect(seen).toBe(6);
    expect(nav.hardwareConcurrency).toBe(6);
  });
});
