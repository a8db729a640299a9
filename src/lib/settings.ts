/** Persisted settings (localStorage) and their URL overrides (?backend=wasm&model=ham10000-28). */
import { isBackendName, type BackendName } from '../shared/backends';

const MODEL_KEY = 'dermlens.model';
const BACKEND_KEY = 'dermlens.backend';
const TTA_KEY = 'dermlens.tta';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: settings just do not persist
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: keep working with the in-memory value
  }
}

const params = (): URLSearchParams => new URLSearchParams(globalThis.location?.search ?? '');

/** The model the person chose last time (the URL's ?model= wins, for tests and bug reports). */
export function savedModelId(): string | null {
  return params().get('model') ?? read(MODEL_KEY);
}

export function saveModelId(id: string): void {
  write(MODEL_KEY, id);
}

/** A forced backend from ?backend= or the setting; null means "choose automatically". */
export function forcedBackend(): BackendName | null {
  const fromUrl = params().get('backend');
  if (isBackendName(fromUrl)) return fromUrl;
  const saved = read(BACKEND_KEY);
  return isBackendName(saved) ? saved : null;
}

export function saveBackend(backend: BackendName | null): void {
  write(BACKEND_KEY, backend);
}

/** Whether the e2e build should expose its test hooks (window.dermlensTest): on ?testhooks. */
export function testHooksEnabled(): boolean {
  return params().has('testhooks');
}

/** The person's TTA choice (?tta=0|1 wins); null = automatic (on when it is cheap enough). */
export function savedTta(): boolean | null {
  const value = params().get('tta') ?? read(TTA_KEY);
  return value === '1' ? true : value === '0' ? false : null;
}

export function saveTta(on: boolean | null): void {
  write(TTA_KEY, on === null ? null : on ? '1' : '0');
}
