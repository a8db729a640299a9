/** TF.js backends the app knows, in the order it tries them. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKENDS as readonly string[]).includes(value);
}

/**
 * Candidates to try, best first: a forced backend goes first (the rest stay as fallbacks so a
 * person never ends up with nothing), and backends that already crashed are left out.
 */
export function backendCandidates(
  forced: BackendName | null,
  excluded: ReadonlySet<BackendName> = new Set(),
): BackendName[] {
  const order = forced ? [forced, ...BACKENDS.filter((b) => b !== forced)] : [...BACKENDS];
  return order.filter((b) => !excluded.has(b));
}
