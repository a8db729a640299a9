/**
 * Service worker state for the UI: precache progress, "ready offline", and the update flow
 * (a new version waits until the person agrees, then takes over and the page reloads).
 */
import { Workbox } from 'workbox-window';
import { SHIPPED_MODELS } from '../inference/models';
import { cachedFraction, offlineFiles } from '../pwa/offline';

export type OfflineStatus = 'unsupported' | 'installing' | 'ready' | 'failed';

const POLL_MS = 750;

class PwaState {
  status = $state<OfflineStatus>('unsupported');
  /** Share of the models (by bytes) saved for offline use. */
  progress = $state(0);
  updateAvailable = $state(false);
  persisted = $state<boolean | null>(null);

  private wb: Workbox | null = null;

  /** Registers the service worker: production builds only (dev serves modules unbundled). */
  start(): void {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !('caches' in window)) return;
    this.status = 'installing';
    const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
    wb.addEventListener('waiting', () => (this.updateAvailable = true));
    this.wb = wb;
    wb.register().catch(() => (this.status = 'failed'));
    void this.watchCache();
  }

  /** Skip-waiting on consent; the page reloads once the new worker controls it. */
  applyUpdate(): void {
    const wb = this.wb;
    if (!wb) return;
    wb.addEventListener('controlling', () => window.location.reload());
    wb.messageSkipWaiting();
  }

  private async watchCache(): Promise<void> {
    try {
      // Polled from the start: the worker fills its cache while installing, before it is ready.
      const files = await offlineFiles(SHIPPED_MODELS);
      for (;;) {
        this.progress = await cachedFraction(files);
        if (this.progress >= 1) break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      await navigator.serviceWorker.ready;
      this.status = 'ready';
      // Ask the browser not to evict the cache under storage pressure (Safari's 7-day rule).
      this.persisted = (await navigator.storage?.persist?.()) ?? null;
    } catch {
      this.status = 'failed';
    }
  }
}

export const pwa = new PwaState();
