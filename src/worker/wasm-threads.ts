/**
 * How many threads the wasm backend computes on.
 *
 * tfjs-backend-wasm (4.22) sizes XNNPACK's thread pool as min(4, max(1, hardwareConcurrency / 2)),
 * halving on the guess that each core shows as two logical ones, and `setThreadsCount` cannot ask
 * for more than that. A 2-core device therefore runs the models on one thread. Measured on this
 * project's 2-vCPU machine (headless Chromium 156, wasm, a quiet machine, 2026-12-05): accurate
 * model warm p50 16-17 ms on one thread, 11-12 ms on two; fast model 2.9-3.4 ms against 1.9 ms.
 * So devices with 2 or 3 logical cores get two threads; with 4 or more the library's choice stays.
 */
export function wasmThreads(logicalCores: number): number {
  if (!Number.isFinite(logicalCores) || logicalCores < 2) return 1;
  return Math.min(4, Math.max(2, Math.floor(logicalCores / 2)));
}

interface CoreCount {
  readonly hardwareConcurrency: number;
}

/**
 * Runs `initialise` (the wasm backend's start, which reads `navigator.hardwareConcurrency` to size
 * its pool) with `nav` reporting twice `threads` logical cores, so that the library's halving
 * gives `threads`; the real value is back afterwards, also when `initialise` throws. The override
 * is an own property that shadows the prototype's getter, and deleting it restores the getter.
 */
export async function withPoolSizedFor<T>(
  nav: CoreCount,
  threads: number,
  initialise: () => Promise<T>,
): Promise<T> {
  const had = Object.prototype.hasOwnProperty.call(nav, 'hardwareConcurrency');
  if (had) return initialise(); // not the platform's getter: leave it alone
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await initialise();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
