/**
 * Which tfjs-backend-wasm binary to start. The library computes on half the logical cores (at
 * least 1, at most 4; README, Benchmarks, on why the app keeps that), so on a device with fewer
 * than 4 it computes on one thread whichever binary runs. The threaded binary still starts a pool
 * of 8 pthread workers at init, each instantiating the module: work on a 2-core device that races
 * the photo's decoding for nothing. Below 4 cores the app therefore starts the single-threaded
 * SIMD binary (same kernels, same single thread). Pure.
 */

/** The library's own thread count for a device with `cores` logical cores. */
export function libraryThreads(cores: number): number {
  const known = Number.isFinite(cores) && cores > 0 ? Math.floor(cores) : 1;
  return Math.min(4, Math.max(1, Math.floor(known / 2)));
}

/** Whether the threaded binary would compute on more than one thread here. */
export function threadedBuildHelps(cores: number): boolean {
  return libraryThreads(cores) > 1;
}
