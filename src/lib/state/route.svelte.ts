/**
 * Which page is shown, from the URL hash (#/model-card, #/spots, #/spots/<id>, and #/scan/<id>:
 * the scanner with a spot chosen for the next scan): hash routing
 * works offline from the service worker's cached index.html, needs no server rewrites, and keeps
 * the back button.
 */
export type Page = 'scan' | 'model-card' | 'spots' | 'spot' | 'scan-report' | 'spot-report';

interface Where {
  readonly page: Page;
  /** The spot's id on the 'spot' page; on the 'scan' page, the spot the next scan is for. */
  readonly id: string | null;
}

export function parseHash(hash: string): Where {
  // A report for a doctor: #/scans/<scan id>/report or #/spots/<spot id>/report.
  const report = /^#\/(scans|spots)\/([\w-]{1,100})\/report$/.exec(hash);
  if (report)
    return { page: report[1] === 'scans' ? 'scan-report' : 'spot-report', id: report[2] ?? null };
  if (hash === '#/model-card') return { page: 'model-card', id: null };
  if (hash === '#/spots') return { page: 'spots', id: null };
  const spot = /^#\/spots\/([\w-]{1,100})$/.exec(hash);
  if (spot) return { page: 'spot', id: spot[1] ?? null };
  const scanFor = /^#\/scan\/([\w-]{1,100})$/.exec(hash);
  if (scanFor) return { page: 'scan', id: scanFor[1] ?? null };
  return { page: 'scan', id: null };
}

class Route {
  private where = $state<Where>(parseHash(globalThis.location?.hash ?? ''));
  page = $derived(this.where.page);
  id = $derived(this.where.id);

  constructor() {
    globalThis.addEventListener?.('hashchange', () => {
      this.where = parseHash(location.hash);
      globalThis.scrollTo?.(0, 0);
    });
  }
}

export const route = new Route();

/** The link to a page (for 'spot', the spot's id; for 'scan', the spot to scan, if any). */
export function href(page: Page, id = ''): string {
  switch (page) {
    case 'model-card':
      return '#/model-card';
    case 'spots':
      return '#/spots';
    case 'spot':
      return `#/spots/${id}`;
    case 'scan-report':
      return `#/scans/${id}/report`;
    case 'spot-report':
      return `#/spots/${id}/report`;
    case 'scan':
      return id ? `#/scan/${id}` : '#/';
  }
}
